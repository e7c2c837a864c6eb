/**
 * One feed's turn in a poll cycle: fetch → decode → parse → normalise → dedupe → match → deliver
 * → record. The order of the writes is what keeps the store consistent across crashes:
 *
 *   1. deliveries are recorded per channel as each alert lands (a retry never posts twice);
 *   2. the feed's seen-record is written in one operation after the deliveries;
 *   3. the feed state (ETag, body hash) advances last, so a crash before it re-reads the
 *      same body next cycle and the records above make that harmless.
 *
 * A story whose delivery failed is left out of the seen-record, so the next cycle tries it
 * again; channels that did get it are protected by their delivery records.
 */
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';
import type { FeedSource } from '../feeds/feed-source.js';
import { asWirewatchError, type WirewatchError } from '../errors.js';
import { sha1Hex } from '../hash.js';
import type { FeedFetcher } from '../feeds/fetch/feed-fetcher.js';
import { decodeFeedBody } from '../feeds/decode.js';
import { MAX_ITEMS, parseFeedDocument } from '../feeds/parse.js';
import { normaliseFeed } from '../feeds/normalise.js';
import type { Story } from '../feeds/story.js';
import type { Matcher } from '../watch/matcher.js';
import { StoryAlerts, dedupeKeys, type Alert } from '../alerts/alert.js';
import { DeliveryError, type AlertSink } from '../delivery/sink.js';
import type { FeedState, Repositories, SeenRecord, SeenTimes } from '../store/repositories.js';
import { isBackingOff, recordFailure, recordSuccess, type BackoffPolicy } from './feed-health.js';

export interface Subscriber {
  channel: string;
  watchlists: readonly string[];
}

export interface FeedTarget {
  feed: FeedSource;
  /** Feeds from the operator (config file, command line) skip the private-address guard. */
  trusted: boolean;
  subscribers: readonly Subscriber[];
}

export interface PollContext {
  fetcher: FeedFetcher;
  repositories: Repositories;
  matcher: Matcher;
  watchlistNames: ReadonlyMap<string, string>;
  sink: AlertSink;
  clock: Clock;
  logger: Logger;
  policy: BackoffPolicy;
  maxItemAgeMs: number;
  maxBytes: number;
  /** The fetcher's global limit; the cycle keeps a few feeds per slot in flight. */
  fetchConcurrency: number;
}

export interface PollOptions {
  /** Fetch unconditionally, alert on every current matching item, record nothing. */
  dryRun: boolean;
  /** Poll even a feed that is backing off (the CLI's one-off poll). */
  ignoreBackoff: boolean;
  signal?: AbortSignal;
}

export type FeedStatus = 'polled' | 'baseline' | 'not-modified' | 'unchanged' | 'backing-off' | 'failed';

export interface FeedOutcome {
  feedId: string;
  url: string;
  status: FeedStatus;
  stories: number;
  newStories: number;
  alerts: number;
  deliveryFailures: number;
  error: { code: string; message: string } | null;
}

export type FetchedStories =
  | { kind: 'not-modified' }
  | { kind: 'unchanged' }
  | {
      kind: 'stories';
      stories: Story[];
      bodyHash: string;
      etag: string | null;
      lastModified: string | null;
      repairs: string[];
      /** Items past the parser's cap, not read. */
      droppedItems: number;
      /** Items that could not be normalised: skipped, the rest of the feed goes on. */
      failedItems: FailedItem[];
    };

export interface FailedItem {
  /** Position in the document, from 0. */
  index: number;
  error: WirewatchError;
}

/** Fetch and turn the body into Stories; a 304 or an identical body costs no parse. */
export async function fetchStories(
  target: FeedTarget,
  state: FeedState | null,
  context: Pick<PollContext, 'fetcher' | 'clock' | 'maxBytes'>,
  signal?: AbortSignal,
): Promise<FetchedStories> {
  const response = await context.fetcher.fetch({
    url: target.feed.url,
    etag: state?.etag ?? null,
    lastModified: state?.lastModified ?? null,
    trusted: target.trusted,
    feedId: target.feed.id,
    ...(signal ? { signal } : {}),
  });
  if (response.kind === 'not-modified') return { kind: 'not-modified' };
  const bodyHash = sha1Hex(response.body);
  if (state?.bodyHash === bodyHash) return { kind: 'unchanged' };
  const decoded = decodeFeedBody(response.body, response.contentType, { maxBytes: context.maxBytes });
  const parsed = await parseFeedDocument(decoded.text, { baseUrl: response.finalUrl });
  const failedItems: FailedItem[] = [];
  const stories = normaliseFeed(parsed, {
    feedId: target.feed.id,
    feedName: target.feed.name,
    feedLanguage: target.feed.language,
    documentUrl: response.finalUrl,
    now: context.clock.now(),
    onItemError: (index, error) => failedItems.push({ index, error: asWirewatchError(error) }),
  });
  return {
    kind: 'stories',
    stories,
    bodyHash,
    etag: response.etag,
    lastModified: response.lastModified,
    repairs: parsed.repairs,
    droppedItems: parsed.droppedItems,
    failedItems,
  };
}

export function outcome(target: FeedTarget, status: FeedStatus, extra: Partial<FeedOutcome> = {}): FeedOutcome {
  return {
    feedId: target.feed.id,
    url: target.feed.url,
    status,
    stories: 0,
    newStories: 0,
    alerts: 0,
    deliveryFailures: 0,
    error: null,
    ...extra,
  };
}

/**
 * Alerts for the stories, one per (story, subscribed channel whose watchlists matched), oldest
 * story first. Built story by story as they are consumed, so a feed's alerts are never all held
 * at once, and each story's shared work (summary sentences, grouped matches) is done once for all
 * its channels.
 */
export function* alertsFor(
  stories: readonly Story[],
  target: FeedTarget,
  context: Pick<PollContext, 'matcher' | 'watchlistNames'>,
  onStoryError: (story: Story, error: WirewatchError) => void = () => undefined,
): Generator<Alert> {
  const subscribers = target.subscribers.map((subscriber) => ({ channel: subscriber.channel, wanted: new Set(subscriber.watchlists) }));
  const oldestFirst = [...stories].sort((a, b) => a.published.localeCompare(b.published));
  for (const story of oldestFirst) {
    // A story that cannot be matched or summarised costs that story, not the feed's others.
    let alerts: Alert[];
    try {
      alerts = storyAlerts(story, subscribers, context);
    } catch (error) {
      onStoryError(story, asWirewatchError(error));
      continue;
    }
    yield* alerts;
  }
}

function storyAlerts(
  story: Story,
  subscribers: readonly { channel: string; wanted: ReadonlySet<string> }[],
  context: Pick<PollContext, 'matcher' | 'watchlistNames'>,
): Alert[] {
  const result = context.matcher.match(story);
  if (result.watchlists.length === 0) return [];
  const builder = new StoryAlerts(story, result, context.watchlistNames);
  const alerts: Alert[] = [];
  for (const { channel, wanted } of subscribers) {
    const alert = builder.forChannel(channel, wanted);
    if (alert) alerts.push(alert);
  }
  return alerts;
}

interface DeliveryReport {
  delivered: number;
  /** Alerts whose send was tried (not those a channel already had). */
  attempted: number;
  failedStories: Set<string>;
  /** Set when the store refused a write: delivery stopped there, so nothing is posted twice. */
  storeError: WirewatchError | null;
}

const isStoreError = (error: WirewatchError) => error.code === 'store_write_failed' || error.code === 'store_unavailable';

/**
 * A platform refused a channel for good (no access, unknown channel): its subscription is paused
 * with the reason, so no more requests are made for it until someone fixes it and subscribes
 * again. A channel without a stored subscription (the console) has nothing to pause.
 */
async function pauseChannel(context: PollContext, channel: string, error: WirewatchError, log: Logger): Promise<void> {
  await context.repositories.subscriptions.mark(channel, { paused: { code: error.code, reason: error.message, at: context.clock.now() } });
  log.warn({ code: error.code, reason: error.message }, 'the platform refused this channel for good: its subscription is paused');
}

async function deliverAll(alerts: Iterable<Alert>, context: PollContext, dryRun: boolean, log: Logger): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, attempted: 0, failedStories: new Set(), storeError: null };
  const paused = new Set<string>();
  for (const alert of alerts) {
    if (paused.has(alert.channel)) continue;
    const keys = dedupeKeys(alert.story);
    const storyLog = log.child({ story_id: alert.story.id, channel_id: alert.channel });
    if (!dryRun && (await context.repositories.deliveries.delivered(alert.channel, keys))) {
      storyLog.debug('already delivered to this channel; skipped');
      continue;
    }
    report.attempted++;
    try {
      await context.sink.deliver(alert);
    } catch (error) {
      const coded = asWirewatchError(error);
      if (error instanceof DeliveryError && error.failure === 'permanent' && !dryRun) {
        paused.add(alert.channel);
        await pauseChannel(context, alert.channel, coded, storyLog);
        continue;
      }
      report.failedStories.add(alert.story.id);
      if (!dryRun) await context.repositories.subscriptions.mark(alert.channel, { lastFailure: { code: coded.code, reason: coded.message, at: context.clock.now() } });
      storyLog.error({ code: coded.code, err: coded }, 'alert delivery failed; the story stays unseen and is retried next cycle');
      continue;
    }
    report.delivered++;
    if (!dryRun) {
      try {
        await context.repositories.deliveries.record(alert.channel, keys, {
          storyId: alert.story.id,
          feedId: alert.story.feedId,
          watchlists: alert.watchlists.map((w) => w.id),
          deliveredAt: context.clock.now(),
        });
      } catch (error) {
        report.storeError = asWirewatchError(error);
        storyLog.error(
          { code: report.storeError.code, err: report.storeError },
          'alert posted but the store cannot record it: delivery stopped for this feed so nothing is posted twice',
        );
        return report;
      }
    }
    storyLog.info(
      { watchlists: alert.watchlists.map((w) => w.id), sink: context.sink.name },
      dryRun ? 'alert shown (dry run, not recorded)' : 'alert delivered',
    );
  }
  return report;
}

function seenTimes(story: Story, seen: SeenRecord | undefined): SeenTimes | undefined {
  if (!seen) return undefined;
  return seen.items[story.id] ?? story.earlierIds.map((id) => seen.items[id]).find((times) => times !== undefined);
}

function splitNew(stories: Story[], seen: SeenRecord | undefined): { current: Story[]; fresh: Story[] } {
  const current = stories.map((story) => {
    const known = seenTimes(story, seen);
    return known && story.publishedFrom === 'first-seen' ? { ...story, published: new Date(known[0]).toISOString() } : story;
  });
  return { current, fresh: current.filter((story) => !seenTimes(story, seen)) };
}

function nextSeenRecord(previous: SeenRecord | undefined, stories: Story[], skip: Set<string>, now: number): SeenRecord {
  const items = { ...(previous?.items ?? {}) };
  for (const story of stories) {
    if (skip.has(story.id)) continue;
    items[story.id] = [seenTimes(story, previous)?.[0] ?? now, now];
  }
  return { baselineAt: previous?.baselineAt ?? now, items };
}

export async function pollFeed(target: FeedTarget, context: PollContext, options: PollOptions): Promise<FeedOutcome> {
  const log = context.logger.child({ feed_id: target.feed.id });
  const { repositories, clock } = context;
  const now = clock.now();
  const state = options.dryRun ? null : await repositories.feedStates.get(target.feed.url);
  if (state && !options.ignoreBackoff && isBackingOff(state, now)) {
    log.debug({ next_attempt_at: new Date(state.nextAttemptAt ?? now).toISOString() }, 'feed is backing off; skipped');
    return outcome(target, 'backing-off');
  }

  let fetched: FetchedStories;
  try {
    fetched = await fetchStories(target, state, context, options.signal);
  } catch (error) {
    // Cancelled by shutdown: not the feed's fault, so no failure is counted against it.
    if (options.signal?.aborted) return outcome(target, 'failed', { error: { code: 'internal', message: 'cancelled: shutting down' } });
    return failed(target, state, asWirewatchError(error), context, log);
  }
  if (fetched.kind !== 'stories') {
    if (state) await repositories.feedStates.put(recordSuccess(state, now));
    log.debug({ result: fetched.kind }, 'feed unchanged');
    return outcome(target, fetched.kind);
  }
  if (fetched.repairs.length > 0) log.debug({ repairs: fetched.repairs }, 'feed needed repairs to parse');
  if (fetched.droppedItems > 0) {
    log.warn({ dropped_items: fetched.droppedItems, kept_items: MAX_ITEMS }, 'feed lists more items than are read; the rest were dropped');
  }
  for (const { index, error } of fetched.failedItems) {
    log.warn({ item_index: index, code: error.code, err: error }, 'feed item could not be read; skipped, the rest of the feed goes on');
  }

  const seen = state ? await repositories.seen.get(target.feed.id) : undefined;
  const { current, fresh } = splitNew(fetched.stories, seen);
  const counts = { stories: current.length, newStories: options.dryRun ? current.length : fresh.length };
  // The validators advance only when every story was handled; otherwise a 304 or an identical
  // body next cycle would hide the stories whose delivery failed.
  const stateAfter = (s: FeedState, complete: boolean) =>
    complete
      ? recordSuccess(s, now, { etag: fetched.etag, lastModified: fetched.lastModified, bodyHash: fetched.bodyHash })
      : recordSuccess(s, now);

  if (state && !seen) {
    // First poll of this feed: remember what is already there, alert on none of it.
    await repositories.seen.put(target.feed.id, nextSeenRecord(undefined, current, new Set(), now), now);
    await repositories.feedStates.put(stateAfter(state, true));
    log.info({ stories: current.length }, 'first poll of this feed: recorded what is already there, no alerts');
    return outcome(target, 'baseline', counts);
  }

  const candidates = (options.dryRun ? current : fresh).filter(
    (story) => now - Date.parse(story.published) <= context.maxItemAgeMs,
  );
  const alerts = alertsFor(candidates, target, context, (story, error) =>
    log.error({ story_id: story.id, code: error.code, err: error }, 'story could not be matched; skipped, the rest of the feed goes on'),
  );
  const first = alerts.next();
  if (state && !first.done) {
    // Prove the store takes writes before posting anything: a post that cannot be recorded
    // would be posted again next cycle, and the one after.
    const stopped = await storeRefusesWrites(() => repositories.feedStates.put({ ...state, lastAttemptAt: now }), log);
    if (stopped) return outcome(target, 'failed', { ...counts, error: stopped });
  }
  const { delivered, attempted, failedStories, storeError } = first.done
    ? { delivered: 0, attempted: 0, failedStories: new Set<string>(), storeError: null }
    : await deliverAll(prepend(first.value, alerts), context, options.dryRun, log);
  if (storeError) {
    return outcome(target, 'failed', {
      ...counts,
      alerts: delivered,
      deliveryFailures: attempted - delivered,
      error: { code: storeError.code, message: storeError.message },
    });
  }
  if (state) {
    await repositories.seen.put(target.feed.id, nextSeenRecord(seen, current, failedStories, now), now);
    await repositories.feedStates.put(stateAfter(state, failedStories.size === 0));
  }
  if (fresh.length > 0) log.info({ new_stories: fresh.length, alerts: delivered }, 'feed polled');
  return outcome(target, 'polled', { ...counts, alerts: delivered, deliveryFailures: attempted - delivered });
}

function* prepend<T>(first: T, rest: Iterator<T>): Generator<T> {
  yield first;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/** Runs a store write; a refusal is logged plainly and returned, so the caller posts nothing. */
async function storeRefusesWrites(write: () => Promise<void>, log: Logger): Promise<FeedOutcome['error']> {
  try {
    await write();
    return null;
  } catch (error) {
    const coded = asWirewatchError(error);
    if (!isStoreError(coded)) throw error;
    log.error({ code: coded.code, err: coded }, 'the store cannot be written: no alerts posted for this feed until it can');
    return { code: coded.code, message: coded.message };
  }
}

async function failed(
  target: FeedTarget,
  state: FeedState | null,
  error: WirewatchError,
  context: PollContext,
  log: Logger,
): Promise<FeedOutcome> {
  const retryAfterMs = typeof error.details?.['retryAfterMs'] === 'number' ? error.details['retryAfterMs'] : null;
  let next: FeedState | null = null;
  if (state) {
    next = recordFailure(state, { code: error.code, message: error.message, retryAfterMs }, context.clock.now(), context.policy);
    await context.repositories.feedStates.put(next);
  }
  log.warn(
    {
      code: error.code,
      reason: error.message,
      consecutive_failures: next?.consecutiveFailures,
      failing: next?.failing,
      next_attempt_at: next?.nextAttemptAt ? new Date(next.nextAttemptAt).toISOString() : undefined,
    },
    'feed poll failed',
  );
  return outcome(target, 'failed', { error: { code: error.code, message: error.message } });
}
