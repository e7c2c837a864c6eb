/**
 * Keeps a lease alive while work runs: renews it every third of its TTL, so one late or failed
 * renewal still leaves time for the next. A renewal that finds the lease gone, or two failures in
 * a row, mean it is lost: `onLost` is called once and renewing stops.
 */
import type { Lease } from './types.js';

export interface Renewal {
  /** Stops renewing; resolves once a renewal in flight has settled. True when the lease was lost. */
  stop(): Promise<boolean>;
}

export function keepRenewed(lease: Lease, ttlMs: number, onLost: (reason: 'taken' | 'unreachable', error?: unknown) => void): Renewal {
  let failures = 0;
  let lost = false;
  let inFlight: Promise<void> | null = null;

  const lose = (reason: 'taken' | 'unreachable', error?: unknown) => {
    lost = true;
    clearInterval(timer);
    onLost(reason, error);
  };
  const renewOnce = async () => {
    try {
      const kept = await lease.renew(ttlMs);
      failures = 0;
      if (!kept) lose('taken');
    } catch (error) {
      failures += 1;
      if (failures >= 2) lose('unreachable', error);
    }
  };
  const timer = setInterval(() => {
    // A slow renewal is not stacked on: the next tick comes a third of the TTL later anyway.
    if (lost || inFlight) return;
    inFlight = renewOnce().finally(() => {
      inFlight = null;
    });
  }, Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref();

  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
      return lost;
    },
  };
}
