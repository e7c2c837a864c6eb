/**
 * Runs the poll cycle on a cron schedule (node-cron, seconds field allowed) with no overlapping
 * runs: a cycle still running when the next tick comes makes that tick a no-op. Stopping waits
 * for the cycle in flight, up to a deadline, then aborts it.
 */
import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';
import { settlesWithin } from '../clock.js';

export interface PollScheduler {
  /** Resolves when the cycle started now has finished. */
  runNow(): Promise<void>;
  /** The time between the next two ticks (readiness allows a few of them before a poll is "late"). */
  periodMs(): number;
  /** Stop scheduling; let the cycle in flight finish within `deadlineMs`, then abort it. */
  stop(deadlineMs: number): Promise<{ finishedInTime: boolean }>;
}

export function startPollScheduler(options: {
  expression: string;
  cycle: (signal: AbortSignal) => Promise<void>;
  logger: Logger;
}): PollScheduler {
  const { logger } = options;
  let inFlight: Promise<void> | null = null;
  let controller = new AbortController();
  let stopped = false;

  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (inFlight) {
      logger.warn('previous poll cycle still running; this tick is skipped');
      return inFlight;
    }
    controller = new AbortController();
    inFlight = options
      .cycle(controller.signal)
      .catch((error: unknown) => logger.error({ err: error }, 'poll cycle failed'))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  // node-cron's own messages (an overlapping tick, a missed execution) go through our logger.
  const cronLogger = {
    info: (message: string) => logger.debug({ source: 'node-cron' }, message),
    warn: (message: string) => logger.warn({ source: 'node-cron' }, message),
    error: (message: string | Error, error?: Error) => logger.error({ source: 'node-cron', err: error ?? message }, String(message)),
    debug: (message: string | Error) => logger.debug({ source: 'node-cron' }, String(message)),
  };
  const task: ScheduledTask = schedule(options.expression, () => runNow(), {
    name: 'poll',
    noOverlap: true,
    logger: cronLogger,
  });

  return {
    runNow,
    periodMs: () => {
      const [next, after] = task.getNextRuns(2);
      return next && after ? after.getTime() - next.getTime() : 60_000;
    },
    stop: async (deadlineMs) => {
      stopped = true;
      await task.stop();
      await task.destroy();
      const current = inFlight;
      if (!current) return { finishedInTime: true };
      if (!(await settlesWithin(current, deadlineMs))) {
        controller.abort(new Error('shutting down'));
        await current;
        return { finishedInTime: false };
      }
      return { finishedInTime: true };
    },
  };
}
