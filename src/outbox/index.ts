/**
 * Opens the outbox next to the store named by STORE_URL: the same SQLite file, the same Redis
 * server, or memory for dry runs. The SQLite and Redis implementations (and sqlite3 and
 * @redis/client) are loaded only when opened.
 */
import { WirewatchError } from '../errors.js';
import { redactUrl } from '../redact.js';
import { createMemoryOutbox } from './memory-outbox.js';
import type { Outbox } from './types.js';

export type { NewOutboxEntry, Outbox, OutboxEntry, OutboxError, OutboxState, OutboxStats } from './types.js';
export { entryId } from './entry.js';
export { createMemoryOutbox } from './memory-outbox.js';
export { REDIS_OUTBOX_PREFIX } from './redis-prefix.js';

/** The outbox in Redis at `url` (keys under `prefix`, REDIS_OUTBOX_PREFIX by default). */
export async function openRedisOutbox(url: string, options: { prefix?: string } = {}): Promise<Outbox> {
  const redis = await import('./redis-outbox.js');
  return redis.openRedisOutbox(url, options);
}

/** The outbox in the SQLite file at `path`. */
export async function openSqliteOutbox(path: string): Promise<Outbox> {
  const sqlite = await import('./sqlite-outbox.js');
  return sqlite.openSqliteOutbox(path);
}

/** sqlite://FILE, redis://… or rediss://…, memory://; anything else is store_url_invalid. */
export async function openOutbox(storeUrl: string): Promise<Outbox> {
  if (storeUrl.startsWith('sqlite://')) return openSqliteOutbox(storeUrl.slice('sqlite://'.length));
  if (storeUrl.startsWith('redis://') || storeUrl.startsWith('rediss://')) return openRedisOutbox(storeUrl);
  if (storeUrl.startsWith('memory://')) return createMemoryOutbox();
  throw new WirewatchError('store_url_invalid', `unsupported store URL ${redactUrl(storeUrl)}`);
}

/** A channel's alerts in the outbox: how many wait, how many are dead, the latest error, and the failures by code. */
export async function channelQueue(
  outbox: Outbox,
  channel: string,
): Promise<{ pending: number; dead: number; lastError: { code: string; message: string } | null; failures: Record<string, number> }> {
  const entries = await outbox.list({ channel });
  const dead = entries.filter((entry) => entry.state === 'dead').length;
  let last: { code: string; message: string; at: number } | null = null;
  const failures: Record<string, number> = {};
  for (const entry of entries) {
    if (!entry.lastError) continue;
    failures[entry.lastError.code] = (failures[entry.lastError.code] ?? 0) + 1;
    if (!last || entry.lastError.at > last.at) last = entry.lastError;
  }
  return { pending: entries.length - dead, dead, lastError: last ? { code: last.code, message: last.message } : null, failures };
}
