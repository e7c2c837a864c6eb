/**
 * A poll cycle: every distinct feed URL once, concurrently (feeds are admitted per host, then
 * overall, decision 015; the fetcher bounds its requests the same way), each feed isolated from
 * the others' failures. Three steps:
 *
 *   1. the feeds' states are read in one go; each feed is fetched, parsed and matched
 *      (readFeed): its new alerts are held;
 *   2. the cycle's alerts are queued in one go, per channel oldest story first, past the
 *      channel's burst limit as one roll-up (burst.ts) — the count is across every feed of the
 *      cycle, so a burst spread over many feeds still arrives as one roll-up;
 *   3. each feed whose alerts were queued records its seen-record and state; the feeds that
 *      answered 304 or the same body record their states together.
 *
 * Holding the alerts until step 2 is what lets the cycle pick the oldest across feeds; it costs
 * the memory of one cycle's matching alerts and new seen-records.
 */
import pLimit from 'p-limit';
import { asWirewatchError } from '../errors.js';
import { hostLimits } from '../feeds/fetch/host-limits.js';
import type { FeedSource } from '../feeds/feed-source.js';
import { outcome, readFeed, type FeedOutcome, type FeedTarget, type FeedTurn, type PollContext, type PollOptions, type StoryEvent, type StoryEvents } from './poll-feed.js';
import { planEntries, type CycleAlert } from './burst.js';
import type { NewOutboxEntry, Outbox } from '../outbox/types.js';
import type { FeedState } from '../store/repositories.js';

export interface CycleReport {
  startedAt: number;
  durationMs: number;
  feeds: FeedOutcome[];
  /** Alerts queued, individually or in a roll-up. */
  alerts: number;
  /** Roll-ups queued: channels that got more than the burst limit this cycle. */
  rollUps: number;
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
 * this bounds memory (bodies, parsed documents, stories waiting on the store) and how long a
 * feed's objects stay alive, which decides how much garbage the collector promotes. Twice the
 * fetch limit keeps every request slot busy while the feeds fetched before are read; a feed
 * waiting for its host's turn is not in flight (hosts are limited first), so one busy host
 * cannot fill the cycle. In the news benchmark (1,000 feeds on one host, 16 request slots, 16
 * per host) a cycle peaked at 225–239 MB RSS this way and at 311–329 MB with 64 feeds in flight,
 * as before: the longer a feed is in flight, the more of its garbage outlives a young collection.
 */
const FEEDS_IN_FLIGHT_PER_FETCH_SLOT = 2;

/** The host a feed is fetched from, for the cycle's per-host limit; a URL that does not parse fails in the fetcher. */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/**
 * New alerts of a channel that has alerts waiting out a retry are due no sooner than the last of
 * them, so the channel still gets its stories oldest first.
 */
async function behindWaiting(entries: NewOutboxEntry[], outbox: Outbox): Promise<NewOutboxEntry[]> {
  const latestDue = new Map<string, number>();
  for (const channel of new Set(entries.map((entry) => entry.channel))) {
    const waiting = await outbox.list({ channel, state: 'pending' });
    if (waiting.length > 0) latestDue.set(channel, waiting.reduce((latest, entry) => Math.max(latest, entry.dueAt), 0));
  }
  return entries.map((entry) => {
    const due = latestDue.get(entry.channel);
    return due !== undefined && due > entry.dueAt ? { ...entry, dueAt: due } : entry;
  });
}

/**
 * Every story that alerts somewhere joins an event, oldest story first across the cycle's feeds,
 * and its alerts carry the event: the delivery worker posts the channel's first alert of an event
 * and threads the rest under it. A story the clusterer fails on keeps no event: it is alerted like
 * any story, never lost.
 */
async function assignEvents(offered: CycleAlert[], events: StoryEvents, context: Pick<PollContext, 'clock' | 'logger'>): Promise<void> {
  const byStory = new Map<string, CycleAlert[]>();
  for (const item of offered) {
    const list = byStory.get(item.alert.story.id);
    if (list) list.push(item);
    else byStory.set(item.alert.story.id, [item]);
  }
  const stories = [...byStory.values()].sort((a, b) => a[0]!.alert.story.published.localeCompare(b[0]!.alert.story.published));
  let assigned: (StoryEvent | Error)[];
  try {
    assigned = await events.assignAll(stories.map((items) => items[0]!.alert.story), context.clock.now());
  } catch (error) {
    const coded = asWirewatchError(error);
    context.logger.error({ stories: stories.length, code: coded.code, err: coded }, "the cycle's stories could not be grouped into events; each is alerted on its own");
    return;
  }
  stories.forEach((items, index) => {
    const result = assigned[index]!;
    if (result instanceof Error) {
      const coded = asWirewatchError(result);
      context.logger.error({ story_id: items[0]!.alert.story.id, code: coded.code, err: coded }, 'story could not be grouped into an event; alerted on its own');
      return;
    }
    const event = { id: result.eventId, because: result.isNew ? null : { score: result.score, sharedTerms: result.sharedTerms } };
    for (const item of items) item.alert = { ...item.alert, event };
  });
}

/**
 * Every feed's state in one read: the store answers a thousand keys in one statement or one
 * MGET, where a read per feed cost a statement per handful of feeds (on 1,000 feeds answering
 * 304, about a tenth of the cycle). Null on a dry run (it reads no state), or when the read
 * fails: then each feed reads its own and fails on its own, as any store error does.
 */
async function cycleStates(targets: readonly FeedTarget[], context: PollContext, options: PollOptions): Promise<FeedState[] | null> {
  if (options.dryRun || targets.length === 0) return null;
  try {
    return await context.repositories.feedStates.getMany(targets.map((target) => target.feed.url));
  } catch (error) {
    const coded = asWirewatchError(error, 'store_unavailable');
    context.logger.warn({ feeds: targets.length, code: coded.code, err: coded }, "the feeds' states could not be read at once; each feed reads its own");
    return null;
  }
}

/**
 * The states of the feeds that answered 304 or the same body, written together: the store
 * takes them as one statement or one pipeline, where a write per feed as each answered cost a
 * statement per handful of feeds. Answers the error when the write failed (null when it did
 * not): each of those feeds is then reported failed. Some of the writes may have landed; a state
 * written or not is harmless either way, since it only moves the feed's times and the next poll
 * writes it again.
 */
async function recordUnchanged(turns: readonly FeedTurn[], context: Pick<PollContext, 'repositories'>): Promise<unknown> {
  const states = turns.flatMap((turn) => (turn.kind === 'done' && turn.stateAfter ? [turn.stateAfter] : []));
  try {
    await context.repositories.feedStates.putMany(states);
    return null;
  } catch (error) {
    return error;
  }
}

export async function runPollCycle(
  targets: readonly FeedTarget[],
  context: PollContext,
  options: PollOptions,
): Promise<CycleReport> {
  const startedAt = context.clock.now();
  const feedsInFlight = Math.max(1, context.fetchConcurrency * FEEDS_IN_FLIGHT_PER_FETCH_SLOT);
  const admit = hostLimits(feedsInFlight, context.fetchPerHostConcurrency);
  const inFlight = pLimit(feedsInFlight);
  const aborted = (target: FeedTarget, error: unknown): FeedOutcome => {
    // Only the store can fail here (fetch and parse errors are outcomes); log and go on.
    const coded = asWirewatchError(error, 'store_unavailable');
    context.logger.error({ feed_id: target.feed.id, code: coded.code, err: coded }, 'feed cycle aborted');
    return outcome(target, 'failed', { error: { code: coded.code, message: coded.message } });
  };
  const states = await cycleStates(targets, context, options);
  const turns = await Promise.all(
    targets.map((target, index) => admit(hostOf(target.feed.url), async (): Promise<FeedTurn> => {
      try {
        return await readFeed(target, context, options, states?.[index]);
      } catch (error) {
        return { kind: 'done', outcome: aborted(target, error) };
      }
    })),
  );

  const offered: CycleAlert[] = [];
  turns.forEach((turn, feedIndex) => {
    if (turn.kind === 'alerts') for (const alert of turn.alerts) offered.push({ alert, feedIndex });
  });
  if (context.events && offered.length > 0) await assignEvents(offered, context.events, context);
  const plan = planEntries(offered, context.burstLimit, context.clock.now(), (alert, error) => {
    const coded = asWirewatchError(error);
    context.logger.error({ story_id: alert.story.id, channel_id: alert.channel, code: coded.code, err: coded }, 'summary could not be written; the alert is queued without one');
  });
  let queueError: unknown = null;
  if (plan.entries.length > 0) {
    try {
      await context.outbox.enqueue(await behindWaiting(plan.entries, context.outbox), context.clock.now());
    } catch (error) {
      queueError = error;
    }
  }

  const unchangedError = await recordUnchanged(turns, context);
  const feeds = await Promise.all(
    turns.map((turn, feedIndex): Promise<FeedOutcome> => {
      // A finished turn has nothing left to write: it takes no slot.
      if (turn.kind === 'done') return Promise.resolve(turn.stateAfter && unchangedError !== null ? aborted(targets[feedIndex]!, unchangedError) : turn.outcome);
      return inFlight(async (): Promise<FeedOutcome> => {
        const queued = plan.queuedByFeed.get(feedIndex) ?? 0;
        // A feed none of whose alerts were to be queued records itself even when the queueing failed.
        if (queueError !== null && turn.alerts.length > 0) return turn.fail(asWirewatchError(queueError));
        try {
          return await turn.finish(queued);
        } catch (error) {
          return aborted(targets[feedIndex]!, error);
        }
      });
    }),
  );
  const rollUps = queueError === null ? plan.rollUps : 0;
  const report: CycleReport = {
    startedAt,
    durationMs: context.clock.now() - startedAt,
    feeds,
    alerts: feeds.reduce((sum, feed) => sum + feed.alerts, 0),
    rollUps,
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
      roll_ups: rollUps,
      duration_ms: report.durationMs,
    },
    'poll cycle finished',
  );
  return report;
}
