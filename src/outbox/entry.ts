/**
 * What every outbox implementation shares: the entry id, the claim order, and the coded errors a
 * backend failure becomes.
 */
import { WirewatchError } from '../errors.js';
import { sha1Hex } from '../hash.js';
import type { NewOutboxEntry, OutboxEntry } from './types.js';

/** The same (channel, story) always gives the same id, so enqueueing an alert twice keeps one entry. */
export function entryId(channel: string, storyId: string): string {
  return sha1Hex(JSON.stringify([channel, storyId]));
}

/** Claim and list order: oldest due first, then lowest `order`, then id (a stable tie-break). */
export function compareEntries(a: Pick<OutboxEntry, 'dueAt' | 'order' | 'id'>, b: Pick<OutboxEntry, 'dueAt' | 'order' | 'id'>): number {
  return a.dueAt - b.dueAt || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function newEntry(entry: NewOutboxEntry, now: number): OutboxEntry {
  return {
    id: entryId(entry.channel, entry.storyId),
    channel: entry.channel,
    storyId: entry.storyId,
    order: entry.order,
    payload: entry.payload,
    dueAt: entry.dueAt,
    state: 'pending',
    attempts: 0,
    enqueuedAt: now,
    leaseUntil: null,
    lastError: null,
  };
}

/** Read failures and write failures get their own codes, as in the key-value store. */
export async function reading<T>(description: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof WirewatchError) throw error;
    throw new WirewatchError('store_unavailable', `the outbox cannot be read: ${description}: ${(error as Error).message}`, { cause: error });
  }
}

export async function writing<T>(description: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof WirewatchError) throw error;
    throw new WirewatchError('store_write_failed', `the outbox cannot be written: ${description}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
