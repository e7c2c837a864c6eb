/**
 * Coordination over Redis: the leases and the cross-process keyed lock on one connection of
 * their own, each under its own key prefix. Loaded only for redis:// and rediss:// store URLs.
 */
import type { Clock } from '../clock.js';
import type { KeyedLock } from '../store/keyed-lock.js';
import { createLeaseKeyedLock, type LeaseLockOptions } from './lease-keyed-lock.js';
import { connectLeaseRedis, redisLeases } from './redis-leases.js';
import type { Leases } from './types.js';

export const REDIS_LOCK_PREFIX = 'wirewatch:lock:';

export interface RedisCoordinationOptions {
  clock?: Clock;
  lock?: LeaseLockOptions;
  /** Key prefixes (tests use their own; the server is shared). */
  leasePrefix?: string;
  lockPrefix?: string;
}

export async function openRedisCoordination(url: string, options: RedisCoordinationOptions = {}): Promise<{ leases: Leases; lock: KeyedLock; close(): Promise<void> }> {
  const connection = await connectLeaseRedis(url);
  const leases = redisLeases(connection, { prefix: options.leasePrefix, clock: options.clock });
  const lockLeases = redisLeases(connection, { prefix: options.lockPrefix ?? REDIS_LOCK_PREFIX, clock: options.clock });
  return { leases, lock: createLeaseKeyedLock(lockLeases, options.lock), close: () => connection.close() };
}
