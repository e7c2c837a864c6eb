/**
 * A poll cycle: every distinct feed URL once, concurrently (the fetcher bounds concurrency
 * globally and per host), each feed isolated from the others' failures.
 */
import pLimit from 'p-limit';
import { asWirewatchError } from '../errors.js';
import type { FeedSource } from '../feeds/feed-source.js';
import { outcome, pollFeed, type FeedOutcome, type FeedTarget, type PollContext, type PollOptions } from './poll-feed.js';

export interface CycleReport {
  startedAt: number;
  durationMs: number;
  feeds: FeedOutcome[];
  alerts: number;
}

export interface SubscriptionLike {
  channel: string;
  feeds: readonly string[] | '*';
  watchlists: readonly string[];
}

/**
 * One target per distinct URL, carrying every channel that follows it. Feeds of the config
 * file are trusted; later, feeds that chat users add are not.
 */
export function buildTargets(feeds: readonly FeedSource[], subscriptions: readonly SubscriptionLike[]): FeedTarget[] {
  const byUrl = new Map<string, FeedTarget>();
  for (const feed of feeds) {
    if (byUrl.has(feed.url)) continue;
    const subscribers = subscriptions
      .filter((s) => s.feeds === '*' || s.feeds.includes(feed.id))
      .map((s) => ({ channel: s.channel, watchlists: s.watchlists }));
    byUrl.set(feed.url, { feed, trusted: true, subscribers });
  }
  return [...byUrl.values()];
}

/**
 * Feeds between fetch and the last store write at any moment. The fetcher bounds requests;
 * this bounds memory (bodies, parsed documents, stories waiting on the store). It is a multiple
 * of the fetch limit so feeds queued behind one busy host do not starve the others.
 */
const FEEDS_IN_FLIGHT_PER_FETCH_SLOT = 4;

export async function runPollCycle(
  targets: readonly FeedTarget[],
  context: PollContext,
  options: PollOptions,
): Promise<CycleReport> {
  const startedAt = context.clock.now();
  const inFlight = pLimit(Math.max(1, context.fetchConcurrency * FEEDS_IN_FLIGHT_PER_FETCH_SLOT));
  const feeds = await Promise.all(
    targets.map((target) => inFlight(async (): Promise<FeedOutcome> => {
      try {
        return await pollFeed(target, context, options);
      } catch (error) {
        // Only the store can fail here (fetch and parse errors are outcomes); log and go on.
        const coded = asWirewatchError(error, 'store_unavailable');
        context.logger.error({ feed_id: target.feed.id, code: coded.code, err: coded }, 'feed cycle aborted');
        return outcome(target, 'failed', { error: { code: coded.code, message: coded.message } });
      }
    })),
  );
  const report: CycleReport = {
    startedAt,
    durationMs: context.clock.now() - startedAt,
    feeds,
    alerts: feeds.reduce((sum, feed) => sum + feed.alerts, 0),
  };
  const count = (status: FeedOutcome['status']) => feeds.filter((f) => f.status === status).length;
  context.logger.info(
    {
      feeds: feeds.length,
      polled: count('polled'),
      baseline: count('baseline'),
      not_modified: count('not-modified'),
      unchanged: count('unchanged'),
      backing_off: count('backing-off'),
      failed: count('failed'),
      alerts: report.alerts,
      duration_ms: report.durationMs,
    },
    'poll cycle finished',
  );
  return report;
}
