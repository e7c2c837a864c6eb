/**
 * What a tenant sees: the shipped watchlists and feeds plus its own. A tenant's own watchlist
 * with a shipped id is its copy of that watchlist and hides the shipped one.
 */
import type { WatchlistDefinition } from '../watch/definition.js';
import type { FeedSource } from '../feeds/feed-source.js';
import type { TenantFeed } from '../store/repositories.js';
import type { CommandServices } from './services.js';

export interface VisibleWatchlist {
  definition: WatchlistDefinition;
  owned: boolean;
}

export async function visibleWatchlists(services: CommandServices, tenant: string): Promise<VisibleWatchlist[]> {
  const own = await services.repositories.watchlists.list(tenant);
  const ownIds = new Set(own.map((w) => w.id));
  return [
    ...services.shipped.watchlists.filter((w) => !ownIds.has(w.id)).map((definition) => ({ definition, owned: false })),
    ...own.map((definition) => ({ definition, owned: true })),
  ];
}

export interface VisibleFeed {
  /** The id a user types: the config file's id, or the tenant's own. */
  id: string;
  url: string;
  name: string | null;
  owned: boolean;
}

export async function visibleFeeds(services: CommandServices, tenant: string): Promise<VisibleFeed[]> {
  const own: TenantFeed[] = await services.repositories.tenantFeeds.list(tenant);
  const shipped = services.shipped.feeds.map((feed: FeedSource) => ({ id: feed.id, url: feed.url, name: feed.name, owned: false }));
  return [...shipped, ...own.map((feed) => ({ id: feed.id, url: feed.url, name: feed.name, owned: true }))];
}
