/**
 * The store's KeyedLock across processes: one writer per key among every replica that shares the
 * leases (Redis). Within a process, runs first queue on the in-process lock, so a process never
 * spins against itself; then the run takes the key's lease, retrying with a short jittered
 * backoff until `waitMs`, renews it while the work runs, and frees it with compare-and-delete.
 *
 * The lock is a lease: a holder paused for longer than the TTL (and past its renewals) can lose
 * it while it still writes. Renewing every third of the TTL makes that unlikely, and the records
 * under it (watchlists, feeds, the subscription index) change only on chat commands.
 */
import { WirewatchError } from '../errors.js';
import type { Logger } from '../log.js';
import { createKeyedLock, type KeyedLock } from '../store/keyed-lock.js';
import { keepRenewed } from './renewal.js';
import type { Lease, Leases } from './types.js';

export interface LeaseLockOptions {
  /** How long a key stays locked without renewal (how soon a dead holder frees it). */
  ttlMs?: number;
  /** How long a run waits for a key held elsewhere before lock_timeout. */
  waitMs?: number;
  logger?: Logger;
}

const FIRST_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 50;

/** 5, 10, 20, 40, 50, 50 … ms, each between half and all of that, so waiting replicas do not retry in step. */
function backoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createLeaseKeyedLock(leases: Leases, options: LeaseLockOptions = {}): KeyedLock {
  const ttlMs = options.ttlMs ?? 10_000;
  const waitMs = options.waitMs ?? 10_000;
  const local = createKeyedLock();

  const acquire = async (key: string): Promise<Lease> => {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      const lease = await leases.tryAcquire(key, ttlMs);
      if (lease) return lease;
      const left = waitMs - (performance.now() - started);
      if (left <= 0) {
        throw new WirewatchError('lock_timeout', `the lock on "${key}" was held elsewhere for longer than ${waitMs} ms; nothing was changed`, {
          details: { key, waitMs },
        });
      }
      await sleep(Math.min(left, backoffMs(attempt)));
    }
  };

  const runHolding = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const lease = await acquire(key);
    const renewal = keepRenewed(lease, ttlMs, (reason, error) =>
      options.logger?.warn({ lock: key, reason, err: error }, 'lock lost while its holder was still writing'),
    );
    try {
      return await work();
    } finally {
      await renewal.stop();
      // A release that fails leaves the key to lapse within the TTL; the work's outcome stands.
      await lease.release().catch((error: unknown) => options.logger?.warn({ lock: key, err: error }, 'could not release the lock; it lapses by itself'));
    }
  };

  return { run: (key, work) => local.run(key, () => runHolding(key, work)) };
}
