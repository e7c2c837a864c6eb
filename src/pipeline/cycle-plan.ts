/**
 * What one poll cycle does, worked out from the subscriptions: which URLs to fetch, who follows
 * each, and which watchlists must be compiled. Chat commands change subscriptions, watchlists
 * and feeds while the service runs; everything is read again each cycle, so a change applies at
 * the next one with no restart.
 *
 * Ids: a tenant's own watchlist `w1` is compiled as `<tenant>/w1`, so two tenants may both own
 * `w1` (and a tenant's copy of a shipped watchlist hides the shipped one for that tenant only);
 * a feed a tenant added is polled under an id derived from its URL (chatFeedSourceId).
 */
import type { FeedSource } from '../feeds/feed-source.js';
import { chatFeedSourceId } from '../feeds/feed-source.js';
import type { WatchlistDefinition } from '../watch/definition.js';
import type { Repositories, Subscription, TenantFeed } from '../store/repositories.js';
import type { FeedTarget } from './poll-feed.js';

export interface CyclePlan {
  targets: FeedTarget[];
  /** Every watchlist a subscriber follows, tenant-owned ones under their scoped ids. */
  watchlists: WatchlistDefinition[];
  /** Scoped id → the name people see. */
  watchlistNames: Map<string, string>;
}

export interface PlanInput {
  /** The config file's feeds: trusted, visible to every tenant. */
  configFeeds: readonly FeedSource[];
  /** The config file's watchlists: visible to every tenant. */
  shippedWatchlists: readonly WatchlistDefinition[];
  /** Subscriptions; paused ones are left out here. */
  subscriptions: readonly PlannedSubscription[];
  repositories: Pick<Repositories, 'watchlists' | 'tenantFeeds'>;
}

/** What planning reads of a subscription (the console's has no tenant and is never paused). */
export type PlannedSubscription = Pick<Subscription, 'channel' | 'feeds' | 'watchlists'> & Partial<Pick<Subscription, 'tenant' | 'paused'>>;

export const scopedWatchlistId = (tenant: string, id: string): string => `${tenant}/${id}`;

interface Source {
  feed: FeedSource;
  trusted: boolean;
}

interface TenantView {
  watchlists: Map<string, WatchlistDefinition>;
  feeds: TenantFeed[];
}

async function tenantViews(tenants: string[], repositories: PlanInput['repositories']): Promise<Map<string, TenantView>> {
  const [watchlists, feeds] = await Promise.all([repositories.watchlists.listMany(tenants), repositories.tenantFeeds.listMany(tenants)]);
  return new Map(
    tenants.map((tenant, index) => [
      tenant,
      { watchlists: new Map((watchlists[index] ?? []).map((w) => [w.id, w])), feeds: feeds[index] ?? [] },
    ]),
  );
}

export async function planCycle(input: PlanInput): Promise<CyclePlan> {
  const active = input.subscriptions.filter((s) => !s.paused);
  const tenants = [...new Set(active.map((s) => s.tenant).filter((t): t is string => Boolean(t)))];
  const views = await tenantViews(tenants, input.repositories);
  const shipped = new Map(input.shippedWatchlists.map((w) => [w.id, w]));

  const compiled = new Map<string, WatchlistDefinition>();
  const resolveWatchlist = (tenant: string | null | undefined, id: string): string | null => {
    const own = tenant ? views.get(tenant)?.watchlists.get(id) : undefined;
    if (own && tenant) {
      const scoped = scopedWatchlistId(tenant, id);
      compiled.set(scoped, { ...own, id: scoped });
      return scoped;
    }
    const definition = shipped.get(id);
    if (!definition) return null; // removed since the channel subscribed: nothing to match
    compiled.set(id, definition);
    return id;
  };

  // Sources by URL: one fetch per URL however many tenants and channels follow it.
  const byUrl = new Map<string, { source: Source; followers: Map<string, Set<string>> }>();
  const sourceFor = (feed: FeedSource, trusted: boolean) => {
    const existing = byUrl.get(feed.url);
    if (existing) {
      if (trusted && !existing.source.trusted) existing.source = { feed, trusted };
      return existing;
    }
    const entry = { source: { feed, trusted }, followers: new Map<string, Set<string>>() };
    byUrl.set(feed.url, entry);
    return entry;
  };
  for (const feed of input.configFeeds) sourceFor(feed, true);

  for (const subscription of active) {
    const view = subscription.tenant ? views.get(subscription.tenant) : undefined;
    const watchlists = subscription.watchlists.map((id) => resolveWatchlist(subscription.tenant, id)).filter((id): id is string => id !== null);
    if (watchlists.length === 0) continue;
    const tenantFeeds = (view?.feeds ?? []).map((feed): FeedSource => ({ id: chatFeedSourceId(feed.url), url: feed.url, name: feed.name, language: null }));
    const localIds = new Map<string, FeedSource>([
      ...input.configFeeds.map((feed): [string, FeedSource] => [feed.id, feed]),
      ...(view?.feeds ?? []).map((feed, index): [string, FeedSource] => [feed.id, tenantFeeds[index]!]),
    ]);
    const followed = subscription.feeds === '*' ? [...localIds.values()] : subscription.feeds.map((id) => localIds.get(id)).filter((f): f is FeedSource => f !== undefined);
    for (const feed of followed) {
      const entry = sourceFor(feed, input.configFeeds.includes(feed));
      const channelWatchlists = entry.followers.get(subscription.channel) ?? new Set<string>();
      for (const id of watchlists) channelWatchlists.add(id);
      entry.followers.set(subscription.channel, channelWatchlists);
    }
  }

  const targets: FeedTarget[] = [...byUrl.values()].map(({ source, followers }) => ({
    feed: source.feed,
    trusted: source.trusted,
    subscribers: [...followers].map(([channel, watchlists]) => ({ channel, watchlists: [...watchlists] })),
  }));
  const watchlists = [...compiled.values()];
  return { targets, watchlists, watchlistNames: new Map(watchlists.map((w) => [w.id, w.name])) };
}
