/**
 * Real parts for the delivery worker tests: a SQLite file holding both the store and the outbox,
 * the real Discord REST client and Slack WebClient talking to the loopback fakes, and a manual
 * clock the test moves. `run` drives the worker the way the service's loop does, moving the clock
 * to the next due time whenever nothing is due, and notes the (manual) time each round ran at.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../../src/alerts/alert.js';
import { createDiscordRest } from '../../src/chat/discord/rest.js';
import { createDiscordSink } from '../../src/chat/discord/sink.js';
import { createSlackSink } from '../../src/chat/slack/sink.js';
import { createSlackWebClient } from '../../src/chat/slack/web-client.js';
import { manualClock } from '../../src/clock.js';
import type { DeliveryPolicy, DeliveryRound, DeliveryWorker } from '../../src/delivery/worker.js';
import { createEventThreadRepository } from '../../src/delivery/event-threads.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import type { AlertSink } from '../../src/delivery/sink.js';
import { silentLogger } from '../../src/log.js';
import { openOutbox, type Outbox } from '../../src/outbox/index.js';
import { createRepositories, openStore, type KeyValueStore, type Repositories } from '../../src/store/index.js';
import { testStory } from '../helpers/stories.js';

export const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
export const DAY = 24 * 3_600_000;

export const DISCORD_GUILD = '123456789012345678';
export const SLACK_TEAM = 'T0TEST001';
export const discordKey = (channelId: string) => `discord:${DISCORD_GUILD}:${channelId}`;
export const slackKey = (channelId: string) => `slack:${SLACK_TEAM}:${channelId}`;

export const POLICY: DeliveryPolicy = { maxAttempts: 4, baseBackoffMs: 10_000, maxBackoffMs: 300_000 };

/** The n-th alert for a channel; its story is published n minutes after T0, so `order` follows n. */
export function alertFor(channel: string, n: number): Alert {
  const id = `${channel.replace(/\W/g, '').slice(-8)}s${String(n).padStart(3, '0')}`;
  return {
    channel,
    story: testStory({
      id,
      identity: { kind: 'guid', key: `g-${id}` },
      title: `Story ${n} for ${channel}`,
      link: `https://example.org/${id}`,
      published: new Date(T0 + n * 60_000).toISOString(),
    }),
    watchlists: [{ id: 'cartel_leaders', name: 'Cartel leaders' }],
    matches: [],
    summary: `Summary of story ${n}.`,
    summaryHighlights: [],
  };
}

export interface RunOptions {
  maxRounds?: number;
  /** Called when nothing is due, before the clock moves on (change the fake's behaviour here). */
  onIdle?: () => Promise<void> | void;
  /** Called after every round with the manual time it ran at. */
  afterRound?: (at: number) => void;
}

export interface Rig {
  clock: ReturnType<typeof manualClock>;
  store: KeyValueStore;
  outbox: Outbox;
  repositories: Repositories;
  worker: DeliveryWorker;
  /** Manual time of every round that claimed something, with its counts. */
  rounds: { at: number; round: DeliveryRound }[];
  subscribe(channel: string): Promise<void>;
  enqueue(alerts: readonly Alert[]): Promise<void>;
  /** Runs rounds until nothing is left pending (or `maxRounds`), advancing the clock to each next due time. */
  run(options?: RunOptions): Promise<void>;
  close(): Promise<void>;
}

/** `threads`: the worker threads an event's alerts (an event thread record per channel in the rig's store). */
export async function openRig(sink: AlertSink, options: { policy?: DeliveryPolicy; batchSize?: number; threads?: boolean } = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-worker-'));
  const url = `sqlite://${join(dir, 'store.sqlite')}`;
  const clock = manualClock(T0);
  const store = await openStore(url);
  const outbox = await openOutbox(url);
  const repositories = createRepositories(store, { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
  const worker = createDeliveryWorker({
    outbox,
    sink,
    repositories,
    clock,
    logger: silentLogger(),
    policy: options.policy ?? POLICY,
    leaseMs: 60_000,
    random: () => 0.5,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.threads ? { threads: createEventThreadRepository(store, { ttlMs: DAY }) } : {}),
  });
  const rounds: Rig['rounds'] = [];
  return {
    clock,
    store,
    outbox,
    repositories,
    worker,
    rounds,
    subscribe: (channel) => repositories.subscriptions.put({ channel, feeds: '*', watchlists: ['cartel_leaders'], createdAt: T0, updatedAt: T0 }),
    enqueue: async (alerts) => {
      await outbox.enqueue(
        alerts.map((alert) => ({ channel: alert.channel, storyId: alert.story.id, order: Date.parse(alert.story.published ?? ''), payload: alert, dueAt: clock.now() })),
        clock.now(),
      );
    },
    run: async ({ maxRounds = 200, onIdle, afterRound } = {}) => {
      for (let i = 0; i < maxRounds; i++) {
        const at = clock.now();
        const round = await worker.deliverDue();
        afterRound?.(at);
        if (round.claimed > 0) {
          rounds.push({ at, round });
          continue;
        }
        const { oldestDueAt } = await outbox.stats();
        if (oldestDueAt === null) return;
        await onIdle?.();
        clock.set(Math.max(clock.now(), oldestDueAt));
      }
      throw new Error(`still pending after ${maxRounds} rounds`);
    },
    close: async () => {
      await outbox.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The real REST client against the fake: no client-side retries, a short timeout, no waiting out rate limits. */
export function discordSink(apiUrl: string, options: { timeoutMs?: number; retries?: number } = {}): AlertSink {
  const rest = createDiscordRest({ token: 'fake', apiUrl, timeoutMs: options.timeoutMs ?? 2000, retries: options.retries ?? 0, maxRateLimitWaitMs: 0 });
  return createDiscordSink({ rest, logger: silentLogger() });
}

/** The real WebClient against the fake: no client-side retries, a short timeout, no pacing sleeps. */
export function slackSink(apiUrl: string, options: { timeoutMs?: number; retries?: number } = {}): AlertSink {
  const client = createSlackWebClient({ token: 'xoxb-test', apiUrl, timeoutMs: options.timeoutMs ?? 2000, retries: options.retries ?? 0, retryMinTimeoutMs: 10 });
  return createSlackSink({ client, logger: silentLogger(), channelIntervalMs: 0 });
}

/** The story number in a message the fake received (titles are "Story N for …"). */
export function storyNumbers(texts: readonly string[]): number[] {
  return texts.map((text) => Number(/Story (\d+) for/.exec(text)?.[1] ?? NaN));
}
