/**
 * The composition root: the one place that builds the real parts (store, fetcher, matcher,
 * sink) from the Config and hands them to the pipeline. Commands open a Runtime, use it,
 * and close it. A chat adapter (and its SDK) is loaded only when its token is set, and the
 * metrics (prom-client) only when asked for: a process loads what it runs.
 */
import type { Writable } from 'node:stream';
import type { Config } from '../config/index.js';
import type { Logger } from '../log.js';
import { systemClock, type Clock } from '../clock.js';
import { openStore, createRepositories, type KeyValueStore, type Repositories } from '../store/index.js';
import { createFeedFetcher, type FeedFetcher } from '../feeds/fetch/feed-fetcher.js';
import { compileWatchlists, type WatchlistMatcher } from '../watch/matcher.js';
import { createConsoleSink } from '../delivery/console-sink.js';
import { createRoutingSink, type AlertSink } from '../delivery/sink.js';
import type { PollContext } from '../pipeline/poll-feed.js';
import { createWatchlistSync, type WatchlistSync } from '../pipeline/watchlist-sync.js';
import { createCommandHandler, type CommandHandler } from '../commands/index.js';
import { checkFeedDestination, systemResolve } from '../feeds/fetch/address-guard.js';
import type { ChatPlatform } from '../chat/platform.js';
import { channelQueue, openOutbox, type Outbox } from '../outbox/index.js';
import { createDeliveryWorker, type DeliveryWorker } from '../delivery/worker.js';
import type { ServiceMetrics } from '../metrics/index.js';
import { openCoordination, type Coordination } from '../coordination/index.js';
import { createEventThreadRepository } from '../delivery/event-threads.js';
import { openStoryEvents, type ServiceEvents } from './story-events.js';

export interface Runtime {
  config: Readonly<Config>;
  logger: Logger;
  clock: Clock;
  store: KeyValueStore;
  repositories: Repositories;
  fetcher: FeedFetcher;
  matcher: WatchlistMatcher;
  /** Brings the matcher in step with the watchlists a cycle needs (chat commands change them). */
  watchlistSync: WatchlistSync;
  sink: AlertSink;
  pollContext: PollContext;
  /** The platform-neutral command core that chat adapters drive. */
  commands: CommandHandler;
  /** Alerts waiting to be sent, and the worker that sends them. */
  outbox: Outbox;
  delivery: DeliveryWorker;
  /** Leases and the repositories' lock: in Redis when replicas share it, in the process otherwise. */
  coordination: Coordination;
  /** The chat platforms configured (Discord when DISCORD_TOKEN is set); `run` starts them. */
  platforms: ChatPlatform[];
  /** Prometheus metrics (the service's /metrics); null unless asked for. */
  metrics: ServiceMetrics | null;
  /** Groups the stories that alert into events (one alert per event per channel). */
  events: ServiceEvents;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger: Logger;
  stdout: Writable;
  outputFormat: 'text' | 'json';
  /** Overrides STORE_URL (dry runs use memory:// so they touch nothing). */
  storeUrl?: string;
  /** Where alerts go; the console sink on `stdout` when omitted. */
  sink?: AlertSink;

  clock?: Clock;
  /** Count fetches, matches, queued and delivered alerts for /metrics (the service). */
  metrics?: boolean;
}

export async function openRuntime(config: Readonly<Config>, options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const { logger } = options;
  const storeUrl = options.storeUrl ?? config.store.url;
  const store = await openStore(storeUrl, { clock });
  const storedOutbox = await openOutbox(storeUrl);
  const metrics = options.metrics ? (await import('../metrics/index.js')).createServiceMetrics({ clock, outbox: storedOutbox }) : null;
  const outbox = metrics ? metrics.meteredOutbox(storedOutbox) : storedOutbox;
  const coordination = await openCoordination(storeUrl, { clock, lock: { logger } });
  const repositories = createRepositories(store, {
    seenTtlMs: config.poll.seenTtlMs,
    deliveryTtlMs: config.poll.deliveryTtlMs,
    // Outlives the longest backoff, so a feed that waits out a failure keeps its failure count.
    feedStateTtlMs: Math.max(config.poll.seenTtlMs, 2 * config.fetch.backoffMaxMs),
    lock: coordination.lock,
  });
  const rawFetcher = createFeedFetcher({
    userAgent: config.fetch.userAgent,
    timeoutMs: config.fetch.timeoutMs,
    connectTimeoutMs: config.fetch.connectTimeoutMs,
    maxBytes: config.fetch.maxBytes,
    maxRedirects: config.fetch.maxRedirects,
    allowPrivate: config.fetch.allowPrivate,
    globalConcurrency: config.fetch.concurrency,
    perHostConcurrency: config.fetch.perHostConcurrency,
    clock,
  });
  const fetcher = metrics ? metrics.meteredFetcher(rawFetcher) : rawFetcher;
  const matcher = compileWatchlists(config.watchlists, config.entities);
  const events = openStoryEvents(config, store);
  const commands = createCommandHandler({
    repositories,
    shipped: { feeds: config.feeds, watchlists: config.watchlists, entities: config.entities },
    checkFeedUrl: (raw) => checkFeedDestination(raw, { resolve: systemResolve, allowPrivate: config.fetch.allowPrivate }),
    clock,
    logger,
    lastCycle: () => repositories.cycles.last(),
    queueOf: (channel) => channelQueue(outbox, channel),
  });
  const platforms: ChatPlatform[] = [];
  if (config.discord) {
    const { createDiscordPlatform } = await import('../chat/discord/index.js');
    platforms.push(createDiscordPlatform(config.discord, { commands, logger, clock }));
  }
  if (config.slack) {
    const { createSlackPlatform, createSlackSink, createSlackWebClient } = await import('../chat/slack/index.js');
    const client = createSlackWebClient({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger });
    platforms.push(createSlackPlatform(config.slack, { commands, logger, clock, sink: createSlackSink({ client, logger, clock }) }));
  }
  const consoleSink = createConsoleSink({ out: options.stdout, format: options.outputFormat });
  const routed = options.sink ?? createRoutingSink([{ prefix: 'console', sink: consoleSink }, ...platforms]);
  const sink = metrics ? metrics.meteredSink(routed) : routed;
  const pollContext: PollContext = {
    fetcher,
    repositories,
    matcher: metrics ? metrics.meteredMatcher(matcher) : matcher,
    watchlistNames: new Map(config.watchlists.map((w) => [w.id, w.name])),
    sink,
    outbox,
    clock,
    logger,
    policy: {
      baseMs: config.fetch.backoffBaseMs,
      maxMs: config.fetch.backoffMaxMs,
      failingAfter: config.fetch.failingAfter,
    },
    maxItemAgeMs: config.poll.maxItemAgeMs,
    maxBytes: config.fetch.maxBytes,
    fetchConcurrency: config.fetch.concurrency,
    fetchPerHostConcurrency: config.fetch.perHostConcurrency,
    burstLimit: config.delivery.burstLimit,
    events,
  };
  const runtime: Runtime = {
    config,
    logger,
    clock,
    store,
    repositories,
    fetcher,
    matcher,
    watchlistSync: createWatchlistSync(matcher, config.watchlists),
    sink,
    pollContext,
    metrics,
    events,
    commands,
    platforms,
    outbox,
    coordination,
    delivery: createDeliveryWorker({
      outbox,
      sink,
      repositories,
      clock,
      logger,
      policy: config.delivery,
      leaseMs: config.delivery.claimTtlMs,
      // A channel's thread of an event outlives the window by a day: a story of the event that
      // arrives late (its feed was down) still finds the first alert.
      threads: createEventThreadRepository(store, { ttlMs: config.events.windowMs + 24 * 3_600_000 }),
      ...(metrics ? { onDelivered: (channel: string, latencyMs: number) => metrics.deliveryLatency(channel, latencyMs) } : {}),
    }),
    close: async () => {
      await fetcher.close();
      await outbox.close();
      await coordination.close();
      await store.close();
    },
  };
  return runtime;
}

/** With no chat adapter configured, the console follows every configured feed and watchlist. */
export function consoleSubscription(config: Readonly<Config>) {
  return { channel: 'console', feeds: '*' as const, watchlists: config.watchlists.map((w) => w.id) };
}
