/**
 * One feed's turn in a poll cycle: fetch → decode → parse → normalise → dedupe → match, then
 * (once every feed of the cycle is there, see poll-cycle.ts) queue → record. Sending is not the
 * poll's job: alerts go into the outbox, and the delivery worker sends them on its own schedule,
 * so a slow or failing chat platform never holds up a poll. The order of the writes is what keeps
 * the store consistent across crashes:
 *
 *   1. the cycle's alerts are queued in the outbox (idempotent per story and channel; past a
 *      channel's burst limit, one roll-up whose id comes from its stories);
 *   2. each feed's seen-record is written in one operation after them;
 *   3. the feed state (ETag, body hash) advances last, so a crash before it re-reads the
 *      same body next cycle and the records above make that harmless.
 */
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';
import type { FeedSource } from '../feeds/feed-source.js';
import { asWirewatchError, type WirewatchError } from '../errors.js';
import { sha1Hex } from '../hash.js';
import type { FeedFetcher } from '../feeds/fetch/feed-fetcher.js';
import { decodeFeedBody } from '../feeds/decode.js';
import { MAX_ITEMS } from '../feeds/parse.js';
import type { IdentifiedFeed, IdentifiedItem } from '../feeds/normalise.js';
import { earlierStoryIds } from '../feeds/identity.js';
import type { Story } from '../feeds/story.js';
import type { Matcher } from '../watch/matcher.js';
import { StoryAlerts, completeAlert, dedupeKeys, type DraftAlert } from '../alerts/alert.js';
import type { AlertSink } from '../delivery/sink.js';
import type { Outbox } from '../outbox/types.js';
import type { FeedState, Repositories, SeenEntry, SeenRecord } from '../store/repositories.js';
import { isBackingOff, recordFailure, recordSuccess, type BackoffPolicy } from './feed-health.js';
import { readDocumentItems, type KnownItem } from './document-items.js';

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
  /** Dry runs only: real runs queue alerts in the outbox and the delivery worker sends them. */
  sink: AlertSink;
  /** Where alerts wait for the delivery worker. */
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  policy: BackoffPolicy;
  maxItemAgeMs: number;
  maxBytes: number;
  /** The fetcher's global limit; the cycle keeps two feeds per slot in flight. */
  fetchConcurrency: number;
  /** The fetcher's per-host limit; the cycle has no more feeds of one host in flight. */
  fetchPerHostConcurrency: number;
  /** BURST_LIMIT: alerts a channel gets one by one per cycle; the rest arrive as one roll-up. */
  burstLimit: number;
  /** Groups the cycle's matching stories into events (one alert per event per channel); absent: every story is its own. */
  events?: StoryEvents;
}

/** The event a story joined: new, or an open one it shares `sharedTerms` with, at `score`. */
export interface StoryEvent {
  eventId: string;
  isNew: boolean;
  score: number;
  sharedTerms: string[];
}

/** What the cycle needs from the event clusterer (src/events/): the events the cycle's stories join. */
export interface StoryEvents {
  /**
   * Assigns the stories in the order given, each to an event, and stores the changes before it
   * answers: in each story's place its event, or the error that kept it out of one. Rejects
   * when the changes cannot be stored (then no story has an event).
   */
  assignAll(stories: readonly Story[], now: number): Promise<(StoryEvent | Error)[]>;
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
  error: { code: string; message: string } | null;
}

export type FetchedStories =
  | { kind: 'not-modified' }
  | { kind: 'unchanged' }
  | {
      kind: 'stories';
      /** The parsed items, identified; `feed.stories(items)` reads the text of those that need it. */
      feed: IdentifiedFeed;
      /** Items left out of the parse: their text is that of a story the seen-record holds. */
      known: KnownItem[];
      /** The key of a parsed item's text, for the seen-record; none when the parse could not be matched to the text's items. */
      segmentKeyOf: (item: IdentifiedItem) => string | undefined;
      /** The feed's seen-record as it was before this poll (none: first poll, dry run, or no store). */
      seen: SeenRecord | undefined;
      bodyHash: string;
      etag: string | null;
      lastModified: string | null;
      repairs: string[];
      /** Items past the parser's cap, not read. */
      droppedItems: number;
      /** Items that could not be normalised: skipped, the rest of the feed goes on. Grows when `feed.stories` meets one. */
      failedItems: FailedItem[];
    };

export interface FailedItem {
  /** Position in the document, from 0. */
  index: number;
  error: WirewatchError;
}

export interface FetchOptions {
  signal?: AbortSignal;
  /**
   * The feed's seen-record, read only once the body has changed (a 304 costs no read): items it
   * holds with the same text are not parsed again.
   */
  readSeen?: () => Promise<SeenRecord | undefined>;
}

/** Fetch and turn the body into Stories; a 304 or an identical body costs no parse. */
export async function fetchStories(
  target: FeedTarget,
  state: FeedState | null,
  context: Pick<PollContext, 'fetcher' | 'clock' | 'maxBytes'>,
  options: FetchOptions = {},
): Promise<FetchedStories> {
  const response = await context.fetcher.fetch({
    url: target.feed.url,
    etag: state?.etag ?? null,
    lastModified: state?.lastModified ?? null,
    trusted: target.trusted,
    feedId: target.feed.id,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (response.kind === 'not-modified') return { kind: 'not-modified' };
  const bodyHash = sha1Hex(response.body);
  if (state?.bodyHash === bodyHash) return { kind: 'unchanged' };
  const decoded = decodeFeedBody(response.body, response.contentType, { maxBytes: context.maxBytes });
  const seen = await options.readSeen?.();
  const failedItems: FailedItem[] = [];
  const document = await readDocumentItems(
    decoded.text,
    {
      feedId: target.feed.id,
      feedName: target.feed.name,
      feedLanguage: target.feed.language,
      documentUrl: response.finalUrl,
      now: context.clock.now(),
      onItemError: (index, error) => failedItems.push({ index, error: asWirewatchError(error) }),
    },
    seen,
  );
  return {
    kind: 'stories',
    feed: document.feed,
    known: document.known,
    segmentKeyOf: document.segmentKeyOf,
    seen,
    bodyHash,
    etag: response.etag,
    lastModified: response.lastModified,
    repairs: document.repairs,
    droppedItems: document.droppedItems,
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
    error: null,
    ...extra,
  };
}

/**
 * Alerts for the stories, one per (story, subscribed channel whose watchlists matched), oldest
 * story first, their summaries not yet written (completeAlert writes one). Built story by story as
 * they are consumed, so a feed's alerts are never all held at once, and each story's shared work
 * (grouped matches, summary sentences) is done once for all its channels.
 */
export function* alertsFor(
  stories: readonly Story[],
  target: FeedTarget,
  context: Pick<PollContext, 'matcher' | 'watchlistNames'>,
  onStoryError: (story: Story, error: WirewatchError) => void = () => undefined,
): Generator<DraftAlert> {
  const subscribers = target.subscribers.map((subscriber) => ({ channel: subscriber.channel, wanted: new Set(subscriber.watchlists) }));
  const oldestFirst = [...stories].sort((a, b) => a.published.localeCompare(b.published));
  for (const story of oldestFirst) {
    // A story that cannot be matched costs that story, not the feed's others (a summary that
    // cannot be written costs only the summary: see completeAlert).
    let alerts: DraftAlert[];
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
): DraftAlert[] {
  const result = context.matcher.match(story);
  if (result.watchlists.length === 0) return [];
  const builder = new StoryAlerts(story, result, context.watchlistNames);
  const alerts: DraftAlert[] = [];
  for (const { channel, wanted } of subscribers) {
    const alert = builder.draftForChannel(channel, wanted);
    if (alert) alerts.push(alert);
  }
  return alerts;
}

/** Dry runs show every alert at once through the sink; nothing is queued or recorded. */
async function showAll(alerts: Iterable<DraftAlert>, context: PollContext, log: Logger): Promise<number> {
  let shown = 0;
  for (const alert of alerts) {
    try {
      const complete = completeAlert(alert, (error) => {
        const coded = asWirewatchError(error);
        log.error({ story_id: alert.story.id, channel_id: alert.channel, code: coded.code, err: coded }, 'summary could not be written; the alert is shown without one');
      });
      await context.sink.deliver(complete);
      shown++;
    } catch (error) {
      const coded = asWirewatchError(error);
      log.error({ story_id: alert.story.id, channel_id: alert.channel, code: coded.code, err: coded }, 'alert could not be shown');
    }
  }
  return shown;
}

type StoryIds = Pick<IdentifiedItem, 'id' | 'identity'>;

/** The story's entry in the record; its ids under earlier identity rules are worked out only when its id is not there. */
function seenEntry(feedId: string, story: StoryIds, seen: SeenRecord | undefined): SeenEntry | undefined {
  if (!seen) return undefined;
  return seen.items.get(story.id) ?? earlierStoryIds(feedId, story.identity).map((id) => seen.items.get(id)).find((entry) => entry !== undefined);
}

/**
 * The record after this poll: every item of the document seen now, with the key of its text when
 * there is one. `seenBefore[i]`: what `previous` held for the i-th parsed item (see seenEntry).
 */
function nextSeenRecord(previous: SeenRecord | undefined, fetched: DocumentOfStories, seenBefore: readonly (SeenEntry | undefined)[], now: number): SeenRecord {
  const items = new Map(previous?.items);
  const record = (id: string, firstSeen: number, key: string | undefined) => {
    items.set(id, key === undefined ? [id, firstSeen, now] : [id, firstSeen, now, key]);
  };
  fetched.feed.items.forEach((item, index) => record(item.id, seenBefore[index]?.[1] ?? now, fetched.segmentKeyOf(item)));
  for (const item of fetched.known) record(item.id, previous?.items.get(item.id)?.[1] ?? now, item.segmentKey);
  return { baselineAt: previous?.baselineAt ?? now, items };
}

type DocumentOfStories = Extract<FetchedStories, { kind: 'stories' }>;

/** The stories a document lists, each once: parsed or known, and an item listed twice counts once. */
function distinctStories(fetched: DocumentOfStories): number {
  if (fetched.known.length === 0) return fetched.feed.items.length;
  const ids = new Set(fetched.feed.items.map((item) => item.id));
  for (const item of fetched.known) ids.add(item.id);
  return ids.size;
}

/**
 * A feed's turn up to the queueing: either finished (nothing to queue: unchanged, failed, first
 * poll, dry run) or holding the alerts it brought, not yet delivered to their channels, with what
 * to do once the cycle queued them (`finish`: record the feed) or could not (`fail`).
 */
export type FeedTurn =
  | {
      kind: 'done';
      outcome: FeedOutcome;
      /**
       * A feed that answered 304 or the same body: its state after this poll (times, failures
       * reset), written by the cycle with the other such feeds' in one go.
       */
      stateAfter?: FeedState;
    }
  | {
      kind: 'alerts';
      /** Their summaries are written when the cycle queues them one by one (none for a roll-up). */
      alerts: DraftAlert[];
      /** The cycle queued this feed's alerts (`queued` of them, individually or rolled up): record the feed. */
      finish: (queued: number) => Promise<FeedOutcome>;
      /** The cycle could not queue them: nothing is recorded. */
      fail: (error: WirewatchError) => FeedOutcome;
    };

const done = (result: FeedOutcome): FeedTurn => ({ kind: 'done', outcome: result });

/** `knownState`: the feed's state as the cycle read it with the others'; read here when absent. */
export async function readFeed(target: FeedTarget, context: PollContext, options: PollOptions, knownState?: FeedState): Promise<FeedTurn> {
  // The feed's child logger is made once the feed has something to say beyond debug: most feeds
  // of most cycles answer 304, and a child logger per feed per cycle was a share of that path.
  const { logger, repositories, clock } = context;
  const feedLogger = () => logger.child({ feed_id: target.feed.id });
  const now = clock.now();
  const state = options.dryRun ? null : (knownState ?? (await repositories.feedStates.get(target.feed.url)));
  if (state && !options.ignoreBackoff && isBackingOff(state, now)) {
    logger.debug({ feed_id: target.feed.id, next_attempt_at: new Date(state.nextAttemptAt ?? now).toISOString() }, 'feed is backing off; skipped');
    return done(outcome(target, 'backing-off'));
  }

  let fetched: FetchedStories;
  try {
    // No record is read on a dry run: it records nothing, and parses every item.
    const readSeen = state ? () => repositories.seen.get(target.feed.id) : undefined;
    fetched = await fetchStories(target, state, context, { ...(options.signal ? { signal: options.signal } : {}), ...(readSeen ? { readSeen } : {}) });
  } catch (error) {
    // Cancelled by shutdown: not the feed's fault, so no failure is counted against it.
    if (options.signal?.aborted) return done(outcome(target, 'failed', { error: { code: 'internal', message: 'cancelled: shutting down' } }));
    return done(await failed(target, state, asWirewatchError(error), context, feedLogger()));
  }
  if (fetched.kind !== 'stories') {
    logger.debug({ feed_id: target.feed.id, result: fetched.kind }, 'feed unchanged');
    return { kind: 'done', outcome: outcome(target, fetched.kind), ...(state ? { stateAfter: recordSuccess(state, now) } : {}) };
  }
  const log = feedLogger();
  if (fetched.repairs.length > 0) log.debug({ repairs: fetched.repairs }, 'feed needed repairs to parse');
  if (fetched.droppedItems > 0) {
    log.warn({ dropped_items: fetched.droppedItems, kept_items: MAX_ITEMS }, 'feed lists more items than are read; the rest were dropped');
  }
  // Drained: an item can also fail later, when its text is read, and is logged then.
  const logFailedItems = () => {
    for (const { index, error } of fetched.failedItems.splice(0)) {
      log.warn({ item_index: index, code: error.code, err: error }, 'feed item could not be read; skipped, the rest of the feed goes on');
    }
  };
  logFailedItems();

  const seen = fetched.seen;
  const current = fetched.feed.items;
  // Only new items are read further (their text turned into Stories); the rest are known by id.
  // Looked up once: a new item's earlier ids cost a hash each, and the record below needs them too.
  const seenBefore = current.map((item) => seenEntry(target.feed.id, item, seen));
  const fresh = current.filter((_, index) => !seenBefore[index]);
  const counts = { stories: distinctStories(fetched), newStories: options.dryRun ? current.length : fresh.length };
  // Every story is queued or recorded by now, so the validators advance: a 304 next time hides nothing.
  const stateAfter = (s: FeedState) => recordSuccess(s, now, { etag: fetched.etag, lastModified: fetched.lastModified, bodyHash: fetched.bodyHash });

  if (state && !seen) {
    // First poll of this feed: remember what is already there, alert on none of it.
    await repositories.seen.put(target.feed.id, nextSeenRecord(undefined, fetched, seenBefore, now), now);
    await repositories.feedStates.put(stateAfter(state));
    log.info({ stories: counts.stories }, 'first poll of this feed: recorded what is already there, no alerts');
    return done(outcome(target, 'baseline', counts));
  }

  const recent = (options.dryRun ? current : fresh).filter((item) => now - (item.publishedMs ?? now) <= context.maxItemAgeMs);
  const candidates = fetched.feed.stories(recent);
  logFailedItems();
  const alerts = alertsFor(candidates, target, context, (story, error) =>
    log.error({ story_id: story.id, code: error.code, err: error }, 'story could not be matched; skipped, the rest of the feed goes on'),
  );
  if (options.dryRun) {
    return done(outcome(target, 'polled', { ...counts, alerts: await showAll(alerts, context, log) }));
  }
  // An alert the channel already received (the same article from another feed) is not queued.
  let pending: DraftAlert[];
  try {
    // One read for the feed's alerts: one each cost a store round trip per alert.
    const built = [...alerts];
    const delivered = await repositories.deliveries.deliveredEach(built.map((alert) => ({ channel: alert.channel, dedupeKeys: dedupeKeys(alert.story) })));
    pending = built.filter((_, index) => !delivered[index]);
  } catch (error) {
    return done(notQueued(target, counts, asWirewatchError(error), log));
  }
  const records = state ? { seen: nextSeenRecord(seen, fetched, seenBefore, now), state: stateAfter(state) } : null;
  return alertsTurn({ target, repositories, log, pending, counts, freshCount: fresh.length, records, now });
}

/**
 * The turn of a feed whose alerts wait for the cycle to queue them. Built outside readFeed, from
 * only what recording needs, so a cycle holding every feed's turn holds their alerts and their
 * next records — not their parsed stories.
 */
function alertsTurn(turn: {
  target: FeedTarget;
  repositories: Repositories;
  log: Logger;
  pending: DraftAlert[];
  counts: Partial<FeedOutcome>;
  freshCount: number;
  records: { seen: SeenRecord; state: FeedState } | null;
  now: number;
}): FeedTurn {
  const { target, repositories, log, counts, records } = turn;
  return {
    kind: 'alerts',
    alerts: turn.pending,
    fail: (error) => notQueued(target, counts, error, log),
    finish: async (queued) => {
      if (records) {
        await repositories.seen.put(target.feed.id, records.seen, turn.now);
        await repositories.feedStates.put(records.state);
      }
      if (turn.freshCount > 0) log.info({ new_stories: turn.freshCount, alerts_queued: queued }, 'feed polled');
      return outcome(target, 'polled', { ...counts, alerts: queued });
    },
  };
}

/** Nothing is recorded as seen: the next cycle finds these stories new and queues them again. */
function notQueued(target: FeedTarget, counts: Partial<FeedOutcome>, error: WirewatchError, log: Logger): FeedOutcome {
  log.error({ code: error.code, err: error }, 'alerts could not be queued; the stories stay new and are tried next cycle');
  return outcome(target, 'failed', { ...counts, error: { code: error.code, message: error.message } });
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
