/**
 * Runs work on one replica only: the one that takes the lease. While the work runs the lease is
 * renewed; if it is lost the work's signal is aborted (another replica may be doing the same work
 * by then). Afterwards the lease is kept, no longer renewed, until `holdForMs` after the start,
 * so a replica whose cron tick for the same slot fires a little later finds it taken and does
 * not run the work again.
 */
import type { Clock } from '../clock.js';
import { WirewatchError } from '../errors.js';
import type { Logger } from '../log.js';
import { keepRenewed } from './renewal.js';
import type { Leases } from './types.js';

export interface RunWithLeaseOptions {
  /** How long the lease lives without a renewal: how soon a replica that died frees it. */
  ttlMs: number;
  /** From the start, how long the lease is kept after the work (for a cron tick: under the interval). */
  holdForMs: number;
  clock: Clock;
  logger: Logger;
}

export type LeaseRun<T> = { ran: false } | { ran: true; value: T };

export async function runWithLease<T>(
  leases: Leases,
  name: string,
  options: RunWithLeaseOptions,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<LeaseRun<T>> {
  const { clock, logger } = options;
  const start = clock.now();
  const lease = await leases.tryAcquire(name, options.ttlMs);
  if (!lease) return { ran: false };

  const controller = new AbortController();
  const renewal = keepRenewed(lease, options.ttlMs, (reason, error) => {
    logger.warn({ lease: name, reason, err: error }, 'lease lost while its work ran; the work is aborted');
    controller.abort(new WirewatchError('lease_lost', `the lease "${name}" was lost while its work ran`, { details: { lease: name, reason } }));
  });
  try {
    return { ran: true, value: await work(controller.signal) };
  } finally {
    const lost = await renewal.stop();
    if (!lost) {
      try {
        // holdUntil frees the lease at once when the time has already passed.
        await lease.holdUntil(start + options.holdForMs);
      } catch (error) {
        // The lease lapses by itself within its TTL; the work's own outcome matters more.
        logger.warn({ lease: name, err: error }, 'could not hold or release the lease after its work; it lapses by itself');
      }
    }
  }
}
