/**
 * Leases within one process, for the SQLite and memory stores: one process owns such a store, so
 * there is nobody else to coordinate with, but `run` uses the same code path as with Redis. Time
 * comes from the clock, so tests move it by hand.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Lease, Leases } from './types.js';

interface Held {
  token: string;
  expiresAt: number;
}

export function createLocalLeases(clock: Clock): Leases {
  const held = new Map<string, Held>();
  /** The live holding of `name` when it is still `token`'s. */
  const mine = (name: string, token: string): Held | undefined => {
    const current = held.get(name);
    return current && current.token === token && current.expiresAt > clock.now() ? current : undefined;
  };

  const lease = (name: string, token: string): Lease => ({
    name,
    token,
    renew: (ttlMs) => {
      const current = mine(name, token);
      if (current) current.expiresAt = clock.now() + ttlMs;
      return Promise.resolve(current !== undefined);
    },
    holdUntil: (epochMs) => {
      const current = mine(name, token);
      if (current && epochMs > clock.now()) current.expiresAt = epochMs;
      else if (current) held.delete(name);
      return Promise.resolve(current !== undefined);
    },
    release: () => {
      if (held.get(name)?.token === token) held.delete(name);
      return Promise.resolve();
    },
  });

  return {
    tryAcquire: (name, ttlMs) => {
      const current = held.get(name);
      if (current && current.expiresAt > clock.now()) return Promise.resolve(null);
      const token = randomBytes(16).toString('hex');
      held.set(name, { token, expiresAt: clock.now() + ttlMs });
      return Promise.resolve(lease(name, token));
    },
    close: () => {
      held.clear();
      return Promise.resolve();
    },
  };
}
