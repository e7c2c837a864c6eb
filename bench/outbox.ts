/**
 * The outbox's own cost: alerts go through a backend and the real delivery worker to an in-process
 * sink that records each alert and returns at once, so what is measured is the queue (enqueue,
 * claim, complete), the worker's per-alert delivery check and record in the store, and nothing of
 * a chat API. Two figures per backend:
 *   - throughput: N alerts over C channels enqueued in batches of 100 (as a poll queues them),
 *     then `deliverDue()` until the outbox is empty;
 *   - latency: one alert at a time, enqueue → the sink is called, against calling the same sink
 *     directly in the same process (the ratio).
 * SQLite is a file in a temporary folder; Redis is a throwaway redis-server on a free loopback
 * port, started by the same helper as the test setup, or skipped with the reason when there is none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../src/alerts/alert.js';
import { systemClock } from '../src/clock.js';
import type { AlertSink } from '../src/delivery/sink.js';
import { createDeliveryWorker } from '../src/delivery/worker.js';
import { silentLogger } from '../src/log.js';
import { openOutbox, openRedisOutbox, type NewOutboxEntry, type Outbox } from '../src/outbox/index.js';
import { createRepositories, openStore, type KeyValueStore } from '../src/store/index.js';
import { startThrowawayRedis } from '../test/helpers/throwaway-redis.js';

const DAY = 86_400_000;
export const THROUGHPUT_ALERTS = 5000;
export const CHANNELS = 20;
export const LATENCY_ALERTS = 500;

export interface OutboxRow {
  backend: string;
  enqueuePerS: number;
  deliverPerS: number;
  endToEndPerS: number;
  latencyMedianMs: number;
  latencyP99Ms: number;
  directMedianMs: number;
}

interface Backend {
  name: string;
  open(): Promise<{ outbox: Outbox; store: KeyValueStore }>;
  close(): Promise<void>;
}

function alert(run: string, i: number): Alert {
  const id = `${run}${String(i).padStart(7, '0')}`;
  return {
    channel: `discord:123456789012345678:${String(234567890123456000 + (i % CHANNELS))}`,
    story: {
      id,
      feedId: 'bench',
      identity: { kind: 'guid', key: id },
      earlierIds: [],
      title: `Story ${i}: a cartel figure was extradited to the United States on Friday`,
      link: `https://example.org/news/${id}`,
      summary: 'Officials confirmed the extradition on Friday. He faces charges in a federal court in Brooklyn.',
      published: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString(),
      publishedFrom: 'feed',
      language: 'en',
      categories: [],
      imageUrl: null,
      source: 'Bench Wire',
    },
    watchlists: [{ id: 'extradition', name: 'Extraditions' }],
    matches: [{ watchlist: 'extradition', term: 'extradited', field: 'title', start: 30, end: 40, clause: 'extradited', entity: null, role: 'term' }],
    summary: 'Officials confirmed the extradition on Friday.',
    summaryHighlights: [],
  };
}

const entryOf = (a: Alert, now: number): NewOutboxEntry => ({ channel: a.channel, storyId: a.story.id, order: Date.parse(a.story.published), payload: a, dueAt: now });

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function measure(backend: Backend): Promise<OutboxRow> {
  const { outbox, store } = await backend.open();
  const repositories = createRepositories(store, { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
  let onDeliver: (a: Alert) => void = () => undefined;
  let delivered = 0;
  const sink: AlertSink = {
    name: 'record',
    deliver: (a) => {
      delivered++;
      onDeliver(a as Alert);
      return Promise.resolve();
    },
  };
  const worker = createDeliveryWorker({
    outbox,
    sink,
    repositories,
    clock: systemClock,
    logger: silentLogger(),
    policy: { maxAttempts: 5, baseBackoffMs: 1000, maxBackoffMs: 60_000 },
  });
  try {
    // Warm-up: JIT and the backends' first statements.
    for (let i = 0; i < 200; i++) await outbox.enqueue([entryOf(alert('w', i), Date.now())], Date.now());
    while ((await worker.deliverDue()).claimed > 0);

    const alerts = Array.from({ length: THROUGHPUT_ALERTS }, (_, i) => alert('t', i));
    delivered = 0;
    const start = performance.now();
    for (let i = 0; i < alerts.length; i += 100) await outbox.enqueue(alerts.slice(i, i + 100).map((a) => entryOf(a, Date.now())), Date.now());
    const enqueued = performance.now();
    while ((await worker.deliverDue()).claimed > 0);
    const drained = performance.now();
    if (delivered !== THROUGHPUT_ALERTS) throw new Error(`${backend.name}: ${delivered} of ${THROUGHPUT_ALERTS} delivered`);

    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_ALERTS; i++) {
      const a = alert('l', i);
      let at = 0;
      onDeliver = () => (at = performance.now());
      const t0 = performance.now();
      await outbox.enqueue([entryOf(a, Date.now())], Date.now());
      await worker.deliverDue();
      latencies.push(at - t0);
    }
    const direct: number[] = [];
    for (let i = 0; i < LATENCY_ALERTS; i++) {
      let at = 0;
      onDeliver = () => (at = performance.now());
      const t0 = performance.now();
      await sink.deliver(alert('d', i));
      direct.push(at - t0);
    }
    latencies.sort((x, y) => x - y);
    direct.sort((x, y) => x - y);
    if ((await outbox.stats()).pending !== 0) throw new Error(`${backend.name}: alerts left in the outbox`);
    return {
      backend: backend.name,
      enqueuePerS: (THROUGHPUT_ALERTS / (enqueued - start)) * 1000,
      deliverPerS: (THROUGHPUT_ALERTS / (drained - enqueued)) * 1000,
      endToEndPerS: (THROUGHPUT_ALERTS / (drained - start)) * 1000,
      latencyMedianMs: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      directMedianMs: percentile(direct, 50),
    };
  } finally {
    await outbox.close();
    await store.close();
    await backend.close();
  }
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-bench-outbox-'));
  const url = `sqlite://${join(dir, 'store.sqlite')}`;
  return {
    name: 'SQLite file',
    open: async () => ({ outbox: await openOutbox(url), store: await openStore(url) }),
    close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

function memoryBackend(): Backend {
  return {
    name: 'memory (reference)',
    open: async () => ({ outbox: await openOutbox('memory://'), store: await openStore('memory://') }),
    close: () => Promise.resolve(),
  };
}

/** A throwaway redis-server on loopback, or the reason there is none. */
async function redisBackend(): Promise<Backend | string> {
  const redis = await startThrowawayRedis();
  if ('skip' in redis) return redis.skip;
  return {
    name: `Redis ${redis.version} (loopback)`,
    open: async () => ({ outbox: await openRedisOutbox(redis.url), store: await openStore(redis.url) }),
    close: () => Promise.resolve(redis.stop()),
  };
}

export async function benchOutbox(): Promise<{ rows: OutboxRow[]; skipped: string[] }> {
  const rows: OutboxRow[] = [];
  const skipped: string[] = [];
  rows.push(await measure(memoryBackend()));
  rows.push(await measure(sqliteBackend()));
  const redis = await redisBackend();
  if (typeof redis === 'string') skipped.push(`Redis skipped: ${redis}`);
  else rows.push(await measure(redis));
  return { rows, skipped };
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => (x < 0.1 ? `${(x * 1000).toFixed(1)} µs` : `${x.toFixed(2)} ms`);

export function formatOutboxRows(rows: readonly OutboxRow[]): string {
  const lines = [
    '| backend | enqueue alerts/s | deliveries/s | end to end alerts/s | enqueue → delivered, median | p99 | sink called directly, median | ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.backend} | ${n(r.enqueuePerS)} | ${n(r.deliverPerS)} | ${n(r.endToEndPerS)} | ${ms(r.latencyMedianMs)} | ${ms(r.latencyP99Ms)} | ${ms(r.directMedianMs)} | ${n(r.latencyMedianMs / r.directMedianMs)}× |`,
    );
  }
  return lines.join('\n');
}
