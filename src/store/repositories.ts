/**
 * Typed repositories over the key-value store: one small object per kind of record, each
 * owning its key layout. Nothing outside this file builds store keys.
 *
 *   feed:<url hash>                 FeedState        fetch bookkeeping per distinct URL
 *   seen:<feed id>                  SeenRecord       stories already recorded for a feed (one record, one write per poll)
 *   delivery:<channel>:<dedupe key> DeliveryRecord   a story that reached a channel (TTL)
 *   sub:<channel>                   Subscription     what a channel follows
 *   sub-index                       string[]         the channels that have one
 *   watchlists:<channel>            WatchlistDefinition[]  a channel's own watchlists
 */
import type { KeyValueStore } from './key-value-store.js';
import type { WatchlistDefinition } from '../watch/definition.js';
import { LIMITS } from '../watch/limits.js';
import { WirewatchError } from '../errors.js';
import { sha1Hex } from '../hash.js';

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

/** [first seen, last seen] in epoch ms. */
export type SeenTimes = [number, number];

export interface SeenRecord {
  /** When the feed's first poll recorded what was already there. */
  baselineAt: number;
  items: Record<string, SeenTimes>;
}

export interface DeliveryRecord {
  storyId: string;
  feedId: string;
  watchlists: string[];
  deliveredAt: number;
}

export interface Subscription {
  /** "console", later "discord:<guild>:<channel>" or "slack:<team>:<channel>". */
  channel: string;
  /** Feed ids the channel follows; "*" for every configured feed. */
  feeds: string[] | '*';
  /** Watchlist ids (the channel's own or the shipped ones) that decide what is posted. */
  watchlists: string[];
  createdAt: number;
  updatedAt: number;
}

const urlKey = (url: string): string => sha1Hex(url).slice(0, 24);

export function createFeedStateRepository(store: KeyValueStore) {
  return {
    get: async (url: string): Promise<FeedState> => (await store.get<FeedState>(`feed:${urlKey(url)}`)) ?? emptyFeedState(url),
    getMany: async (urls: string[]): Promise<FeedState[]> => {
      const states = await store.getMany<FeedState>(urls.map((url) => `feed:${urlKey(url)}`));
      return urls.map((url, index) => states[index] ?? emptyFeedState(url));
    },
    put: (state: FeedState): Promise<void> => store.set(`feed:${urlKey(state.url)}`, state),
  };
}

export function createSeenRepository(store: KeyValueStore, options: { ttlMs: number }) {
  return {
    get: (feedId: string): Promise<SeenRecord | undefined> => store.get<SeenRecord>(`seen:${feedId}`),
    /**
     * Writes the record in one operation (so a crash never leaves half of a poll recorded),
     * dropping entries not seen in the feed for longer than the TTL. The record itself expires
     * after the TTL too, so a feed nobody polls any more leaves nothing behind.
     */
    put: async (feedId: string, record: SeenRecord, now: number): Promise<void> => {
      const cutoff = now - options.ttlMs;
      const items: Record<string, SeenTimes> = {};
      for (const [id, times] of Object.entries(record.items)) if (times[1] >= cutoff) items[id] = times;
      await store.set(`seen:${feedId}`, { baselineAt: record.baselineAt, items }, options.ttlMs);
    },
  };
}

export function createDeliveryRepository(store: KeyValueStore, options: { ttlMs: number }) {
  const key = (channel: string, dedupeKey: string) => `delivery:${channel}:${dedupeKey}`;
  return {
    /** True when any of the story's dedupe keys already reached the channel. */
    delivered: async (channel: string, dedupeKeys: string[]): Promise<boolean> =>
      (await store.getMany(dedupeKeys.map((dedupeKey) => key(channel, dedupeKey)))).some((value) => value !== undefined),
    record: async (channel: string, dedupeKeys: string[], record: DeliveryRecord): Promise<void> => {
      for (const dedupeKey of dedupeKeys) await store.set(key(channel, dedupeKey), record, options.ttlMs);
    },
    get: (channel: string, dedupeKey: string): Promise<DeliveryRecord | undefined> =>
      store.get<DeliveryRecord>(key(channel, dedupeKey)),
  };
}

export function createSubscriptionRepository(store: KeyValueStore) {
  // The channels that have a subscription, kept in one key so listing them (every poll cycle)
  // costs one read instead of a scan of the whole store. Read-modify-write: one writer at a time,
  // which holds while commands run in one process (replicas will need an atomic set).
  const index = async (): Promise<string[]> => (await store.get<string[]>('sub-index')) ?? [];
  return {
    get: (channel: string): Promise<Subscription | undefined> => store.get<Subscription>(`sub:${channel}`),
    put: async (subscription: Subscription): Promise<void> => {
      await store.set(`sub:${subscription.channel}`, subscription);
      const channels = await index();
      if (!channels.includes(subscription.channel)) await store.set('sub-index', [...channels, subscription.channel]);
    },
    delete: async (channel: string): Promise<void> => {
      await store.set('sub-index', (await index()).filter((c) => c !== channel));
      await store.delete(`sub:${channel}`);
    },
    list: async (): Promise<Subscription[]> => {
      const subscriptions = await store.getMany<Subscription>((await index()).map((channel) => `sub:${channel}`));
      return subscriptions.filter((s): s is Subscription => s !== undefined).sort((a, b) => a.channel.localeCompare(b.channel));
    },
  };
}

export function createWatchlistRepository(store: KeyValueStore) {
  const key = (channel: string) => `watchlists:${channel}`;
  return {
    list: async (channel: string): Promise<WatchlistDefinition[]> => (await store.get<WatchlistDefinition[]>(key(channel))) ?? [],
    /** Adds or replaces one; a new one beyond the per-channel limit is refused with query_limit. */
    put: async (channel: string, definition: WatchlistDefinition): Promise<void> => {
      const existing = (await store.get<WatchlistDefinition[]>(key(channel))) ?? [];
      const replacing = existing.some((w) => w.id === definition.id);
      if (!replacing && existing.length >= LIMITS.watchlistsPerChannel) {
        throw new WirewatchError(
          'query_limit',
          `this channel already has ${existing.length} watchlists, the most allowed; remove one before adding "${definition.id}"`,
          { details: { limit: LIMITS.watchlistsPerChannel } },
        );
      }
      await store.set(key(channel), [...existing.filter((w) => w.id !== definition.id), definition]);
    },
    delete: async (channel: string, id: string): Promise<boolean> => {
      const existing = (await store.get<WatchlistDefinition[]>(key(channel))) ?? [];
      const kept = existing.filter((w) => w.id !== id);
      await store.set(key(channel), kept);
      return kept.length !== existing.length;
    },
  };
}

export type FeedStateRepository = ReturnType<typeof createFeedStateRepository>;
export type SeenRepository = ReturnType<typeof createSeenRepository>;
export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
export type SubscriptionRepository = ReturnType<typeof createSubscriptionRepository>;
export type WatchlistRepository = ReturnType<typeof createWatchlistRepository>;

export interface Repositories {
  feedStates: FeedStateRepository;
  seen: SeenRepository;
  deliveries: DeliveryRepository;
  subscriptions: SubscriptionRepository;
  watchlists: WatchlistRepository;
}

export function createRepositories(store: KeyValueStore, options: { seenTtlMs: number; deliveryTtlMs: number }): Repositories {
  return {
    feedStates: createFeedStateRepository(store),
    seen: createSeenRepository(store, { ttlMs: options.seenTtlMs }),
    deliveries: createDeliveryRepository(store, { ttlMs: options.deliveryTtlMs }),
    subscriptions: createSubscriptionRepository(store),
    watchlists: createWatchlistRepository(store),
  };
}
