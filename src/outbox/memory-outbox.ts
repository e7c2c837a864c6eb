/**
 * The outbox in memory, for dry runs and for tests of the code around it. Nothing survives the
 * process; every operation runs synchronously, so claims are atomic by construction.
 */
import { WirewatchError, asWirewatchError } from '../errors.js';
import { compareEntries, newEntry } from './entry.js';
import type { Outbox, OutboxEntry } from './types.js';

export function createMemoryOutbox(): Outbox {
  const entries = new Map<string, OutboxEntry>();
  let closed = false;
  const copy = (entry: OutboxEntry): OutboxEntry => structuredClone(entry);
  /** Runs one operation as a promise, like the other backends; a closed outbox refuses. */
  const run = <T>(operation: () => T): Promise<T> => {
    if (closed) return Promise.reject(new WirewatchError('store_unavailable', 'the memory outbox is closed'));
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(asWirewatchError(error));
    }
  };
  const deadOnes = (ids?: readonly string[]): OutboxEntry[] =>
    (ids ? [...new Set(ids)].map((id) => entries.get(id)) : [...entries.values()]).filter(
      (entry): entry is OutboxEntry => entry !== undefined && entry.state === 'dead',
    );

  return {
    enqueue: (batch, now) =>
      run(() => {
        let added = 0;
        for (const item of batch) {
          const entry = newEntry(structuredClone(item), now);
          if (entries.has(entry.id)) continue;
          entries.set(entry.id, entry);
          added += 1;
        }
        return added;
      }),
    claimDue: (now, limit, leaseMs) =>
      run(() => {
        const due = [...entries.values()]
          .filter((e) => (e.state === 'pending' && e.dueAt <= now) || (e.state === 'claimed' && (e.leaseUntil ?? 0) <= now))
          .sort(compareEntries)
          .slice(0, Math.max(0, limit));
        for (const entry of due) Object.assign(entry, { state: 'claimed', leaseUntil: now + leaseMs });
        return due.map(copy);
      }),
    complete: (id) =>
      run(() => {
        entries.delete(id);
      }),
    retry: (id, dueAt, error) =>
      run(() => {
        const entry = entries.get(id);
        if (entry) Object.assign(entry, { state: 'pending', dueAt, attempts: entry.attempts + 1, leaseUntil: null, lastError: { ...error } });
      }),
    releaseClaimed: (now) =>
      run(() => {
        let count = 0;
        for (const entry of entries.values()) {
          if (entry.state !== 'claimed') continue;
          Object.assign(entry, { state: 'pending', dueAt: now, leaseUntil: null });
          count++;
        }
        return count;
      }),
    release: (id, dueAt) =>
      run(() => {
        const entry = entries.get(id);
        if (entry) Object.assign(entry, { state: 'pending', dueAt, leaseUntil: null });
      }),
    bury: (id, error) =>
      run(() => {
        const entry = entries.get(id);
        if (entry) Object.assign(entry, { state: 'dead', attempts: entry.attempts + 1, leaseUntil: null, lastError: { ...error } });
      }),
    list: (filter = {}) =>
      run(() =>
        [...entries.values()]
          .filter((e) => (filter.state === undefined || e.state === filter.state) && (filter.channel === undefined || e.channel === filter.channel))
          .sort(compareEntries)
          .slice(0, Math.max(0, filter.limit ?? Infinity))
          .map(copy),
      ),
    revive: (now, ids) =>
      run(() => {
        const dead = deadOnes(ids);
        for (const entry of dead) Object.assign(entry, { state: 'pending', dueAt: now, attempts: 0, leaseUntil: null });
        return dead.length;
      }),
    drop: (ids) =>
      run(() => {
        const dead = deadOnes(ids);
        for (const entry of dead) entries.delete(entry.id);
        return dead.length;
      }),
    dropDeadBefore: (before) =>
      run(() => {
        const old = [...entries.values()].filter((e) => e.state === 'dead' && (e.lastError?.at ?? 0) < before);
        for (const entry of old) entries.delete(entry.id);
        return old.length;
      }),
    stats: () =>
      run(() => {
        const all = [...entries.values()];
        const pending = all.filter((e) => e.state === 'pending');
        return {
          pending: pending.length,
          claimed: all.filter((e) => e.state === 'claimed').length,
          dead: all.filter((e) => e.state === 'dead').length,
          oldestDueAt: pending.length === 0 ? null : Math.min(...pending.map((e) => e.dueAt)),
        };
      }),
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
}
