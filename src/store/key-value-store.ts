/**
 * The key-value store under every repository: keyv on SQLite (default, one file), Redis (several
 * replicas) or memory (tests, dry runs). Repositories see only this small interface. Each
 * backend's adapter is loaded when a URL names it, so a process on SQLite never loads the Redis
 * client, and one on Redis never loads the SQLite binding.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import { WirewatchError } from '../errors.js';
import { redactUrl } from '../redact.js';
import type { RawSqliteAdapter } from './sqlite-batches.js';
import { systemClock, type Clock } from '../clock.js';
import { deserializeRecord, serializeRecord } from './serialization.js';

export type StoreKind = 'sqlite' | 'redis' | 'memory';

export interface KeyValueStore {
  readonly kind: StoreKind;
  /** The URL with any password removed, for logs. */
  readonly description: string;
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: string[]): Promise<(T | undefined)[]>;
  /** `ttlMs` omitted: kept until deleted. */
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  /**
   * Many writes, `atOnce` of them issued together (default WRITES_AT_ONCE), each slice awaited
   * before the next: issued together, the SQLite layer coalesces them into multi-row statements
   * and Redis pipelines them, where one awaited write after another costs a statement or a round
   * trip each; sliced, a call with tens of thousands of entries never holds all their serialised
   * values at once. Not atomic: a failure leaves the writes before it in place.
   */
  setMany<T>(entries: readonly StoreEntry<T>[], atOnce?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Many deletes, issued together like setMany's writes. */
  deleteMany(keys: readonly string[], atOnce?: number): Promise<void>;
  /** Removes expired entries the backend does not expire by itself; returns how many. */
  sweepExpired(now: number): Promise<number>;
  close(): Promise<void>;
}

export interface StoreEntry<T> {
  key: string;
  value: T;
  /** Omitted: kept until deleted. */
  ttlMs?: number;
}

/** setMany's slice: about one coalesced SQLite statement's worth of small records. */
const WRITES_AT_ONCE = 1000;

/** Runs `each` over the items `atOnce` at a time, the calls of a slice issued together. */
async function inSlices<T>(items: readonly T[], atOnce: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += atOnce) {
    await Promise.all(items.slice(start, start + atOnce).map(each));
  }
}

const NAMESPACE = 'wirewatch';

interface SqliteQuery {
  query(sql: string, ...parameters: unknown[]): Promise<Record<string, unknown>[]>;
}

/** sqlite://./data/x.sqlite → an absolute file path; creates the folder on first run. */
function sqlitePath(url: string): string {
  const raw = url.replace(/^sqlite:\/\//, '');
  if (raw === ':memory:') return raw;
  const path = resolve(raw);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

/** Read failures and write failures get their own codes: a write failure must stop delivery. */
async function reading<T>(description: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new WirewatchError('store_unavailable', `the store cannot be read: ${description}: ${(error as Error).message}`, { cause: error });
  }
}

async function writing(description: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw new WirewatchError('store_write_failed', `the store cannot be written: ${description}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** What keyv keeps per key: the value and when it expires (epoch ms), if it does. */
interface Stored<T> {
  value?: T;
  expires?: number | null;
}

/**
 * Expiry follows the service's clock. keyv stamps `expires` from the system time and hides what
 * that time has passed; the clock is the system time in the service, but a benchmark or a test
 * that runs days in seconds moves it ahead. So a TTL is handed to keyv stretched by however far
 * the clock is ahead (never shortened: a test's clock fixed in the past changes nothing), reads
 * also hide what the clock has passed, and the sweep removes it. The stretch is measured just
 * before keyv reads the system time itself, so an expiry can land a millisecond or two after the
 * clock's (when the system clock ticks in between); TTLs here are hours.
 */
function wrap(kind: StoreKind, description: string, keyv: Keyv, sqlite: SqliteQuery | null, clock: Clock): KeyValueStore {
  const live = <T>(stored: Stored<T> | undefined | null): T | undefined =>
    stored === undefined || stored === null || (typeof stored.expires === 'number' && stored.expires < clock.now()) ? undefined : (stored.value ?? undefined);
  const set = <T>(key: string, value: T, ttlMs?: number) =>
    writing(description, () => keyv.set(key, value, ttlMs === undefined ? undefined : ttlMs + Math.max(0, clock.now() - Date.now())));
  const remove = (key: string) => writing(description, () => keyv.delete(key));
  return {
    kind,
    description,
    get: async <T>(key: string) => live((await reading(description, () => keyv.get<T>(key, { raw: true }))) as Stored<T> | undefined),
    getMany: async <T>(keys: string[]) =>
      keys.length === 0
        ? []
        : ((await reading(description, () => keyv.getMany<T>(keys, { raw: true }))) as (Stored<T> | undefined)[]).map((stored) => live(stored)),
    set,
    setMany: (entries, atOnce = WRITES_AT_ONCE) => inSlices(entries, atOnce, (entry) => set(entry.key, entry.value, entry.ttlMs)),
    delete: remove,
    deleteMany: (keys, atOnce = WRITES_AT_ONCE) => inSlices(keys, atOnce, remove),
    sweepExpired: async (now) => {
      if (!sqlite) return 0; // Redis expires keys itself; the memory store drops them on read.
      let rows: Record<string, unknown>[] = [];
      await writing(description, async () => {
        rows = await sqlite.query(
          `DELETE FROM keyv WHERE key LIKE ? AND json_extract(value, '$.expires') < ? RETURNING key`,
          `${NAMESPACE}:%`,
          now,
        );
      });
      return rows.length;
    },
    close: async () => {
      await keyv.disconnect();
    },
  };
}

async function openSqlite(url: string, clock: Clock): Promise<KeyValueStore> {
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  const { batchSqliteAdapter } = await import('./sqlite-batches.js');
  const adapter = new KeyvSqlite({ uri: `sqlite://${sqlitePath(url)}`, busyTimeout: 5000 });
  batchSqliteAdapter(adapter as unknown as RawSqliteAdapter);
  const sqlite = adapter as unknown as SqliteQuery;
  // WAL: readers never block the writer, and a commit needs no fsync of the main file.
  await sqlite.query('PRAGMA journal_mode=WAL');
  await sqlite.query('PRAGMA synchronous=NORMAL');
  const keyv = new Keyv({ store: adapter, namespace: NAMESPACE, throwOnErrors: true, serialize: serializeRecord, deserialize: deserializeRecord });
  return wrap('sqlite', url, keyv, sqlite, clock);
}

async function openRedis(url: string, clock: Clock): Promise<KeyValueStore> {
  const { default: KeyvRedis } = await import('@keyv/redis');
  const adapter = new KeyvRedis(url, { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 5000 });
  const keyv = new Keyv({ store: adapter, namespace: NAMESPACE, throwOnErrors: true, serialize: serializeRecord, deserialize: deserializeRecord });
  return wrap('redis', redactUrl(url), keyv, null, clock);
}

/**
 * Proves the store takes writes: a service that cannot record what it posted would post it again
 * every cycle, so `run` refuses to start instead (store_write_failed).
 */
export async function assertWritable(store: KeyValueStore, now: number): Promise<void> {
  await store.set('write-probe', now, 60_000);
  await store.delete('write-probe');
}

/**
 * Opens the store named by STORE_URL and proves it answers, so a wrong URL fails at start-up
 * with a clear message instead of at the first poll.
 */
export async function openStore(url: string, options: { clock?: Clock } = {}): Promise<KeyValueStore> {
  const clock = options.clock ?? systemClock;
  let store: KeyValueStore;
  try {
    if (url.startsWith('sqlite://')) store = await openSqlite(url, clock);
    else if (url.startsWith('redis://') || url.startsWith('rediss://')) store = await openRedis(url, clock);
    else if (url.startsWith('memory://')) store = wrap('memory', url, new Keyv({ namespace: NAMESPACE, throwOnErrors: true }), null, clock);
    else throw new WirewatchError('store_url_invalid', `unsupported store URL ${redactUrl(url)}`);
    await store.get('health-probe');
  } catch (error) {
    if (error instanceof WirewatchError) throw error;
    throw new WirewatchError('store_unavailable', `cannot open the store at ${redactUrl(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return store;
}
