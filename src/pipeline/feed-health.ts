/**
 * What a fetch outcome does to a feed's state: success resets it; failure counts, backs off
 * exponentially (never sooner than the server's Retry-After) and, after enough failures in a
 * row, marks the feed failing with the reason kept for `check` and, later, the channel.
 */
import type { FeedState } from '../store/repositories.js';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  failingAfter: number;
}

/** Retry-After beyond a day is not honoured literally; the feed is retried daily. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

export function backoffDelay(consecutiveFailures: number, policy: BackoffPolicy, retryAfterMs: number | null): number {
  const exponential = Math.min(policy.baseMs * 2 ** Math.max(0, consecutiveFailures - 1), policy.maxMs);
  const serverAsked = retryAfterMs === null ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.max(exponential, serverAsked);
}

export function recordFailure(
  state: FeedState,
  failure: { code: string; message: string; retryAfterMs: number | null },
  now: number,
  policy: BackoffPolicy,
): FeedState {
  const consecutiveFailures = state.consecutiveFailures + 1;
  return {
    ...state,
    lastAttemptAt: now,
    consecutiveFailures,
    failing: consecutiveFailures >= policy.failingAfter,
    lastError: { code: failure.code, message: failure.message, at: now },
    nextAttemptAt: now + backoffDelay(consecutiveFailures, policy, failure.retryAfterMs),
  };
}

export function recordSuccess(state: FeedState, now: number, changes: Partial<FeedState> = {}): FeedState {
  return {
    ...state,
    ...changes,
    lastAttemptAt: now,
    lastSuccessAt: now,
    consecutiveFailures: 0,
    failing: false,
    nextAttemptAt: null,
  };
}

export function isBackingOff(state: FeedState, now: number): boolean {
  return state.nextAttemptAt !== null && state.nextAttemptAt > now;
}
