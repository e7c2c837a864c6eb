/**
 * The service's Prometheus metrics (prom-client), served on GET /metrics. The pipeline knows
 * nothing of them: the composition root wraps the fetcher, the matcher, the outbox and the sink
 * in thin decorators that count what passes through, and hands each finished poll cycle's report
 * here. Every metric lives in one registry per process (no global default registry), so tests and
 * the CLI can make as many as they like.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import { asWirewatchError } from '../errors.js';
import type { FeedFetcher } from '../feeds/fetch/feed-fetcher.js';
import type { Matcher } from '../watch/matcher.js';
import type { Outbox } from '../outbox/types.js';
import { DeliveryError, type AlertSink } from '../delivery/sink.js';
import { isRollUp } from '../alerts/rollup.js';
import { isEventEdit } from '../alerts/event-thread.js';
import type { CycleReport } from '../pipeline/poll-cycle.js';

/** How a poll tick ended: it ran, another replica held the lease, or it threw. */
export type CycleOutcome = 'ran' | 'skipped' | 'failed';

export interface ServiceMetrics {
  readonly registry: Registry;
  /** The text format and its content type, for the /metrics route. */
  render(): Promise<{ contentType: string; body: string }>;
  meteredFetcher(inner: FeedFetcher): FeedFetcher;
  meteredMatcher(inner: Matcher): Matcher;
  meteredOutbox(inner: Outbox): Outbox;
  meteredSink(inner: AlertSink): AlertSink;
  /** The delivery worker reports each send's latency (from entering the outbox) here. */
  deliveryLatency(channel: string, latencyMs: number): void;
  cycleFinished(outcome: CycleOutcome, report?: CycleReport): void;
}

/** "discord:…" → discord, "slack:…" → slack, "console" → console. */
export function platformOf(channel: string): string {
  const colon = channel.indexOf(':');
  return colon === -1 ? channel : channel.slice(0, colon);
}

/** Delivery latency buckets, in seconds: from a second to an hour (rate limits and outages). */
const LATENCY_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];
const CYCLE_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

export function createServiceMetrics(options: { clock: Clock; outbox: Outbox }): ServiceMetrics {
  const { clock } = options;
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'wirewatch_' });

  const cycles = new Counter({ name: 'wirewatch_poll_cycles_total', help: 'Poll ticks, by outcome (ran, skipped: another replica holds the poll lease, failed)', labelNames: ['outcome'], registers });
  const cycleSeconds = new Histogram({ name: 'wirewatch_poll_cycle_duration_seconds', help: 'Wall time of a poll cycle this process ran', buckets: CYCLE_BUCKETS, registers });
  const lastCycle = new Gauge({ name: 'wirewatch_last_poll_timestamp_seconds', help: 'When the last poll cycle this process ran finished (Unix time)', registers });
  const fetches = new Counter({ name: 'wirewatch_feed_fetches_total', help: 'Feed fetches, by HTTP status (or "error" when no HTTP answer came)', labelNames: ['status'], registers });
  const notModified = new Counter({ name: 'wirewatch_feed_not_modified_total', help: 'Fetches answered 304 Not Modified', registers });
  const parseFailures = new Counter({ name: 'wirewatch_feed_parse_failures_total', help: 'Fetched bodies that could not be read as a feed (decode, parse or not a feed)', registers });
  const stories = new Counter({ name: 'wirewatch_stories_total', help: 'New stories read from feeds (after the first poll of a feed and deduplication)', registers });
  const matches = new Counter({ name: 'wirewatch_matches_total', help: 'New stories matched, by config-file watchlist id; every server\'s own watchlists as (chat-added)', labelNames: ['watchlist'], registers });
  const queued = new Counter({ name: 'wirewatch_alerts_queued_total', help: 'Alerts (and roll-ups) handed to the outbox, by platform', labelNames: ['platform'], registers });
  const delivered = new Counter({ name: 'wirewatch_alerts_delivered_total', help: 'Alerts sent, by platform', labelNames: ['platform'], registers });
  const failed = new Counter({ name: 'wirewatch_alerts_failed_total', help: 'Failed sends, by platform and kind (transient, rate_limited, permanent)', labelNames: ['platform', 'kind'], registers });
  const latency = new Histogram({ name: 'wirewatch_delivery_latency_seconds', help: 'From the story entering the outbox to the chat platform accepting it, by platform', labelNames: ['platform'], buckets: LATENCY_BUCKETS, registers });
  const inBackoff = new Gauge({ name: 'wirewatch_feeds_in_backoff', help: 'Feeds failing and waiting for their next try, after the last cycle this process ran', registers });
  new Gauge({
    name: 'wirewatch_outbox_entries',
    help: 'Outbox entries, by state (pending, claimed, dead)',
    labelNames: ['state'],
    registers,
    async collect() {
      const stats = await options.outbox.stats();
      this.set({ state: 'pending' }, stats.pending);
      this.set({ state: 'claimed' }, stats.claimed);
      this.set({ state: 'dead' }, stats.dead);
    },
  });
  for (const outcome of ['ran', 'skipped', 'failed']) cycles.inc({ outcome }, 0);
  for (const status of ['200', '304', 'error']) fetches.inc({ status }, 0);

  return {
    registry,
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    meteredFetcher: (inner) => ({
      close: () => inner.close(),
      fetch: async (request) => {
        try {
          const result = await inner.fetch(request);
          fetches.inc({ status: String(result.status) });
          if (result.kind === 'not-modified') notModified.inc();
          return result;
        } catch (error) {
          const status = asWirewatchError(error).details?.['status'];
          fetches.inc({ status: typeof status === 'number' ? String(status) : 'error' });
          throw error;
        }
      },
    }),
    meteredMatcher: (inner) => ({
      match: (input) => {
        const result = inner.match(input);
        // A server's own watchlists ("<tenant>/<id>") share one series: a label per server's
        // watchlist would grow with every server the bot joins.
        for (const id of result.watchlists) matches.inc({ watchlist: id.includes('/') ? CHAT_ADDED : id });
        return result;
      },
    }),
    meteredOutbox: (inner) => ({
      ...inner,
      enqueue: async (entries, now) => {
        const added = await inner.enqueue(entries, now);
        for (const entry of entries) queued.inc({ platform: platformOf(entry.channel) });
        return added;
      },
    }),
    meteredSink: (inner) => ({
      name: inner.name,
      deliver: async (alert) => {
        const platform = platformOf(alert.channel);
        let sent: Awaited<ReturnType<AlertSink['deliver']>>;
        try {
          sent = await inner.deliver(alert);
        } catch (error) {
          failed.inc({ platform, kind: error instanceof DeliveryError ? error.failure : 'transient' });
          throw error;
        }
        // An edit of an event's first alert delivers no story.
        if (!isEventEdit(alert)) delivered.inc({ platform }, isRollUp(alert) ? alert.stories.length : 1);
        return sent;
      },
    }),
    deliveryLatency: (channel, latencyMs) => latency.observe({ platform: platformOf(channel) }, Math.max(0, latencyMs) / 1000),
    cycleFinished: (outcome, report) => {
      cycles.inc({ outcome });
      if (!report) return;
      cycleSeconds.observe(report.durationMs / 1000);
      lastCycle.set(clock.now() / 1000);
      let fresh = 0;
      let unparseable = 0;
      let backingOff = 0;
      for (const feed of report.feeds) {
        // A feed's first poll only records what is already there: those are not new stories.
        if (feed.status !== 'baseline') fresh += feed.newStories;
        if (feed.error && PARSE_CODES.has(feed.error.code)) unparseable++;
        if (feed.status === 'backing-off' || feed.status === 'failed') backingOff++;
      }
      stories.inc(fresh);
      parseFailures.inc(unparseable);
      inBackoff.set(backingOff);
    },
  };
}

/** The `watchlist` label of every server's own watchlists. */
export const CHAT_ADDED = '(chat-added)';

const PARSE_CODES: ReadonlySet<string> = new Set(['feed_parse_error', 'feed_not_a_feed', 'feed_decode_error']);
