/**
 * Limits on what a watchlist may ask of the matcher. They keep one channel from making every
 * story slow to match, and each refusal names the limit.
 */
export const LIMITS = {
  /** Characters in one query (the query, an exclusion, an entity's context). */
  queryLength: 2000,
  /** Terms, phrases and aliases in one watchlist, its exclusions and inline entities included. */
  termsPerWatchlist: 300,
  /** Watchlists one channel may subscribe to. */
  watchlistsPerChannel: 25,
  /** Watchlists one tenant (a Discord server, a Slack workspace) may own. */
  watchlistsPerTenant: 100,
  /** Feeds one tenant may add from chat. */
  feedsPerTenant: 50,
  /** Largest NEAR/n. */
  nearDistance: 50,
  /** Letters before a "*": "ex*" would match half the dictionary. */
  wildcardPrefix: 3,
} as const;
