/**
 * The Slack WebClient the alert sink posts with, built from settings. Its defaults are wrong for
 * news alerts: ten retries over about 30 minutes (an alert could arrive half an hour late, or
 * twice — Slack has no idempotency key), no request timeout, and a 429 that silently pauses
 * every request of the client. Here:
 *   - a request timeout (10 s by default);
 *   - a few quick retries for 5xx and network errors (2 by default, 0.5 s then 1 s);
 *   - `rejectRateLimitedCalls: true`: a 429 is an immediate WebAPIRateLimitedError, which the
 *     sink turns into a rate_limited DeliveryError with Slack's Retry-After, so the pipeline
 *     retries that alert later and the other channels keep going;
 *   - the client's own log lines go to pino at warn and above, and every 429 is logged with the
 *     method, the channel and the wait Slack asked for.
 */
import { LogLevel, WebClient, WebClientEvent, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../log.js';

export interface SlackWebClientOptions {
  /** The bot token (xoxb-…). Never logged. */
  token: string;
  /** Base of the Web API, e.g. https://slack.com/api/ (a trailing slash is added if missing). */
  apiUrl: string;
  /** Per-request timeout; default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after a 5xx or a network error or timeout; default 2. */
  retries?: number;
  /** Wait before the first retry, doubled for each next one (at most 5 s); default 500 ms. */
  retryMinTimeoutMs?: number;
  logger?: Logger;
}

export const SLACK_CLIENT_DEFAULTS = {
  timeoutMs: 10_000,
  retries: 2,
  retryMinTimeoutMs: 500,
  retryMaxTimeoutMs: 5000,
} as const;

export function createSlackWebClient(options: SlackWebClientOptions): WebClient {
  const log = options.logger?.child({ component: 'slack-web-api' });
  const minTimeout = options.retryMinTimeoutMs ?? SLACK_CLIENT_DEFAULTS.retryMinTimeoutMs;
  const client = new WebClient(options.token, {
    slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`,
    timeout: options.timeoutMs ?? SLACK_CLIENT_DEFAULTS.timeoutMs,
    retryConfig: {
      retries: options.retries ?? SLACK_CLIENT_DEFAULTS.retries,
      factor: 2,
      minTimeout,
      maxTimeout: Math.max(minTimeout, SLACK_CLIENT_DEFAULTS.retryMaxTimeoutMs),
      randomize: false,
    },
    rejectRateLimitedCalls: true,
    ...(log ? { logger: pinoSlackLogger(log), logLevel: LogLevel.WARN } : { logLevel: LogLevel.ERROR }),
  });
  if (log) {
    client.on(WebClientEvent.RATE_LIMITED, (retryAfterSeconds: number, request: { url?: unknown; body?: unknown }) => {
      const body = request.body !== null && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
      log.warn(
        {
          method: typeof request.url === 'string' ? request.url.slice(request.url.lastIndexOf('/') + 1) : null,
          channel_id: typeof body.channel === 'string' ? body.channel : null,
          retry_after_s: retryAfterSeconds,
        },
        'Slack rate limit (429)',
      );
    });
  }
  return client;
}

/**
 * The WebClient's logger interface over pino. Its debug lines (whole request bodies and headers,
 * tokens redacted by the client) are dropped; the rest are free text at pino's own levels.
 */
function pinoSlackLogger(log: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]): string => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => log.info(text(msg)),
    warn: (...msg: unknown[]) => log.warn(text(msg)),
    error: (...msg: unknown[]) => log.error(text(msg)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
