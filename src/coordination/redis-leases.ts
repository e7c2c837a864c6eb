/**
 * Leases in Redis, for replicas that share one server. Taking a lease is `SET key token NX PX
 * ttl`: Redis sets the key only when nobody holds it, and expires it by itself, so a replica that
 * dies frees its leases within the TTL. Renewing, holding and freeing are Lua scripts that first
 * compare the token, so a replica whose lease lapsed and was taken by another never extends or
 * deletes the new holder's key.
 *
 * Loaded only for redis:// and rediss:// store URLs (index.ts imports it on demand).
 */
import { randomBytes } from 'node:crypto';
import { ErrorReply } from '@redis/client';
import { connectRedis } from '../redis-connection.js';
import { systemClock, type Clock } from '../clock.js';
import { WirewatchError } from '../errors.js';
import { sha1Hex } from '../hash.js';
import { redactUrl } from '../redact.js';
import type { Lease, Leases } from './types.js';

export const REDIS_LEASE_PREFIX = 'wirewatch:lease:';

// KEYS: the lease. ARGV: token, milliseconds. Extends the lease only while it holds the token.
const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

// KEYS: the lease. ARGV: token. Deletes the lease only while it holds the token.
const DROP = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The three things a lease needs from Redis, each mapped to store_unavailable when it fails. */
export interface LeaseConnection {
  /** SET key token NX PX ttl: true when this call took the key. */
  claim(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** PEXPIRE key ms, only while the key holds `token`; true when it did. */
  extend(key: string, token: string, ms: number): Promise<boolean>;
  /** DEL key, only while the key holds `token`. */
  drop(key: string, token: string): Promise<void>;
  close(): Promise<void>;
}

/** Redis wants a whole, positive number of milliseconds. */
const wholeMs = (ms: number): number => Math.max(1, Math.ceil(ms));

/** Opens a connection of its own to the Redis server at `url`, the way the outbox does. */
export async function connectLeaseRedis(url: string): Promise<LeaseConnection> {
  const where = `coordination at ${redactUrl(url)}`;
  const client = await connectRedis(url, 'the coordination');

  const command = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new WirewatchError('store_unavailable', `the ${where} cannot be reached: ${(error as Error).message}`, { cause: error });
    }
  };
  /** EVALSHA, loading the script with EVAL the first time the server does not know it. */
  const script = (source: string, key: string, args: (string | number)[]) =>
    command(async () => {
      const call = { keys: [key], arguments: args.map(String) };
      try {
        return await client.evalSha(sha1Hex(source), call);
      } catch (error) {
        if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
        return client.eval(source, call);
      }
    });

  return {
    claim: async (key, token, ttlMs) =>
      (await command(() => client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: wholeMs(ttlMs) } }))) === 'OK',
    extend: async (key, token, ms) => Number(await script(EXTEND, key, [token, wholeMs(ms)])) === 1,
    drop: async (key, token) => {
      await script(DROP, key, [token]);
    },
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}

/**
 * Leases under `prefix` on a connection. `close` closes the connection when `ownsConnection`
 * (several sets of leases may share one).
 */
export function redisLeases(connection: LeaseConnection, options: { prefix?: string; clock?: Clock; ownsConnection?: boolean } = {}): Leases {
  const prefix = options.prefix ?? REDIS_LEASE_PREFIX;
  const clock = options.clock ?? systemClock;
  const lease = (name: string, key: string, token: string): Lease => ({
    name,
    token,
    renew: (ttlMs) => connection.extend(key, token, ttlMs),
    holdUntil: async (epochMs) => {
      // A duration rather than PEXPIREAT: it does not depend on this host's clock agreeing with the server's.
      const left = epochMs - clock.now();
      if (left > 0) return connection.extend(key, token, left);
      await connection.drop(key, token);
      return true;
    },
    release: () => connection.drop(key, token),
  });
  return {
    tryAcquire: async (name, ttlMs) => {
      const key = prefix + name;
      const token = randomBytes(16).toString('hex');
      return (await connection.claim(key, token, ttlMs)) ? lease(name, key, token) : null;
    },
    close: async () => {
      if (options.ownsConnection) await connection.close();
    },
  };
}

/** Leases on a Redis connection of their own; `close` closes it. */
export async function openRedisLeases(url: string, options: { prefix?: string; clock?: Clock } = {}): Promise<Leases> {
  return redisLeases(await connectLeaseRedis(url), { ...options, ownsConnection: true });
}
