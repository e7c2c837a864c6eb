/**
 * Typed repositories over the key-value store: one small object per kind of record, each
 * owning its key layout. Nothing outside this file builds store keys.
 *
 *   feed:<url hash>                 FeedState        fetch bookkeeping per distinct URL (TTL, renewed by every poll)
 *   seen:<feed id>                  SeenRecord       stories already recorded for a feed (one record, one write per poll; TTL)
 *   delivery:<channel>:<dedupe key> DeliveryRecord   a story that reached a channel: one key per story, its link or its id (TTL)
 *   sub:<channel>                   Subscription     what a channel follows
 *   sub-index                       string[]         the channels that have one
 *   watchlists:<tenant>             WatchlistDefinition[]  a tenant's own watchlists
 *   feeds:<tenant>                  TenantFeed[]     feeds a tenant added from chat
 *   tenant-index                    string[]         the tenants that own watchlists or feeds
 *   event:<id>                      EventRecord      an open event of story grouping (TTL: its last story + EVENT_WINDOW)
 *   event-hour:<hour start>         string[]         events written in that hour, to find the open ones at start-up (TTL)
 *   event-version                   string           changes with every write of events, so a replica knows to reload
 *
 * Records that are read, changed and written back are written under a per-key lock.
 *
 * Everything that grows with stories, alerts or feeds carries a TTL; what is left is what people
 * configure (subscriptions, tenants' watchlists and feeds, their indexes) and `cycle:last`. keyv
 * never deletes expired SQLite rows by itself: the service sweeps them hourly (Redis expires keys
 * itself), so the file stops growing once the TTLs have turned over (BENCHMARKS.md, "Store growth").
 */
import type { KeyValueStore } from './key-value-store.js';
import type { WatchlistDefinition } from '../watch/definition.js';
import type { EventRecord, EventStatePort } from '../events/index.js';
import { LIMITS } from '../watch/limits.js';
import { WirewatchError } from '../errors.js';
import { randomUUID } from 'node:crypto';
import { sha1Hex } from '../hash.js';
import { createKeyedLock, type KeyedLock } from './keyed-lock.js';

export interface FeedError {
  code: string;
  message: string;
  at: number;
}

export interface FeedState {
  url: string;
  etag: string | null;
  lastModified: string | null;
  /** sha1 of the last parsed body: an unchanged body is not parsed again even without a 304. */
  bodyHash: string | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  consecutiveFailures: number;
  /** Set after FEED_FAILING_AFTER consecutive failures; cleared by the next success. */
  failing: boolean;
  lastError: FeedError | null;
  /** Backoff: no fetch before this time (epoch ms). */
  nextAttemptAt: number | null;
}

export function emptyFeedState(url: string): FeedState {
  return {
    url,
    etag: null,
    lastModified: null,
    bodyHash: null,
    lastAttemptAt: null,
    lastSuccessAt: null,
    consecutiveFailures: 0,
    failing: false,
    lastError: null,
    nextAttemptAt: null,
  };
}

/**
 * A story of a feed's seen-record: its id, when it was first and last seen (epoch ms), and the
 * key of its text when it was last read (feeds/item-segments.ts): an item whose text has that key
 * again is known without a parse. Held in memory as it is stored, so reading and writing a
 * record makes no copy of its entries.
 */
export type SeenEntry = [id: string, firstSeen: number, lastSeen: number] | [id: string, firstSeen: number, lastSeen: number, textKey: string];

export interface SeenRecord {
  /** When the feed's first poll recorded what was already there. */
  baselineAt: number;
  /** Story id → its entry. */
  items: Map<string, SeenEntry>;
}

/**
 * A seen-record as stored: its stories as a list of entries (decision 022). Story ids are sha1s,
 * and JSON.parse gives an object keyed by them a hidden class per key, made anew at every read
 * since no two feeds share an id. `items` is the form written before ([first, last, key?] by
 * id): still read, and written empty beside the entries, so a build that knows only `items`
 * still reads the record (it finds no story in it; the delivery records keep it from alerting a
 * story twice).
 */
interface StoredSeenRecord {
  baselineAt: number;
  items?: Record<string, [number, number] | [number, number, string]>;
  entries?: SeenEntry[];
}

function seenFromStored(stored: StoredSeenRecord): SeenRecord {
  const items = new Map<string, SeenEntry>();
  if (stored.entries) {
    for (const entry of stored.entries) items.set(entry[0], entry);
  } else if (stored.items) {
    for (const id in stored.items) {
      const times = stored.items[id]!;
      items.set(id, times.length === 3 ? [id, times[0], times[1], times[2]] : [id, times[0], times[1]]);
    }
  }
  return { baselineAt: stored.baselineAt, items };
}

/** The record as stored, without the entries last seen before the cutoff. */
function storedSeen(record: SeenRecord, cutoff: number): StoredSeenRecord {
  const entries: SeenEntry[] = [];
  for (const entry of record.items.values()) if (entry[2] >= cutoff) entries.push(entry);
  return { baselineAt: record.baselineAt, items: {}, entries };
}

export interface DeliveryRecord {
  storyId: string;
  feedId: string;
  watchlists: string[];
  deliveredAt: number;
}

export interface Subscription {
  /** "console", "discord:<guild>:<channel>" or "slack:<team>:<channel>". */
  channel: string;
  /** Who owns the watchlists and feeds it names: "discord:<guild>", "slack:<team>"; null for the console. */
  tenant?: string | null;
  /** Feed ids the channel follows (the tenant's own ids or the config file's); "*" for all of both. */
  feeds: string[] | '*';
  /** Watchlist ids (the tenant's own or the shipped ones) that decide what is posted. */
  watchlists: string[];
  createdAt: number;
  updatedAt: number;
  /** Set when the platform refused delivery for good (no access, unknown channel): nothing is sent until it is cleared. */
  paused?: SubscriptionProblem | null;
  /** The last delivery that failed, kept for `status`. */
  lastFailure?: SubscriptionProblem | null;
  /** The last alert delivered here, and how long after it was queued (right after matching). */
  lastDelivery?: { at: number; latencyMs: number } | null;
  /**
   * Later outlets' stories of an event already alerted here are posted under its first alert
   * (true, the default when absent); false: they are not posted, only counted on the first alert.
   */
  followUps?: boolean;
}

export interface SubscriptionProblem {
  code: string;
  reason: string;
  at: number;
}

/** A feed a tenant added from chat. Its `url` is what is fetched; `id` is the tenant's name for it. */
export interface TenantFeed {
  id: string;
  url: string;
  name: string | null;
  addedBy: string;
  addedAt: number;
}

const urlKey = (url: string): string => sha1Hex(url).slice(0, 24);

/**
 * `ttlMs`: a feed no longer polled (removed from the config, or by its tenant) is forgotten this
 * long after its last poll; every poll writes the state, so a polled feed's never expires.
 */
export function createFeedStateRepository(store: KeyValueStore, options: { ttlMs: number }) {
  return {
    get: async (url: string): Promise<FeedState> => (await store.get<FeedState>(`feed:${urlKey(url)}`)) ?? emptyFeedState(url),
    getMany: async (urls: string[]): Promise<FeedState[]> => {
      const states = await store.getMany<FeedState>(urls.map((url) => `feed:${urlKey(url)}`));
      return urls.map((url, index) => states[index] ?? emptyFeedState(url));
    },
    put: (state: FeedState): Promise<void> => store.set(`feed:${urlKey(state.url)}`, state, options.ttlMs),
    /** Written together (KeyValueStore.setMany): a cycle's unchanged feeds in a few statements. */
    putMany: (states: readonly FeedState[]): Promise<void> =>
      store.setMany(states.map((state) => ({ key: `feed:${urlKey(state.url)}`, value: state, ttlMs: options.ttlMs }))),
  };
}

export function createSeenRepository(store: KeyValueStore, options: { ttlMs: number }) {
  return {
    get: async (feedId: string): Promise<SeenRecord | undefined> => {
      const stored = await store.get<StoredSeenRecord>(`seen:${feedId}`);
      return stored && seenFromStored(stored);
    },
    /**
     * Writes the record in one operation (so a crash never leaves half of a poll recorded),
     * dropping entries not seen in the feed for longer than the TTL. The record itself expires
     * after the TTL too, so a feed nobody polls any more leaves nothing behind.
     */
    put: async (feedId: string, record: SeenRecord, now: number): Promise<void> => {
      await store.set(`seen:${feedId}`, storedSeen(record, now - options.ttlMs), options.ttlMs);
    },
  };
}

export function createDeliveryRepository(store: KeyValueStore, options: { ttlMs: number }) {
  const key = (channel: string, dedupeKey: string) => `delivery:${channel}:${dedupeKey}`;
  /** For each story (its channel and dedupe keys): whether any of its keys already reached the channel; one read for all. */
  const deliveredEach = async (checks: readonly { channel: string; dedupeKeys: readonly string[] }[]): Promise<boolean[]> => {
    const values = await store.getMany(checks.flatMap(({ channel, dedupeKeys }) => dedupeKeys.map((dedupeKey) => key(channel, dedupeKey))));
    let next = 0;
    return checks.map(({ dedupeKeys }) => {
      const found = values.slice(next, next + dedupeKeys.length).some((value) => value !== undefined);
      next += dedupeKeys.length;
      return found;
    });
  };
  const recordEach = (channel: string, deliveries: readonly { dedupeKeys: readonly string[]; record: DeliveryRecord }[]): Promise<void> =>
    store.setMany(deliveries.flatMap(({ dedupeKeys, record }) => dedupeKeys.map((dedupeKey) => ({ key: key(channel, dedupeKey), value: record, ttlMs: options.ttlMs }))));
  return {
    deliveredEach,
    /** True when any of the story's dedupe keys already reached the channel. */
    delivered: async (channel: string, dedupeKeys: readonly string[]): Promise<boolean> => (await deliveredEach([{ channel, dedupeKeys }]))[0]!,
    record: (channel: string, dedupeKeys: string[], record: DeliveryRecord): Promise<void> => recordEach(channel, [{ dedupeKeys, record }]),
    /**
     * Records several stories delivered to a channel (a roll-up's), written together
     * (KeyValueStore.setMany): one awaited write after another cost a statement and a round trip
     * each, and a roll-up of 6,000 stories kept a poll's process busy for seconds.
     */
    recordEach,
    get: (channel: string, dedupeKey: string): Promise<DeliveryRecord | undefined> =>
      store.get<DeliveryRecord>(key(channel, dedupeKey)),
  };
}

export function createSubscriptionRepository(store: KeyValueStore, lock: KeyedLock) {
  // The channels that have a subscription, kept in one key so listing them (every poll cycle)
  // costs one read instead of a scan of the whole store.
  const index = async (): Promise<string[]> => (await store.get<string[]>('sub-index')) ?? [];
  const get = (channel: string): Promise<Subscription | undefined> => store.get<Subscription>(`sub:${channel}`);
  const put = (subscription: Subscription): Promise<void> =>
    lock.run('sub-index', async () => {
      await store.set(`sub:${subscription.channel}`, subscription);
      const channels = await index();
      if (!channels.includes(subscription.channel)) await store.set('sub-index', [...channels, subscription.channel]);
    });
  return {
    get,
    put,
    /** Reads, changes and writes one channel's subscription under the lock; `change` returning null deletes it. */
    update: (channel: string, change: (current: Subscription | undefined) => Subscription | null): Promise<Subscription | null> =>
      lock.run('sub-index', async () => {
        const next = change(await get(channel));
        if (next === null) {
          await store.set('sub-index', (await index()).filter((c) => c !== channel));
          await store.delete(`sub:${channel}`);
          return null;
        }
        await store.set(`sub:${channel}`, next);
        const channels = await index();
        if (!channels.includes(channel)) await store.set('sub-index', [...channels, channel]);
        return next;
      }),
    /** Records a pause, a failed delivery or the last delivery on a stored subscription; nothing happens for a channel without one. */
    mark: (channel: string, problems: Pick<Subscription, 'paused'> | Pick<Subscription, 'lastFailure'> | Pick<Subscription, 'lastDelivery'>): Promise<void> =>
      lock.run('sub-index', async () => {
        const current = await get(channel);
        if (current) await store.set(`sub:${channel}`, { ...current, ...problems });
      }),
    delete: (channel: string): Promise<void> =>
      lock.run('sub-index', async () => {
        await store.set('sub-index', (await index()).filter((c) => c !== channel));
        await store.delete(`sub:${channel}`);
      }),
    list: async (): Promise<Subscription[]> => {
      const subscriptions = await store.getMany<Subscription>((await index()).map((channel) => `sub:${channel}`));
      return subscriptions.filter((s): s is Subscription => s !== undefined).sort((a, b) => a.channel.localeCompare(b.channel));
    },
  };
}

/** Registers a tenant in the tenant index (once), so a poll cycle can list every tenant's records. */
async function rememberTenant(store: KeyValueStore, lock: KeyedLock, tenant: string): Promise<void> {
  await lock.run('tenant-index', async () => {
    const tenants = (await store.get<string[]>('tenant-index')) ?? [];
    if (!tenants.includes(tenant)) await store.set('tenant-index', [...tenants, tenant]);
  });
}

export function createTenantRepository(store: KeyValueStore) {
  return {
    /** Every tenant that owns watchlists or feeds. */
    list: async (): Promise<string[]> => (await store.get<string[]>('tenant-index')) ?? [],
  };
}

/**
 * Reads, changes and writes one of a tenant's lists under the lock. `change` gets the current
 * list and returns the new one (or throws to refuse); growing past `limit` is refused with
 * query_limit.
 */
async function updateTenantList<T>(
  store: KeyValueStore,
  lock: KeyedLock,
  list: { key: string; tenant: string; limit: number; what: string },
  change: (current: T[]) => T[],
): Promise<T[]> {
  return lock.run(list.key, async () => {
    const current = (await store.get<T[]>(list.key)) ?? [];
    const next = change(current);
    if (next.length > current.length && next.length > list.limit) {
      throw new WirewatchError('query_limit', `there are already ${current.length} ${list.what} here, the most allowed; remove one before adding another`, {
        details: { limit: list.limit },
      });
    }
    await store.set(list.key, next);
    await rememberTenant(store, lock, list.tenant);
    return next;
  });
}

export function createWatchlistRepository(store: KeyValueStore, lock: KeyedLock) {
  const key = (tenant: string) => `watchlists:${tenant}`;
  const list = async (tenant: string): Promise<WatchlistDefinition[]> => (await store.get<WatchlistDefinition[]>(key(tenant))) ?? [];
  return {
    list,
    /** Lists of several tenants in one read, in the same order. */
    listMany: async (tenants: string[]): Promise<WatchlistDefinition[][]> =>
      (await store.getMany<WatchlistDefinition[]>(tenants.map(key))).map((lists) => lists ?? []),
    /**
     * Reads, changes and writes one tenant's watchlists under the lock. `change` gets the
     * current list and returns the new one (or throws to refuse); a list longer than the
     * tenant limit is refused with query_limit.
     */
    update: (tenant: string, change: (current: WatchlistDefinition[]) => WatchlistDefinition[]): Promise<WatchlistDefinition[]> =>
      updateTenantList(store, lock, { key: key(tenant), tenant, limit: LIMITS.watchlistsPerTenant, what: 'watchlists' }, change),
  };
}

export function createTenantFeedRepository(store: KeyValueStore, lock: KeyedLock) {
  const key = (tenant: string) => `feeds:${tenant}`;
  const list = async (tenant: string): Promise<TenantFeed[]> => (await store.get<TenantFeed[]>(key(tenant))) ?? [];
  return {
    list,
    listMany: async (tenants: string[]): Promise<TenantFeed[][]> =>
      (await store.getMany<TenantFeed[]>(tenants.map(key))).map((feeds) => feeds ?? []),
    /** Like the watchlists' update: under the lock, with the per-tenant limit. */
    update: (tenant: string, change: (current: TenantFeed[]) => TenantFeed[]): Promise<TenantFeed[]> =>
      updateTenantList(store, lock, { key: key(tenant), tenant, limit: LIMITS.feedsPerTenant, what: 'feeds' }, change),
  };
}

const HOUR = 3600_000;

/**
 * The open events of story grouping. An event is written whole whenever a story joins it, with
 * a TTL that ends with the window, and deleted when the clusterer closes it; its id goes into the
 * list of the hour it was written in, so start-up finds every open event by reading the lists of
 * the last EVENT_WINDOW (plus an hour) — no scan of the store. Nothing outlives the window.
 *
 * One writer at a time (the poll cycle runs under a lease): the hour list is read, extended and
 * written back without a lock.
 */
/** Event records written together: enough to share statements, few enough to bound what is held. */
const EVENT_WRITES_AT_ONCE = 50;

export function createEventRepository(store: KeyValueStore, options: { windowMs: number }): EventStatePort {
  const hourOf = (time: number) => Math.floor(time / HOUR) * HOUR;
  const hourKey = (hour: number) => `event-hour:${hour}`;
  const listTtl = options.windowMs + 2 * HOUR;
  // An event is forgotten when the window passes its last story (the clusterer deletes it then too).
  const eventTtl = (record: EventRecord, now: number) => Math.max(1000, record.lastAt + options.windowMs - now);
  return {
    version: async () => (await store.get<string>('event-version')) ?? null,
    loadOpen: async (now) => {
      const hours: string[] = [];
      for (let hour = hourOf(now - options.windowMs - HOUR); hour <= hourOf(now); hour += HOUR) hours.push(hourKey(hour));
      const lists = await store.getMany<string[]>(hours);
      const ids = [...new Set(lists.flatMap((list) => list ?? []))];
      const records = (await store.getMany<EventRecord>(ids.map((id) => `event:${id}`))).filter(
        (record): record is EventRecord => record !== undefined && record.lastAt >= now - options.windowMs,
      );
      return { records, version: (await store.get<string>('event-version')) ?? null };
    },
    save: async ({ changed, closed }, now) => {
      // Events are large: fewer written together than setMany's default, so a cycle's thousands
      // of them are not all held serialised at once.
      await store.setMany(changed.map((record) => ({ key: `event:${record.id}`, value: record, ttlMs: eventTtl(record, now) })), EVENT_WRITES_AT_ONCE);
      await store.deleteMany(closed.map((id) => `event:${id}`), EVENT_WRITES_AT_ONCE);
      if (changed.length > 0) {
        const key = hourKey(hourOf(now));
        const list = (await store.get<string[]>(key)) ?? [];
        const added = changed.map((record) => record.id).filter((id) => !list.includes(id));
        if (added.length > 0) await store.set(key, [...list, ...added], listTtl);
      }
      const version = `${now}-${randomUUID()}`;
      await store.set('event-version', version, listTtl);
      return version;
    },
  };
}

export type FeedStateRepository = ReturnType<typeof createFeedStateRepository>;
export type SeenRepository = ReturnType<typeof createSeenRepository>;
export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
export type SubscriptionRepository = ReturnType<typeof createSubscriptionRepository>;
export type WatchlistRepository = ReturnType<typeof createWatchlistRepository>;
export type TenantFeedRepository = ReturnType<typeof createTenantFeedRepository>;
export type TenantRepository = ReturnType<typeof createTenantRepository>;

/** The last poll cycle any replica finished: `status` and /readyz read it, whichever replica ran it. */
export interface CycleRecord {
  finishedAt: number;
  feeds: number;
  failed: number;
  alerts: number;
}

export function createCycleRepository(store: KeyValueStore) {
  return {
    last: async (): Promise<CycleRecord | null> => (await store.get<CycleRecord>('cycle:last')) ?? null,
    record: (cycle: CycleRecord): Promise<void> => store.set('cycle:last', cycle),
  };
}
export type CycleRepository = ReturnType<typeof createCycleRepository>;

export interface Repositories {
  feedStates: FeedStateRepository;
  cycles: CycleRepository;
  seen: SeenRepository;
  deliveries: DeliveryRepository;
  subscriptions: SubscriptionRepository;
  watchlists: WatchlistRepository;
  tenantFeeds: TenantFeedRepository;
  tenants: TenantRepository;
}

export function createRepositories(
  store: KeyValueStore,
  options: {
    seenTtlMs: number;
    deliveryTtlMs: number;
    /** How long a feed's fetch state outlives its last poll; SEEN_TTL when omitted. */
    feedStateTtlMs?: number;
    /** What read-change-write runs under; the in-process lock when omitted (one process owns the store). */
    lock?: KeyedLock;
  },
): Repositories {
  const lock = options.lock ?? createKeyedLock();
  return {
    feedStates: createFeedStateRepository(store, { ttlMs: options.feedStateTtlMs ?? options.seenTtlMs }),
    cycles: createCycleRepository(store),
    seen: createSeenRepository(store, { ttlMs: options.seenTtlMs }),
    deliveries: createDeliveryRepository(store, { ttlMs: options.deliveryTtlMs }),
    subscriptions: createSubscriptionRepository(store, lock),
    watchlists: createWatchlistRepository(store, lock),
    tenantFeeds: createTenantFeedRepository(store, lock),
    tenants: createTenantRepository(store),
  };
}
