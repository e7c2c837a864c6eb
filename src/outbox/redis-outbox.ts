/**
 * The outbox in Redis, for replicas that share one server. Each entry is a hash; three sorted
 * sets index them: pending (scored by due time), claimed (scored by lease end) and dead. A
 * member is the entry's `order` as a fixed-width number followed by its id, so entries due at
 * the same time sort by `order`. Every change is one Lua script, so it is atomic: two workers
 * never claim the same entry, and an entry is never in two sets at once.
 */
import { ErrorReply } from '@redis/client';
import { connectRedis } from '../redis-connection.js';
import { sha1Hex } from '../hash.js';
import { redactUrl } from '../redact.js';
import { compareEntries, newEntry, reading, writing } from './entry.js';
import type { Outbox, OutboxEntry, OutboxError, OutboxState, OutboxStats } from './types.js';
import { REDIS_OUTBOX_PREFIX } from './redis-prefix.js';

export { REDIS_OUTBOX_PREFIX };

/** Entries per enqueue script call: each call is atomic, and a repeat is harmless (by id). */
const ENQUEUE_CHUNK = 500;
/** `order` as 16 digits: epoch milliseconds fit with room to spare. */
const ORDER_OFFSET = 1e15;
const ORDER_WIDTH = 16;

/** The sorted-set member for an entry: fixed-width `order`, then the id (ties stay stable). */
function member(order: number, id: string): string {
  const clamped = Math.min(Math.max(Math.round(order), -ORDER_OFFSET + 1), ORDER_OFFSET - 1);
  return String(clamped + ORDER_OFFSET).padStart(ORDER_WIDTH, '0') + id;
}

// KEYS: pending. ARGV: prefix, now, then (id, member, channel, storyId, order, payload, dueAt) per entry.
const ENQUEUE = `
local prefix, now = ARGV[1], ARGV[2]
local added = 0
for i = 3, #ARGV, 7 do
  local key = prefix .. 'entry:' .. ARGV[i]
  if redis.call('EXISTS', key) == 0 then
    redis.call('HSET', key, 'id', ARGV[i], 'm', ARGV[i + 1], 'channel', ARGV[i + 2], 'storyId', ARGV[i + 3],
      'order', ARGV[i + 4], 'payload', ARGV[i + 5], 'state', 'pending', 'attempts', '0', 'dueAt', ARGV[i + 6],
      'leaseUntil', '', 'enqueuedAt', now, 'lastError', '')
    redis.call('ZADD', KEYS[1], ARGV[i + 6], ARGV[i + 1])
    added = added + 1
  end
end
return added`;

// KEYS: pending, claimed. ARGV: prefix, now, limit, lease end.
// Candidates: the first `limit` pending entries due by now, and every claim whose lease has run
// out (few: only what crashed workers held); the oldest due of them, then lowest order, win.
const CLAIM = `
local prefix, now, limit, lease = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local candidates = {}
local pending = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
for i = 1, #pending, 2 do
  candidates[#candidates + 1] = { pending[i], tonumber(pending[i + 1]), KEYS[1] }
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, m in ipairs(expired) do
  local due = redis.call('HGET', prefix .. 'entry:' .. string.sub(m, ${ORDER_WIDTH + 1}), 'dueAt')
  if due then
    candidates[#candidates + 1] = { m, tonumber(due), KEYS[2] }
  else
    redis.call('ZREM', KEYS[2], m)
  end
end
table.sort(candidates, function(a, b)
  if a[2] ~= b[2] then return a[2] < b[2] end
  return a[1] < b[1]
end)
local claimed = {}
for i = 1, math.min(limit, #candidates) do
  local m = candidates[i][1]
  local key = prefix .. 'entry:' .. string.sub(m, ${ORDER_WIDTH + 1})
  redis.call('ZREM', candidates[i][3], m)
  redis.call('ZADD', KEYS[2], lease, m)
  redis.call('HSET', key, 'state', 'claimed', 'leaseUntil', lease)
  claimed[#claimed + 1] = redis.call('HGETALL', key)
end
return claimed`;

// KEYS: pending, claimed, dead. ARGV: prefix, id.
const COMPLETE = `
local key = ARGV[1] .. 'entry:' .. ARGV[2]
local m = redis.call('HGET', key, 'm')
if not m then return 0 end
redis.call('ZREM', KEYS[1], m)
redis.call('ZREM', KEYS[2], m)
redis.call('ZREM', KEYS[3], m)
redis.call('DEL', key)
return 1`;

// Back to pending, due at the given time. KEYS: pending, claimed, dead. ARGV: prefix, id, due
// time, then the error JSON for a failed send (attempts + 1, the error kept) or nothing for an
// entry released untried (attempts and last error unchanged).
const TO_PENDING = `
local key = ARGV[1] .. 'entry:' .. ARGV[2]
local m = redis.call('HGET', key, 'm')
if not m then return 0 end
redis.call('ZREM', KEYS[2], m)
redis.call('ZREM', KEYS[3], m)
redis.call('ZADD', KEYS[1], ARGV[3], m)
redis.call('HSET', key, 'state', 'pending', 'dueAt', ARGV[3], 'leaseUntil', '')
if ARGV[4] then
  redis.call('HINCRBY', key, 'attempts', 1)
  redis.call('HSET', key, 'lastError', ARGV[4])
end
return 1`;

// KEYS: pending, claimed. ARGV: prefix, due time.
const RELEASE_CLAIMED = `
local members = redis.call('ZRANGE', KEYS[2], 0, -1)
for _, m in ipairs(members) do
  local key = ARGV[1] .. 'entry:' .. string.sub(m, ${ORDER_WIDTH + 1})
  redis.call('ZREM', KEYS[2], m)
  if redis.call('EXISTS', key) == 1 then
    redis.call('ZADD', KEYS[1], ARGV[2], m)
    redis.call('HSET', key, 'state', 'pending', 'dueAt', ARGV[2], 'leaseUntil', '')
  end
end
return #members`;

// KEYS: pending, claimed, dead. ARGV: prefix, id, error JSON.
const BURY = `
local key = ARGV[1] .. 'entry:' .. ARGV[2]
local m = redis.call('HGET', key, 'm')
if not m then return 0 end
redis.call('ZREM', KEYS[1], m)
redis.call('ZREM', KEYS[2], m)
redis.call('ZADD', KEYS[3], redis.call('HGET', key, 'dueAt'), m)
redis.call('HINCRBY', key, 'attempts', 1)
redis.call('HSET', key, 'state', 'dead', 'leaseUntil', '', 'lastError', ARGV[3])
return 1`;

// Dead entries named in ARGV[3..] (or every dead entry when ARGV[2] is 'all').
const DEAD_MEMBERS = `
local function deadMembers(prefix, mode, first)
  if mode == 'all' then return redis.call('ZRANGE', KEYS[2], 0, -1) end
  local found, seen = {}, {}
  for i = first, #ARGV do
    local key = prefix .. 'entry:' .. ARGV[i]
    local m = redis.call('HGET', key, 'm')
    if m and not seen[m] and redis.call('HGET', key, 'state') == 'dead' then
      seen[m] = true
      found[#found + 1] = m
    end
  end
  return found
end`;

// KEYS: pending, dead. ARGV: prefix, 'all' | 'ids', now, ids…
const REVIVE = `${DEAD_MEMBERS}
local prefix, now = ARGV[1], ARGV[3]
local members = deadMembers(prefix, ARGV[2], 4)
for _, m in ipairs(members) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZADD', KEYS[1], now, m)
  redis.call('HSET', prefix .. 'entry:' .. string.sub(m, ${ORDER_WIDTH + 1}), 'state', 'pending', 'dueAt', now, 'attempts', '0', 'leaseUntil', '')
end
return #members`;

// KEYS: pending (unused), dead. ARGV: prefix, 'all' | 'ids', ids…
const DROP = `${DEAD_MEMBERS}
local prefix = ARGV[1]
local members = deadMembers(prefix, ARGV[2], 3)
for _, m in ipairs(members) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('DEL', prefix .. 'entry:' .. string.sub(m, ${ORDER_WIDTH + 1}))
end
return #members`;

// Dead entries whose last error is older than ARGV[2], among the ARGV[4] members from rank
// ARGV[3]. KEYS: dead. ARGV: prefix, before, offset, count. Returns {dropped, scanned}.
const DROP_DEAD_BEFORE = `
local prefix, before, offset = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local members = redis.call('ZRANGE', KEYS[1], offset, offset + tonumber(ARGV[4]) - 1)
local dropped = 0
for _, m in ipairs(members) do
  local key = prefix .. 'entry:' .. string.sub(m, ${ORDER_WIDTH + 1})
  local raw = redis.call('HGET', key, 'lastError')
  local at = 0
  if raw and raw ~= '' then at = tonumber(cjson.decode(raw).at) or 0 end
  if at < before then
    redis.call('ZREM', KEYS[1], m)
    redis.call('DEL', key)
    dropped = dropped + 1
  end
end
return {dropped, #members}`;

/**
 * Dead members one DROP_DEAD_BEFORE call looks at. A script blocks Redis while it runs: a
 * channel that failed for weeks can leave tens of thousands of dead alerts, and one script over
 * all of them would stall every replica's commands for its length.
 */
const DEAD_SCAN_BATCH = 500;

function fromHash(hash: Record<string, string>): OutboxEntry {
  const number = (field: string) => Number(hash[field]);
  const lease = hash.leaseUntil ?? '';
  const error = hash.lastError ?? '';
  return {
    id: hash.id ?? '',
    channel: hash.channel ?? '',
    storyId: hash.storyId ?? '',
    order: number('order'),
    payload: JSON.parse(hash.payload ?? 'null') as unknown,
    dueAt: number('dueAt'),
    state: (hash.state ?? 'pending') as OutboxState,
    attempts: number('attempts'),
    enqueuedAt: number('enqueuedAt'),
    leaseUntil: lease === '' ? null : Number(lease),
    lastError: error === '' ? null : (JSON.parse(error) as OutboxError),
  };
}

/** HGETALL as a Lua script returns it: [field, value, field, value, …]. */
function pairs(flat: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return hash;
}

/** Opens the outbox on the Redis server at `url` (redis:// or rediss://). */
export async function openRedisOutbox(url: string, options: { prefix?: string } = {}): Promise<Outbox> {
  const prefix = options.prefix ?? REDIS_OUTBOX_PREFIX;
  const description = `redis outbox ${redactUrl(url)}`;
  const keys = { pending: `${prefix}pending`, claimed: `${prefix}claimed`, dead: `${prefix}dead` };
  const entryKey = (id: string) => `${prefix}entry:${id}`;
  const client = await connectRedis(url, 'the outbox');

  /** EVALSHA, loading the script with EVAL the first time the server does not know it. */
  const script = async (source: string, scriptKeys: string[], args: (string | number)[]): Promise<unknown> => {
    const call = { keys: scriptKeys, arguments: args.map(String) };
    try {
      return await client.evalSha(sha1Hex(source), call);
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(source, call);
    }
  };
  const all = [keys.pending, keys.claimed, keys.dead];
  const mode = (list: readonly string[] | undefined): string => (list === undefined ? 'all' : 'ids');

  const load = async (members: string[]): Promise<OutboxEntry[]> => {
    if (members.length === 0) return [];
    const multi = client.multi();
    for (const m of members) multi.hGetAll(entryKey(m.slice(ORDER_WIDTH)));
    const hashes = (await multi.exec()) as unknown as Record<string, string>[];
    return hashes.filter((hash) => hash.id !== undefined).map(fromHash);
  };

  return {
    enqueue: (entries, now) =>
      writing(description, async () => {
        let added = 0;
        for (let start = 0; start < entries.length; start += ENQUEUE_CHUNK) {
          const args: (string | number)[] = [prefix, now];
          for (const item of entries.slice(start, start + ENQUEUE_CHUNK)) {
            const entry = newEntry(item, now);
            args.push(entry.id, member(entry.order, entry.id), entry.channel, entry.storyId, entry.order);
            args.push(JSON.stringify(entry.payload ?? null), entry.dueAt);
          }
          added += Number(await script(ENQUEUE, [keys.pending], args));
        }
        return added;
      }),
    claimDue: (now, limit, leaseMs) =>
      writing(description, async () => {
        if (limit <= 0) return [];
        const claimed = (await script(CLAIM, [keys.pending, keys.claimed], [prefix, now, Math.floor(limit), now + leaseMs])) as string[][];
        return claimed.map((flat) => fromHash(pairs(flat))).sort(compareEntries);
      }),
    complete: (id) =>
      writing(description, async () => {
        await script(COMPLETE, all, [prefix, id]);
      }),
    retry: (id, dueAt, error) =>
      writing(description, async () => {
        await script(TO_PENDING, all, [prefix, id, dueAt, JSON.stringify(error)]);
      }),
    releaseClaimed: (now) =>
      writing(description, async () => {
        return Number(await script(RELEASE_CLAIMED, [keys.pending, keys.claimed], [prefix, now]));
      }),
    release: (id, dueAt) =>
      writing(description, async () => {
        await script(TO_PENDING, all, [prefix, id, dueAt]);
      }),
    bury: (id, error) =>
      writing(description, async () => {
        await script(BURY, all, [prefix, id, JSON.stringify(error)]);
      }),
    list: (filter = {}) =>
      reading(description, async () => {
        const states: OutboxState[] = filter.state ? [filter.state] : ['pending', 'claimed', 'dead'];
        if (filter.limit !== undefined && filter.limit <= 0) return [];
        // One state, any channel: the set's own order is the list order, so read only what is asked.
        const stop = states.length === 1 && filter.channel === undefined && filter.limit !== undefined ? filter.limit - 1 : -1;
        const multi = client.multi();
        for (const state of states) multi.zRange(keys[state], 0, stop);
        const members = ((await multi.exec()) as unknown as string[][]).flat();
        const entries = (await load(members))
          .filter((e) => states.includes(e.state) && (filter.channel === undefined || e.channel === filter.channel))
          .sort(compareEntries);
        return entries.slice(0, filter.limit ?? Infinity);
      }),
    revive: (now, list) =>
      writing(description, async () => Number(await script(REVIVE, [keys.pending, keys.dead], [prefix, mode(list), now, ...(list ?? [])]))),
    drop: (list) => writing(description, async () => Number(await script(DROP, [keys.pending, keys.dead], [prefix, mode(list), ...(list ?? [])]))),
    dropDeadBefore: (before) =>
      writing(description, async () => {
        // Batch after batch, the next starting past the members kept. An alert buried meanwhile
        // can shift the ranks: then a member is looked at twice or left for the next sweep.
        let dropped = 0;
        for (let offset = 0; ; ) {
          const [gone, scanned] = (await script(DROP_DEAD_BEFORE, [keys.dead], [prefix, before, offset, DEAD_SCAN_BATCH])) as [number, number];
          dropped += gone;
          offset += scanned - gone;
          if (scanned < DEAD_SCAN_BATCH) return dropped;
        }
      }),
    stats: () =>
      reading(description, async (): Promise<OutboxStats> => {
        const [pending, claimed, dead, oldest] = (await client
          .multi()
          .zCard(keys.pending)
          .zCard(keys.claimed)
          .zCard(keys.dead)
          .zRangeWithScores(keys.pending, 0, 0)
          .exec()) as unknown as [number, number, number, { value: string; score: number }[]];
        return { pending, claimed, dead, oldestDueAt: oldest[0]?.score ?? null };
      }),
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}
