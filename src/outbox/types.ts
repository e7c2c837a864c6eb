/**
 * The outbox: every alert a poll decides to send is written here first, and a delivery worker,
 * separate from the poll, sends it. Entries survive restarts; a crashed worker's claims come back
 * when their lease runs out. Two implementations behind this one port: a SQLite table indexed by
 * due time, and a Redis sorted set with an atomic claim (docs/decisions/008-outbox.md).
 */

export type OutboxState = 'pending' | 'claimed' | 'dead';

export interface OutboxError {
  code: string;
  message: string;
  at: number;
}

/** What the poll hands the outbox: one alert for one channel, rendered later by the sink. */
export interface NewOutboxEntry {
  /** Channel key: "discord:<guild>:<channel>", "slack:<team>:<channel>", "console". */
  channel: string;
  storyId: string;
  /** Oldest story first within a channel: the story's published time (epoch ms). */
  order: number;
  /** Everything the sink needs to render and send it (the Alert as JSON). */
  payload: unknown;
  /** Not before this time (epoch ms). */
  dueAt: number;
}

export interface OutboxEntry extends NewOutboxEntry {
  /** Derived from (channel, story): enqueueing the same alert twice keeps one entry. */
  id: string;
  state: OutboxState;
  /** Sends tried so far. */
  attempts: number;
  enqueuedAt: number;
  /** While claimed: when the claim lapses and the entry is due again (a worker that died). */
  leaseUntil: number | null;
  lastError: OutboxError | null;
}

export interface OutboxStats {
  pending: number;
  claimed: number;
  dead: number;
  /** Due time of the oldest pending entry, or null. */
  oldestDueAt: number | null;
}

export interface Outbox {
  /** Adds entries not already present (by id); returns how many were new. */
  enqueue(entries: readonly NewOutboxEntry[], now: number): Promise<number>;
  /**
   * Atomically claims up to `limit` entries that are due (pending with dueAt ≤ now, or claimed
   * with an expired lease), oldest due first and, within a channel, lowest `order` first. A
   * claim holds for `leaseMs`; two workers never get the same entry.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /** Delivered: the entry is removed. */
  complete(id: string): Promise<void>;
  /** Failed for now: back to pending, due at `dueAt`, attempts + 1, the error kept. */
  retry(id: string, dueAt: number, error: OutboxError): Promise<void>;
  /**
   * Not tried this time (an earlier alert of the same channel failed, and order matters): back to
   * pending, due at `dueAt`, attempts unchanged.
   */
  release(id: string, dueAt: number): Promise<void>;
  /**
   * Every claimed entry back to pending, due at `now`. Only for a store one process owns (SQLite):
   * at start-up, claims left in it are from a run that died, and waiting out their lease would
   * only delay them. Returns how many.
   */
  releaseClaimed(now: number): Promise<number>;
  /** Failed for good (permanent, or out of attempts): kept as dead until revived or dropped. */
  bury(id: string, error: OutboxError): Promise<void>;
  list(filter?: { state?: OutboxState; channel?: string; limit?: number }): Promise<OutboxEntry[]>;
  /** Dead entries back to pending, due now, attempts reset; `ids` omitted: every dead entry. Returns how many. */
  revive(now: number, ids?: readonly string[]): Promise<number>;
  /** Removes dead entries; `ids` omitted: every dead entry. Returns how many. */
  drop(ids?: readonly string[]): Promise<number>;
  /**
   * Removes dead entries that died before `before` (epoch ms: their last error's time), so a
   * channel that keeps failing does not fill the store with dead alerts. Returns how many.
   */
  dropDeadBefore(before: number): Promise<number>;
  stats(): Promise<OutboxStats>;
  close(): Promise<void>;
}
