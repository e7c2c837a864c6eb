import type { OutboxPayload } from '../alerts/rollup.js';
import type { SentMessage } from '../alerts/event-thread.js';
import { WirewatchError } from '../errors.js';

/**
 * Where alerts go: the console, a Discord channel, a Slack channel. What arrives is one alert, one
 * roll-up of a burst (`isRollUp`), or an edit of an event's first alert (`isEventEdit`); an alert
 * with `thread` set is a follow-up, posted under the event's first alert. Each is rendered the
 * sink's own way. A sink resolves with the posted message's reference (so follow-ups can find it)
 * and throws when it did not arrive — a DeliveryError when it can say how, so the pipeline knows
 * what to do next.
 */
export interface AlertSink {
  readonly name: string;
  deliver(alert: OutboxPayload): Promise<SentMessage | void>;
}

/**
 * How a send failed, which decides what happens next:
 *   transient     5xx, timeouts, network: try again later
 *   rate_limited  the platform asked us to wait `retryAfterMs`
 *   permanent     no access, unknown channel, the bot removed: pause the subscription with the
 *                 reason and make no more requests for it until someone fixes it
 */
export type DeliveryFailure = 'transient' | 'rate_limited' | 'permanent';

const CODES = {
  transient: 'delivery_transient',
  rate_limited: 'delivery_rate_limited',
  permanent: 'delivery_permanent',
} as const;

export class DeliveryError extends WirewatchError {
  readonly failure: DeliveryFailure;
  readonly retryAfterMs: number | null;

  constructor(failure: DeliveryFailure, message: string, options: { cause?: unknown; retryAfterMs?: number | null; details?: Record<string, unknown> } = {}) {
    super(CODES[failure], message, { cause: options.cause, ...(options.details ? { details: options.details } : {}) });
    this.name = 'DeliveryError';
    this.failure = failure;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/**
 * One sink over several: each alert goes to the sink whose prefix its channel key starts with
 * ("console", "discord:", "slack:"). A channel no sink here serves waits (reported as
 * rate-limited, so it never runs out of attempts) for a process that has its platform's token.
 */
const NO_ROUTE_RETRY_MS = 5 * 60_000;

export function createRoutingSink(routes: readonly { prefix: string; sink: AlertSink }[]): AlertSink {
  return {
    name: routes.map((route) => route.sink.name).join('+') || 'none',
    deliver: async (alert) => {
      const route = routes.find((r) => alert.channel === r.prefix || alert.channel.startsWith(r.prefix));
      // Not the channel's fault: this process has no token for its platform (a `poll --once` run
      // without it, say). The alert waits for a process that has one, and is never counted dead.
      if (!route) {
        throw new DeliveryError('rate_limited', `no sink here delivers to "${alert.channel}" (is its platform's token set?)`, {
          retryAfterMs: NO_ROUTE_RETRY_MS,
        });
      }
      return route.sink.deliver(alert);
    },
  };
}
