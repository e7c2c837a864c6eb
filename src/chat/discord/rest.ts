/**
 * The Discord REST client the alert sink posts with. The base URL can point elsewhere (a test
 * server, a proxy); 429s are waited out by the client's queue unless the wait is longer than
 * `maxRateLimitWaitMs`, in which case the send fails as rate-limited and the caller retries later.
 */
import { REST } from 'discord.js';

export interface DiscordRestOptions {
  token: string;
  /** e.g. `http://127.0.0.1:8080/api`; Discord's own API when omitted. */
  apiUrl?: string;
  /** Per request, in milliseconds (default 15 s). */
  timeoutMs?: number;
  /** Retries for 5xx, timeouts and reset connections (default 3). */
  retries?: number;
  /** A rate limit longer than this is not waited out but reported (default 60 s). */
  maxRateLimitWaitMs?: number;
}

export function createDiscordRest(options: DiscordRestOptions): REST {
  const maxWait = options.maxRateLimitWaitMs ?? 60_000;
  return new REST({
    ...(options.apiUrl ? { api: options.apiUrl } : {}),
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    rejectOnRateLimit: (data) => data.retryAfter > maxWait,
  }).setToken(options.token);
}
