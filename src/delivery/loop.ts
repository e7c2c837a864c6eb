/**
 * Runs the delivery worker on its own: a round whenever the poll has queued something (kick) and
 * at least every `intervalMs` (retries come due with time), rounds back to back while a full
 * batch came out, never two at once. Stopping starts no new send, lets the sends in flight finish
 * within a deadline, and gives the rest of the round back to the outbox.
 */
import type { Logger } from '../log.js';
import { settlesWithin } from '../clock.js';
import type { DeliveryWorker } from './worker.js';

export interface DeliveryLoop {
  /** Asks for a round now (after a poll queued alerts). */
  kick(): void;
  /** Resolves once the round in flight has ended, or after `deadlineMs`; says which. */
  stop(deadlineMs: number): Promise<{ finishedInTime: boolean }>;
}

export function startDeliveryLoop(options: { worker: DeliveryWorker; intervalMs: number; batchSize: number; logger: Logger }): DeliveryLoop {
  const { worker, logger } = options;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const stopping = new AbortController();

  const round = async (): Promise<void> => {
    do {
      again = false;
      try {
        for (;;) {
          const result = await worker.deliverDue(stopping.signal);
          if (result.claimed > 0) logger.debug(result, 'delivery round');
          if (result.claimed < options.batchSize || stopped) break;
        }
      } catch (error) {
        logger.error({ err: error }, 'delivery round failed; its alerts come back when their claim lapses');
      }
    } while (again && !stopped);
  };

  const kick = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(kick, options.intervalMs);
  timer.unref();
  kick();
  return {
    kick,
    stop: async (deadlineMs) => {
      stopped = true;
      clearInterval(timer);
      stopping.abort();
      return { finishedInTime: running ? await settlesWithin(running, deadlineMs) : true };
    },
  };
}
