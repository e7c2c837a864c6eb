/**
 * What the command core needs from the rest of the service, handed in by the composition root
 * (tests hand in a real store and their own clock).
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { FeedSource } from '../feeds/feed-source.js';
import type { EntityDefinition, WatchlistDefinition } from '../watch/definition.js';
import type { Repositories } from '../store/repositories.js';

export interface CycleSummary {
  finishedAt: number;
  feeds: number;
  failed: number;
  alerts: number;
}

export interface CommandServices {
  repositories: Pick<Repositories, 'subscriptions' | 'watchlists' | 'tenantFeeds' | 'feedStates'>;
  /** What the config file ships: visible to every tenant, never changed by commands. */
  shipped: {
    feeds: readonly FeedSource[];
    watchlists: readonly WatchlistDefinition[];
    entities: readonly EntityDefinition[];
  };
  /**
   * The fetcher's verdict on a URL a chat user gave, before anything is stored: resolves the
   * host and refuses private addresses (unless the operator allows them). Throws coded errors.
   */
  checkFeedUrl(raw: string): Promise<URL>;
  clock: Clock;
  logger: Logger;
  /** The last poll cycle finished by any replica, for `status`. */
  lastCycle(): Promise<CycleSummary | null> | CycleSummary | null;
  /** Alerts of a channel waiting in the outbox, and those that are dead. */
  queueOf(channel: string): Promise<{ pending: number; dead: number; lastError: { code: string; message: string } | null; failures: Record<string, number> }>;
}
