/**
 * A roll-up: what a channel receives instead of individual alerts once a poll cycle brought it
 * more matching stories than its burst limit (BURST_LIMIT). One message lists the rest — every
 * story, oldest first, with its title, link, source and time; each sink cuts the list to its
 * platform's limits and says how many more there are. Nothing is dropped: when the roll-up is
 * delivered, every story in it is recorded as delivered to the channel.
 *
 * What the outbox carries is an `OutboxPayload`: an Alert (unchanged, so entries queued by
 * earlier versions still read) or a RollUp, told apart by RollUp's `kind: 'rollup'`.
 */
import type { Alert, AlertWatchlist } from './alert.js';
import { sha1Hex } from '../hash.js';
import type { EventEdit } from './event-thread.js';
import { localWatchlistId } from './alert.js';

export interface RollUpStory {
  id: string;
  feedId: string;
  title: string;
  link: string | null;
  source: string;
  /** ISO 8601. */
  published: string;
  /** Ids of the channel's watchlists that matched this story. */
  watchlists: string[];
}

export interface RollUp {
  kind: 'rollup';
  /** `rollup:` and a hash of the stories' ids: the same stories always give the same id. */
  id: string;
  channel: string;
  /** Every watchlist that matched any of the stories, in first-seen order. */
  watchlists: AlertWatchlist[];
  /** Oldest first; all of them, however many. */
  stories: RollUpStory[];
}

/** What the outbox carries: an alert, a roll-up, or an edit of an event's first alert (event-thread.ts). */
export type OutboxPayload = Alert | RollUp | EventEdit;

export function isRollUp(payload: OutboxPayload): payload is RollUp {
  return (payload as Partial<RollUp>).kind === 'rollup';
}

/** The roll-up of `alerts` (one channel's, oldest first): their stories and watchlists, no summaries. */
export function buildRollUp(channel: string, alerts: readonly Pick<Alert, 'story' | 'watchlists'>[]): RollUp {
  const watchlists = new Map<string, AlertWatchlist>();
  for (const alert of alerts) for (const w of alert.watchlists) if (!watchlists.has(w.id)) watchlists.set(w.id, w);
  return {
    kind: 'rollup',
    id: rollUpId(alerts.map((a) => a.story.id)),
    channel,
    watchlists: [...watchlists.values()],
    stories: alerts.map(({ story, watchlists: matched }) => ({
      id: story.id,
      feedId: story.feedId,
      title: story.title,
      link: story.link,
      source: story.source,
      published: story.published,
      watchlists: matched.map((w) => w.id),
    })),
  };
}

export function rollUpId(storyIds: readonly string[]): string {
  return `rollup:${sha1Hex(storyIds.join('\n')).slice(0, 20)}`;
}

/** "23 more stories matched Tariffs, Extraditions" — by name (`ids`: by local id, for the console). Unescaped. */
export function rollUpHeading(rollup: RollUp, label: 'names' | 'ids' = 'names'): string {
  const count = rollup.stories.length;
  const watchlists = rollup.watchlists.map((w) => (label === 'ids' ? localWatchlistId(w.id) : w.name)).join(', ');
  return `${count} more ${count === 1 ? 'story' : 'stories'} matched ${watchlists || 'your watchlists'}`;
}

/** The JSON shape `poll --json` prints for a roll-up. */
export function rollUpToJson(rollup: RollUp): Record<string, unknown> {
  return {
    kind: 'rollup',
    channel: rollup.channel,
    count: rollup.stories.length,
    watchlists: rollup.watchlists.map((w) => w.id),
    stories: rollup.stories.map(({ id, title, link, published, source }) => ({ id, title, link, published, source })),
  };
}
