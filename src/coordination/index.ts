/**
 * Coordination between replicas that share one store: leases (one replica runs the poll cycle
 * per tick) and the keyed lock the repositories write under. On Redis both live in the server,
 * so every replica sees them; on SQLite and memory, which one process owns, they live in the
 * process. The Redis implementation (and @redis/client) is loaded only for redis:// URLs.
 */
import { systemClock } from '../clock.js';
import { WirewatchError } from '../errors.js';
import { redactUrl } from '../redact.js';
import { createKeyedLock, type KeyedLock } from '../store/keyed-lock.js';
import { createLocalLeases } from './local-leases.js';
import type { RedisCoordinationOptions } from './redis-coordination.js';
import type { Clock } from '../clock.js';
import type { Leases } from './types.js';

export type { Lease, Leases } from './types.js';
export type { LeaseLockOptions } from './lease-keyed-lock.js';
export type { LeaseRun, RunWithLeaseOptions } from './run-with-lease.js';
export type { RedisCoordinationOptions } from './redis-coordination.js';
export { createLocalLeases } from './local-leases.js';
export { createLeaseKeyedLock } from './lease-keyed-lock.js';
export { runWithLease } from './run-with-lease.js';

export interface Coordination {
  /** 'redis' when replicas share it; 'local' when this process is the only one. */
  readonly kind: 'local' | 'redis';
  leases: Leases;
  /** The lock the repositories read, change and write records under. */
  lock: KeyedLock;
  close(): Promise<void>;
}

const isRedisUrl = (url: string) => url.startsWith('redis://') || url.startsWith('rediss://');

/** Opens the coordination for the store named by STORE_URL: Redis for redis://…, the process otherwise. */
export async function openCoordination(storeUrl: string, options: RedisCoordinationOptions = {}): Promise<Coordination> {
  if (isRedisUrl(storeUrl)) {
    const { openRedisCoordination } = await import('./redis-coordination.js');
    return { kind: 'redis', ...(await openRedisCoordination(storeUrl, options)) };
  }
  if (storeUrl.startsWith('sqlite://') || storeUrl.startsWith('memory://')) {
    const leases = createLocalLeases(options.clock ?? systemClock);
    return { kind: 'local', leases, lock: createKeyedLock(), close: () => leases.close() };
  }
  throw new WirewatchError('store_url_invalid', `unsupported store URL ${redactUrl(storeUrl)}`);
}

/** Leases on a Redis connection of their own (`close` closes it). */
export async function createRedisLeases(url: string, options: { prefix?: string; clock?: Clock } = {}): Promise<Leases> {
  const { openRedisLeases } = await import('./redis-leases.js');
  return openRedisLeases(url, options);
}
