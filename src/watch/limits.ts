/**
 * Limits on what a watchlist may ask of the matcher. They keep one channel from making every
 * story slow to match, and each refusal names the limit.
 */
export const LIMITS = {
  /** Characters in one query (the query, an exclusion, an entity's context). */
  queryLength: 2000,
  /**
   * Terms, phrases and aliases in one watchlist, its exclusions and every entity it uses (inline,
   * listed, named with @id, or reached through another entity) included, each entity once.
   * The shipped extradition watchlist uses about 460.
   */
  termsPerWatchlist: 1000,
  /** Watchlists one channel may subscribe to. */
  watchlistsPerChannel: 25,
  /** Watchlists one tenant (a Discord server, a Slack workspace) may own. */
  watchlistsPerTenant: 100,
  /** Feeds one tenant may add from chat. */
  feedsPerTenant: 50,
  /** How deep entities may name entities that name entities (compiling follows them by recursion). */
  entityNesting: 20,
  /** Largest NEAR/n. */
  nearDistance: 50,
  /** Letters before a "*": "ex*" would match half the dictionary. */
  wildcardPrefix: 3,
  /** Watchlists in the config file (chat adds its own, per channel). */
  watchlistsInFile: 1000,
  /** Entities in the config file's shared library. */
  entitiesInFile: 2000,
  /** Aliases of one entity, plain and ambiguous together. */
  aliasesPerEntity: 100,
  /**
   * Occurrences of one term, phrase or alias looked at in one field of one story. Real stories
   * never come near it; a hostile one repeating a word 100,000 times costs no more than this.
   */
  occurrencesPerTerm: 1000,
  /** Occurrences of one term or alias per field kept as evidence for one watchlist (explanations, highlights). */
  evidencePerTerm: 10,
} as const;
