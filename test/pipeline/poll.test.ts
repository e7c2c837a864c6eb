/**
 * The poll pipeline end to end with real parts: feeds served by a loopback HTTP server, the real
 * fetcher, a real SQLite file or Redis server, the console sink writing to a captured stream.
 * Assertions are on what a person would see (printed alerts) and on the rows in the store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/index.js';
import { manualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { openRuntime, consoleSubscription, type Runtime } from '../../src/app/runtime.js';
import { buildTargets, runPollCycle, type CycleReport } from '../../src/pipeline/poll-cycle.js';
import type { AlertSink } from '../../src/delivery/sink.js';
import { createConsoleSink } from '../../src/delivery/console-sink.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { storyId } from '../../src/feeds/identity.js';
import { dedupeKeys } from '../../src/alerts/alert.js';
import { isRollUp, type OutboxPayload, type RollUp } from '../../src/alerts/rollup.js';
import { rollUpOf } from '../helpers/rollups.js';
import { WirewatchError } from '../../src/errors.js';

const packageRoot = resolve(import.meta.dirname, '../..');
const redisUrl = inject('redisUrl');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 28, 12);

const WATCHLISTS = `
watchlists:
  - id: extradition
    name: Extraditions
    terms: [extradited, extradition]
  - id: tariffs
    name: Tariffs
    terms: [tariffs on Mexico]
`;

let server: LoopbackServer;
let dir: string;
beforeEach(async () => {
  server = await startLoopbackServer();
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-poll-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function serveFeed(path: string, items: () => TestItem[], headers: Record<string, string> = {}): void {
  server.route(path, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', ...headers }).end(rss(items()));
  });
}

function configWith(feeds: string[], env: Record<string, string> = {}): Readonly<Config> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  const url = (p: string) => (p.startsWith('http') ? p : server.url(p));
  writeFileSync(path, `feeds:\n${feeds.map((p, i) => `  - id: feed${i}\n    url: ${url(p)}\n`).join('')}${WATCHLISTS}`);
  return loadConfig({ env: { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`, ...env }, packageRoot, configFile: path });
}

interface Harness {
  runtime: Runtime;
  output: () => string;
  poll(options?: { dryRun?: boolean }): Promise<CycleReport>;
  close(): Promise<void>;
}

async function harness(config: Readonly<Config>, clock: ReturnType<typeof manualClock>, sink?: AlertSink): Promise<Harness> {
  const stdout = new PassThrough();
  let printed = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  // Every channel prints on the captured stream: these tests are about the pipeline, not routing.
  const runtime = await openRuntime(config, { logger: silentLogger(), stdout, outputFormat: 'json', clock, sink: sink ?? createConsoleSink({ out: stdout, format: 'json' }) });
  return {
    runtime,
    output: () => printed,
    poll: async (options = {}) => {
      const report = await runPollCycle(buildTargets(config.feeds, [consoleSubscription(config)]), runtime.pollContext, {
        dryRun: options.dryRun ?? false,
        ignoreBackoff: false,
      });
      await drain(runtime);
      return report;
    },
    close: () => runtime.close(),
  };
}

/** Sends every due queued alert, as the service's delivery loop does after a poll. */
async function drain(runtime: Runtime): Promise<void> {
  while ((await runtime.delivery.deliverDue()).claimed > 0);
}

const alertsIn = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { story: { title: string }; watchlists: string[]; matches: { term: string; field: string }[]; summary: string });

describe('first poll, new items, max age', () => {
  it('records what is there without alerting, then alerts once on each new matching story', async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [
      { guid: 'old-1', title: 'Mexico extradited a cartel boss last year', published: T0 - HOUR },
      { guid: 'old-2', title: 'Weather in Oaxaca', published: T0 - HOUR },
    ];
    serveFeed('/feed.xml', () => items);
    const h = await harness(configWith(['/feed.xml']), clock);

    const first = await h.poll();
    expect(first.feeds[0]).toMatchObject({ status: 'baseline', stories: 2, alerts: 0 });
    expect(h.output()).toBe('');
    const seen = await h.runtime.repositories.seen.get('feed0');
    expect(seen?.items.size).toBe(2);

    clock.advance(5 * 60_000);
    items.push(
      { guid: 'new-1', title: 'Cartel figure extradited to the US', description: 'He was extradited on Friday. Officials confirmed it.', published: clock.now() - 60_000 },
      { guid: 'new-2', title: 'Football results', published: clock.now() - 60_000 },
      { guid: 'new-3', title: 'An old extradition story only now in the feed', published: clock.now() - 3 * DAY },
    );
    const second = await h.poll();
    expect(second.feeds[0]).toMatchObject({ status: 'polled', stories: 5, newStories: 3, alerts: 1 });
    const alerts = alertsIn(h.output());
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      story: { title: 'Cartel figure extradited to the US' },
      watchlists: ['extradition'],
      summary: 'He was extradited on Friday. Officials confirmed it.',
    });
    expect(alerts[0]!.matches).toEqual(expect.arrayContaining([{ watchlist: 'extradition', term: 'extradited', field: 'title' }]));

    clock.advance(5 * 60_000);
    items.push({ guid: 'new-4', title: 'Unrelated', published: clock.now() });
    const third = await h.poll();
    expect(third.feeds[0]).toMatchObject({ status: 'polled', newStories: 1, alerts: 0 });
    expect(alertsIn(h.output())).toHaveLength(1);
    await h.close();
  });

  it('dry run shows every current matching item within the max age and records nothing', async () => {
    const clock = manualClock(T0);
    serveFeed('/feed.xml', () => [
      { guid: 'a', title: 'Suspect extradited', published: T0 - HOUR },
      { guid: 'b', title: 'Extradition from years ago', published: T0 - 10 * DAY },
      { guid: 'c', title: 'Unrelated', published: T0 - HOUR },
    ]);
    const config = configWith(['/feed.xml']);
    const h = await harness(config, clock);
    const report = await h.poll({ dryRun: true });
    expect(report.feeds[0]).toMatchObject({ status: 'polled', alerts: 1 });
    expect(alertsIn(h.output()).map((a) => a.story.title)).toEqual(['Suspect extradited']);
    expect(await h.runtime.repositories.seen.get('feed0')).toBeUndefined();
    expect((await h.runtime.repositories.feedStates.get(config.feeds[0]!.url)).lastAttemptAt).toBeNull();
    await h.close();
  });
});

describe.each([
  ['a SQLite file', (d: string) => `sqlite://${join(d, 'restart.sqlite')}`, false],
  ['Redis', () => redisUrl ?? '', !redisUrl],
] as const)('dedupe across a restart on %s', (_name, storeUrl, skip) => {
  it.skipIf(skip)('never alerts twice for the same story after the process restarts', async () => {
    const clock = manualClock(T0);
    const path = `/restart-${Math.random().toString(36).slice(2)}.xml`;
    const items: TestItem[] = [{ guid: 'x0', title: 'Baseline item', published: T0 - HOUR }];
    serveFeed(path, () => items);
    const config = configWith([path], { STORE_URL: storeUrl(dir) });

    const first = await harness(config, clock);
    await first.poll(); // baseline
    clock.advance(60_000);
    items.push({ guid: 'x1', title: 'Capo extradited to Texas', published: clock.now() });
    await first.poll();
    expect(alertsIn(first.output())).toHaveLength(1);
    await first.close();

    const second = await harness(config, clock);
    clock.advance(60_000);
    items.push({ guid: 'x2', title: 'Another extradition today', published: clock.now() });
    const report = await second.poll();
    expect(report.feeds[0]).toMatchObject({ status: 'polled', newStories: 1, alerts: 1 });
    expect(alertsIn(second.output()).map((a) => a.story.title)).toEqual(['Another extradition today']);
    await second.close();
  });
});

describe('story identity across polls', () => {
  it('never re-alerts a delivered story when a later item repeats its guid', async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [{ guid: 'base', title: 'Baseline', published: T0 }];
    serveFeed('/feed.xml', () => items);
    const h = await harness(configWith(['/feed.xml']), clock);
    await h.poll();
    clock.advance(60_000);
    items.push({ guid: 'shared-guid', title: 'Capo extradited to Texas', published: clock.now() });
    expect((await h.poll()).feeds[0]).toMatchObject({ alerts: 1 });
    clock.advance(60_000);
    // The publisher reuses the guid for another item; the first one is still in the feed.
    items.unshift({ guid: 'shared-guid', title: 'Extradition hearing for a second suspect', published: clock.now() });
    items.push({ guid: 'other', title: 'Another extradition today', published: clock.now() });
    const third = await h.poll();
    expect(alertsIn(h.output()).map((a) => a.story.title)).toEqual(['Capo extradited to Texas', 'Another extradition today']);
    expect(third.feeds[0]).toMatchObject({ alerts: 1 });
    await h.close();
  });

  it('tells apart items that share a guid but not a link, and keeps them apart across polls', async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [{ guid: 'same', link: 'https://outlet.example/a', title: 'Baseline', published: T0 }];
    serveFeed('/feed.xml', () => items);
    const h = await harness(configWith(['/feed.xml']), clock);
    await h.poll();
    clock.advance(60_000);
    items.push({ guid: 'same', link: 'https://outlet.example/b', title: 'Suspect extradited', published: clock.now() });
    await h.poll();
    clock.advance(60_000);
    items.push({ guid: 'same', link: 'https://outlet.example/c', title: 'Second suspect extradited', published: clock.now() });
    await h.poll();
    await h.poll();
    expect(alertsIn(h.output()).map((a) => a.story.title)).toEqual(['Suspect extradited', 'Second suspect extradited']);
    await h.close();
  });

  // Two ways earlier versions stored what a feed had listed: each is read without re-alerting.
  it.each([
    [
      'a story keyed by its guid alone',
      (h: Harness, legacyId: string) =>
        h.runtime.repositories.seen.put('feed0', { baselineAt: T0 - DAY, items: new Map([[legacyId, [legacyId, T0 - HOUR, T0 - HOUR]]]) }, T0),
    ],
    [
      'the record stored before it was a list of entries (stories an object keyed by id)',
      (h: Harness, legacyId: string) => h.runtime.store.set('seen:feed0', { baselineAt: T0 - DAY, items: { [legacyId]: [T0 - HOUR, T0 - HOUR] } }),
    ],
  ])('reads a seen-record as earlier versions wrote it, without re-alerting: %s', async (_label, writeRecord) => {
    const clock = manualClock(T0);
    const items: TestItem[] = [{ guid: 'g1', link: 'https://outlet.example/1', title: 'Capo extradited', published: T0 }];
    serveFeed('/feed.xml', () => items);
    const config = configWith(['/feed.xml']);
    const h = await harness(config, clock);
    await writeRecord(h, storyId('feed0', { kind: 'guid', key: 'g1' }));
    await h.runtime.repositories.feedStates.put({ ...(await h.runtime.repositories.feedStates.get(config.feeds[0]!.url)), lastSuccessAt: T0 - HOUR });
    const report = await h.poll();
    expect(report.feeds[0]).toMatchObject({ status: 'polled', newStories: 0, alerts: 0 });
    expect(h.output()).toBe('');
    // Written back as entries: the story under its current id, first seen when the old record said.
    const stored = await h.runtime.store.get<{ items: object; entries: unknown[][] }>('seen:feed0');
    expect(stored?.items).toEqual({});
    expect(stored?.entries).toContainEqual([expect.any(String), T0 - HOUR, T0, expect.stringMatching(/^[A-Za-z0-9_-]{12}$/)]);
    await h.close();
  });

  it('knows an item read before by its text: the record keeps a key per item; an item edited under the same guid is read again, not alerted again', async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [
      { guid: 'a', title: 'Capo extradited to Texas', published: T0 - HOUR },
      { guid: 'b', title: 'Weather in Oaxaca', published: T0 - HOUR },
    ];
    serveFeed('/feed.xml', () => items);
    const h = await harness(configWith(['/feed.xml']), clock);
    await h.poll();
    const keysOf = async () => [...(await h.runtime.repositories.seen.get('feed0'))!.items.values()].map((entry) => entry[3]);
    const firstKeys = await keysOf();
    expect(firstKeys).toHaveLength(2);
    for (const key of firstKeys) expect(key).toMatch(/^[A-Za-z0-9_-]{12}$/);

    clock.advance(60_000);
    items[0] = { ...items[0]!, title: 'Capo extradited to Texas, a judge says (updated)' };
    items.unshift({ guid: 'c', title: 'Second suspect extradited', published: clock.now() });
    const second = await h.poll();
    expect(second.feeds[0]).toMatchObject({ status: 'polled', stories: 3, newStories: 1, alerts: 1 });
    expect(alertsIn(h.output()).map((a) => a.story.title)).toEqual(['Second suspect extradited']);
    // The edited item has a new key, the unchanged one keeps its own, the new item has one.
    const secondKeys = await keysOf();
    expect(secondKeys).toHaveLength(3);
    expect(secondKeys).toContain(firstKeys[1]);
    expect(secondKeys).not.toContain(firstKeys[0]);

    clock.advance(60_000);
    items.push({ guid: 'd', title: 'Another extradition today', published: clock.now() });
    expect((await h.poll()).feeds[0]).toMatchObject({ stories: 4, newStories: 1, alerts: 1 });
    expect(alertsIn(h.output()).map((a) => a.story.title)).toEqual(['Second suspect extradited', 'Another extradition today']);
    await h.close();
  });
  it('counts an item listed twice once, whether it was parsed or known by its text', async () => {
    const clock = manualClock(T0);
    const twice: TestItem = { guid: 'a', title: 'Listed twice', published: T0 - HOUR };
    const items: TestItem[] = [twice, { guid: 'b', title: 'Weather in Oaxaca', published: T0 - HOUR }, twice];
    serveFeed('/feed.xml', () => items);
    const h = await harness(configWith(['/feed.xml']), clock);
    expect((await h.poll()).feeds[0]).toMatchObject({ status: 'baseline', stories: 2 });
    clock.advance(60_000);
    items.unshift({ guid: 'c', title: 'Suspect extradited', published: clock.now() });
    expect((await h.poll()).feeds[0]).toMatchObject({ status: 'polled', stories: 3, newStories: 1, alerts: 1 });
    await h.close();
  });
});

describe('shared feeds', () => {
  it('fetches a URL once per cycle however many channels follow it, and alerts each channel once', async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [{ guid: 'a', title: 'Baseline', published: T0 }];
    serveFeed('/shared.xml', () => items);
    const config = configWith(['/shared.xml']);
    const h = await harness(config, clock);
    const subscriptions = [
      { channel: 'discord:1:10', feeds: '*' as const, watchlists: ['extradition'] },
      { channel: 'slack:T1:C1', feeds: ['feed0'], watchlists: ['extradition', 'tariffs'] },
      { channel: 'slack:T1:C2', feeds: ['feed0'], watchlists: ['tariffs'] },
    ];
    const poll = async () => {
      const report = await runPollCycle(buildTargets(config.feeds, subscriptions), h.runtime.pollContext, { dryRun: false, ignoreBackoff: false });
      await drain(h.runtime);
      return report;
    };
    await poll();
    clock.advance(60_000);
    items.push({ guid: 'b', title: 'Extradition hearing set', published: clock.now() });
    const before = server.requests.length;
    const report = await poll();
    expect(server.requests.length - before).toBe(1);
    expect(report.feeds[0]?.alerts).toBe(2);
    const channels = alertsIn(h.output()).map((a) => (a as unknown as { channel: string }).channel);
    expect(channels.sort()).toEqual(['discord:1:10', 'slack:T1:C1']);
    await h.close();
  });
});

describe('feeds of one host', () => {
  it('wait for their host without holding the cycle: a feed of another host is fetched while they are held', async () => {
    // Two fetch slots, so four feeds in flight, one per host slot: the held host's other four
    // feeds wait outside the cycle's limit (inside it they would fill it), and the other host's
    // feed is fetched meanwhile.
    const other = await startLoopbackServer('127.0.0.2');
    const held: Array<() => void> = [];
    try {
      for (const n of [1, 2, 3, 4, 5]) {
        server.route(`/slow${n}.xml`, (_req, res) => {
          held.push(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ guid: `s${n}`, title: 'Weather' }])));
        });
      }
      other.route('/fast.xml', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ guid: 'f', title: 'Weather' }]));
      });
      const config = configWith([1, 2, 3, 4, 5].map((n) => `/slow${n}.xml`).concat(other.url('/fast.xml')), { FETCH_CONCURRENCY: '2', FETCH_PER_HOST_CONCURRENCY: '1' });
      const h = await harness(config, manualClock(T0));
      try {
        const cycle = h.poll();
        await expect.poll(() => other.requests.length).toBe(1);
        expect(server.requests.map((request) => request.path)).toEqual(['/slow1.xml']);
        for (let released = 0; released < 5; released++) {
          await expect.poll(() => held.length).toBe(1);
          held.shift()!();
        }
        const report = await cycle;
        expect(report.feeds.map((feed) => feed.status)).toEqual(Array(6).fill('baseline'));
        expect(server.requests).toHaveLength(5);
      } finally {
        await h.close();
      }
    } finally {
      await other.close();
    }
  });
});

describe('conditional GET and unchanged bodies', () => {
  it('sends validators, and a 304 costs no parse and changes nothing', async () => {
    const clock = manualClock(T0);
    server.route('/etag.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { etag: '"v1"', 'content-type': 'application/rss+xml' }).end(rss([{ guid: 'a', title: 'A', published: T0 }]));
    });
    const config = configWith(['/etag.xml']);
    const h = await harness(config, clock);
    await h.poll();
    const report = await h.poll();
    expect(report.feeds[0]?.status).toBe('not-modified');
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
    await h.close();
  });

  it('skips parsing a body identical to the last one even without validators', async () => {
    const clock = manualClock(T0);
    serveFeed('/same.xml', () => [{ guid: 'a', title: 'A', published: T0 }]);
    const h = await harness(configWith(['/same.xml']), clock);
    await h.poll();
    expect((await h.poll()).feeds[0]?.status).toBe('unchanged');
    await h.close();
  });
});

describe('failing feeds', () => {
  it('backs off, honours Retry-After, marks the feed failing after N errors, and never holds up the others', async () => {
    const clock = manualClock(T0);
    let broken = true;
    server.route('/down.xml', (_req, res) => {
      if (broken) res.writeHead(503, { 'retry-after': '3600' }).end('maintenance');
      else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ guid: 'a', title: 'A', published: T0 }]));
    });
    const good: TestItem[] = [{ guid: 'g0', title: 'Good feed item', published: T0 }];
    serveFeed('/good.xml', () => good);
    server.route('/page.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body><p>Not a feed</p></body></html>');
    });
    const config = configWith(['/down.xml', '/good.xml', '/page.html'], { FEED_FAILING_AFTER: '2', FEED_BACKOFF_BASE: '5m' });
    const h = await harness(config, clock);

    const first = await h.poll();
    expect(first.feeds.map((f) => [f.feedId, f.status, f.error?.code ?? null])).toEqual([
      ['feed0', 'failed', 'feed_http_status'],
      ['feed1', 'baseline', null],
      ['feed2', 'failed', 'feed_not_a_feed'],
    ]);
    const down = await h.runtime.repositories.feedStates.get(config.feeds[0]!.url);
    expect(down).toMatchObject({ consecutiveFailures: 1, failing: false, lastError: { code: 'feed_http_status' } });
    // Retry-After (1 h) beats the first backoff step (5 min).
    expect(down.nextAttemptAt).toBe(T0 + HOUR);

    clock.advance(10 * 60_000);
    good.push({ guid: 'g1', title: 'Fresh extradition news', published: clock.now() });
    const second = await h.poll();
    expect(second.feeds.map((f) => f.status)).toEqual(['backing-off', 'polled', 'failed']);
    expect(second.feeds[1]?.alerts).toBe(1);

    clock.advance(HOUR);
    await h.poll();
    const failing = await h.runtime.repositories.feedStates.get(config.feeds[0]!.url);
    expect(failing).toMatchObject({ consecutiveFailures: 2, failing: true });
    const page = await h.runtime.repositories.feedStates.get(config.feeds[2]!.url);
    expect(page.lastError?.message).toMatch(/not a feed/);

    broken = false;
    clock.advance(2 * HOUR);
    const recovered = await h.poll();
    expect(recovered.feeds[0]?.status).toBe('baseline');
    expect(await h.runtime.repositories.feedStates.get(config.feeds[0]!.url)).toMatchObject({ consecutiveFailures: 0, failing: false });
    await h.close();
  });

  it("reads every feed's state at once and writes unchanged feeds' states together; a failed read falls back to one per feed, and a store that answers nothing fails each feed, not the cycle", async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [{ guid: 'a', title: 'Weather in Oaxaca', published: T0 }];
    serveFeed('/one.xml', () => items);
    serveFeed('/two.xml', () => items);
    const config = configWith(['/one.xml', '/two.xml']);
    const h = await harness(config, clock);
    const context = h.runtime.pollContext;
    const targets = buildTargets(config.feeds, [consoleSubscription(config)]);
    const storeDown = () => Promise.reject(new WirewatchError('store_unavailable', 'the store cannot be read: disk on fire'));
    const withStates = (states: Partial<typeof context.repositories.feedStates>) => ({
      ...context,
      repositories: { ...context.repositories, feedStates: { ...context.repositories.feedStates, ...states } },
    });
    const poll = (pollContext: typeof context) => runPollCycle(targets, pollContext, { dryRun: false, ignoreBackoff: false });

    const first = await poll(withStates({ getMany: storeDown }));
    expect(first.feeds.map((f) => f.status)).toEqual(['baseline', 'baseline']);
    expect(await h.runtime.repositories.feedStates.get(config.feeds[1]!.url)).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: T0 });

    clock.advance(10 * 60_000);
    items.push({ guid: 'b', title: 'Fresh extradition news', published: clock.now() });
    const down = await poll(withStates({ getMany: storeDown, get: storeDown }));
    expect(down.feeds.map((f) => [f.status, f.error?.code])).toEqual([
      ['failed', 'store_unavailable'],
      ['failed', 'store_unavailable'],
    ]);
    expect(await h.runtime.outbox.list()).toEqual([]);

    // Nothing was recorded, so the story is still new when the store answers again; the states come from the one read.
    let singleReads = 0;
    const counted = (url: string) => (singleReads++, context.repositories.feedStates.get(url));
    const back = await poll(withStates({ get: counted }));
    expect(back.feeds.map((f) => [f.status, f.alerts])).toEqual([
      ['polled', 1],
      ['polled', 1],
    ]);
    expect(singleReads).toBe(0);

    // The same body again: both feeds' states are written together after the cycle's reads.
    clock.advance(10 * 60_000);
    const same = await poll(context);
    expect(same.feeds.map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
    for (const feed of config.feeds) expect(await h.runtime.repositories.feedStates.get(feed.url)).toMatchObject({ lastSuccessAt: clock.now() });
    // And when that write fails, each of them is reported failed with the store's error; the next cycle writes them.
    clock.advance(10 * 60_000);
    const writeDown = () => Promise.reject(new WirewatchError('store_write_failed', 'the store cannot be written: disk full'));
    const notWritten = await poll(withStates({ putMany: writeDown }));
    expect(notWritten.feeds.map((f) => [f.status, f.error?.code])).toEqual([
      ['failed', 'store_write_failed'],
      ['failed', 'store_write_failed'],
    ]);
    expect(await h.runtime.repositories.feedStates.get(config.feeds[0]!.url)).toMatchObject({ lastSuccessAt: clock.now() - 10 * 60_000 });
    await h.close();
  });
});

describe('delivery failures', () => {
  it('keeps an alert whose send failed in the outbox and sends it when its retry is due, once', async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [{ guid: 'b', title: 'Baseline', published: T0 }];
    serveFeed('/feed.xml', () => items);
    const delivered: string[] = [];
    let failNext = true;
    const flakySink: AlertSink = {
      name: 'flaky',
      deliver: async (alert) => {
        if (failNext) {
          failNext = false;
          throw new Error('chat API unavailable');
        }
        delivered.push(isRollUp(alert) ? alert.id : 'story' in alert ? alert.story.title : alert.id);
      },
    };
    const h = await harness(configWith(['/feed.xml']), clock, flakySink);
    await h.poll();
    clock.advance(60_000);
    items.push({ guid: 'n', title: 'Extradition confirmed', published: clock.now() });
    const queued = await h.poll();
    expect(queued.feeds[0]).toMatchObject({ alerts: 1 }); // queued; its first send failed
    expect(delivered).toEqual([]);
    expect(await h.runtime.outbox.list()).toMatchObject([{ state: 'pending', attempts: 1, lastError: { code: 'internal' } }]);
    clock.advance(60_000);
    await h.poll(); // the retry is due: sent by the delivery worker, not queued again
    expect(delivered).toEqual(['Extradition confirmed']);
    clock.advance(60_000);
    await h.poll();
    expect(delivered).toEqual(['Extradition confirmed']);
    await h.close();
  });
});

describe('order within a channel', () => {
  it('keeps a story queued by a later poll behind an earlier one waiting out its retry', async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [{ guid: 'b', title: 'Baseline', published: T0 }];
    serveFeed('/feed.xml', () => items);
    const delivered: string[] = [];
    let failNext = true;
    const flakySink: AlertSink = {
      name: 'flaky',
      deliver: async (payload) => {
        if (failNext) {
          failNext = false;
          throw new Error('chat API unavailable');
        }
        delivered.push((payload as { story: { title: string } }).story.title);
      },
    };
    const h = await harness(configWith(['/feed.xml']), clock, flakySink);
    await h.poll();
    clock.advance(60_000);
    items.push({ guid: 'one', title: 'First extradition', published: clock.now() });
    await h.poll(); // its send fails: retried after the backoff (at least 15 s)
    clock.advance(5_000);
    items.push({ guid: 'two', title: 'Second extradition', published: clock.now() });
    await h.poll(); // queued behind the first
    expect(delivered).toEqual([]);
    clock.advance(60_000);
    await h.poll();
    expect(delivered).toEqual(['First extradition', 'Second extradition']);
    await h.close();
  });
});

describe('seen-record bounds', () => {
  it('forgets stories gone from the feed for longer than SEEN_TTL, but not ones still in it', async () => {
    const clock = manualClock(T0);
    let items: TestItem[] = [
      { guid: 'stays', title: 'Stays', published: T0 },
      { guid: 'goes', title: 'Goes', published: T0 },
    ];
    serveFeed('/feed.xml', () => items);
    const h = await harness(configWith(['/feed.xml'], { SEEN_TTL: '30d' }), clock);
    await h.poll();
    items = [items[0]!, { guid: 'later', title: 'Later', published: T0 + DAY }];
    clock.advance(31 * DAY);
    await h.poll();
    const seen = await h.runtime.repositories.seen.get('feed0');
    expect(seen?.items.size).toBe(2);
    await h.close();
  });
});


interface PrintedRollUp {
  kind: 'rollup';
  channel: string;
  count: number;
  watchlists: string[];
  stories: { id: string; title: string; link: string | null; published: string }[];
}
interface PrintedAlert {
  kind?: undefined;
  channel: string;
  story: { id: string; title: string; link: string | null; published: string };
}
const printed = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PrintedAlert | PrintedRollUp);

/** `n` matching items numbered from `from`, published a minute apart, served newest first as feeds do. */
function burstItems(n: number, from: number, newest: number, prefix = 'tariffs on Mexico'): TestItem[] {
  return Array.from({ length: n }, (_, i) => ({
    guid: `burst-${from + i}`,
    link: `https://outlet.example/story/${from + i}`,
    title: `${prefix}: story ${from + i}`,
    published: newest - (n - 1 - i) * 60_000 - from * 1000,
  })).reverse();
}

describe('bursts', () => {
  it('500 matching stories in one cycle over two feeds: BURST_LIMIT alerts oldest first, one roll-up naming the other 490, none lost, none twice', async () => {
    const clock = manualClock(T0);
    const a: TestItem[] = [{ guid: 'a0', title: 'Baseline A', published: T0 - HOUR }];
    const b: TestItem[] = [{ guid: 'b0', title: 'Baseline B', published: T0 - HOUR }];
    serveFeed('/a.xml', () => a);
    serveFeed('/b.xml', () => b);
    const h = await harness(configWith(['/a.xml', '/b.xml']), clock);
    await h.poll(); // baseline
    clock.advance(10 * 60_000);
    // Interleaved in time across the two feeds: the oldest ten are split between them.
    const all = Array.from({ length: 500 }, (_, i) => ({
      guid: `s${i}`,
      link: `https://outlet.example/s/${i}`,
      title: `New tariffs on Mexico, part ${i}`,
      published: clock.now() - (500 - i) * 60_000,
    }));
    a.push(...all.filter((_, i) => i % 2 === 0).reverse());
    b.push(...all.filter((_, i) => i % 2 === 1).reverse());
    const report = await h.poll();
    expect(report.alerts).toBe(500);
    expect(report.rollUps).toBe(1);

    const out = printed(h.output());
    expect(out).toHaveLength(11);
    const singles = out.slice(0, 10) as PrintedAlert[];
    expect(singles.map((x) => x.story.title)).toEqual(all.slice(0, 10).map((s) => s.title));
    const rollup = out[10] as PrintedRollUp;
    expect(rollup).toMatchObject({ kind: 'rollup', channel: 'console', count: 490, watchlists: ['tariffs'] });
    expect(rollup.stories.map((s) => s.title)).toEqual(all.slice(10).map((s) => s.title));
    expect(await h.runtime.outbox.list()).toEqual([]);
    // Each rolled-up story is recorded as delivered to the channel, by id and by link.
    for (const story of rollup.stories) expect(await h.runtime.repositories.deliveries.delivered('console', dedupeKeys(story))).toBe(true);

    // Next cycles: only what is new, once.
    clock.advance(5 * 60_000);
    a.unshift({ guid: 'late', title: 'Late tariffs on Mexico story', published: clock.now() });
    const next = await h.poll();
    expect(next).toMatchObject({ alerts: 1, rollUps: 0 });
    clock.advance(5 * 60_000);
    await h.poll();
    const titles = printed(h.output()).flatMap((x) => (x.kind === 'rollup' ? x.stories.map((s) => s.title) : [x.story.title]));
    expect(titles).toHaveLength(501);
    expect(new Set(titles).size).toBe(501);
    await h.close();
  });

  it('counts per channel: two channels each get their own limit and their own roll-up, each oldest first', async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [{ guid: 'base', title: 'Baseline', published: T0 - HOUR }];
    serveFeed('/feed.xml', () => items);
    const config = configWith(['/feed.xml'], { BURST_LIMIT: '3' });
    const h = await harness(config, clock);
    const subscriptions = [
      { channel: 'discord:1:10', feeds: '*' as const, watchlists: ['tariffs'] },
      { channel: 'slack:T1:C1', feeds: ['feed0'], watchlists: ['extradition', 'tariffs'] },
    ];
    const poll = async () => {
      const report = await runPollCycle(buildTargets(config.feeds, subscriptions), h.runtime.pollContext, { dryRun: false, ignoreBackoff: false });
      await drain(h.runtime);
      return report;
    };
    await poll();
    clock.advance(60_000);
    items.push(...burstItems(5, 0, clock.now() - 1000), ...burstItems(4, 100, clock.now() - 2000, 'Suspect extradited'));
    const report = await poll();
    expect(report.rollUps).toBe(2);

    const out = printed(h.output());
    const of = (channel: string) => out.filter((x) => x.channel === channel);
    const titlesOf = (x: PrintedAlert | PrintedRollUp) => (x.kind === 'rollup' ? x.stories.map((s) => s.title) : [x.story.title]);
    const byTime = (list: TestItem[]) => [...list].sort((p, q) => p.published! - q.published!).map((i) => i.title);
    const tariffs = byTime(items.filter((i) => i.title.startsWith('tariffs')));
    const both = byTime(items.filter((i) => i.guid !== 'base'));

    const discord = of('discord:1:10');
    expect(discord.map((x) => x.kind ?? 'alert')).toEqual(['alert', 'alert', 'alert', 'rollup']);
    expect(discord.flatMap(titlesOf)).toEqual(tariffs);
    expect((discord[3] as PrintedRollUp).count).toBe(2);

    const slack = of('slack:T1:C1');
    expect(slack.map((x) => x.kind ?? 'alert')).toEqual(['alert', 'alert', 'alert', 'rollup']);
    expect(slack.flatMap(titlesOf)).toEqual(both);
    expect((slack[3] as PrintedRollUp).count).toBe(6);
    expect((slack[3] as PrintedRollUp).watchlists.sort()).toEqual(['extradition', 'tariffs']);
    await h.close();
  });

  it('at or under the limit nothing is rolled up', async () => {
    const clock = manualClock(T0);
    const items: TestItem[] = [{ guid: 'base', title: 'Baseline', published: T0 - HOUR }];
    serveFeed('/feed.xml', () => items);
    const h = await harness(configWith(['/feed.xml'], { BURST_LIMIT: '4' }), clock);
    await h.poll();
    clock.advance(60_000);
    items.push(...burstItems(4, 0, clock.now()));
    expect(await h.poll()).toMatchObject({ alerts: 4, rollUps: 0 });
    expect(printed(h.output()).every((x) => x.kind === undefined)).toBe(true);
    await h.close();
  });

  it('delivers a roll-up without the stories the channel already had, records the rest, and skips one with nothing left', async () => {
    const clock = manualClock(T0);
    const got: OutboxPayload[] = [];
    const sink: AlertSink = { name: 'capture', deliver: async (payload) => void got.push(payload) };
    serveFeed('/feed.xml', () => []);
    const h = await harness(configWith(['/feed.xml']), clock, sink);
    const { deliveries } = h.runtime.repositories;
    const rollup = rollUpOf('console', 5);
    const meta = { storyId: 'x', feedId: 'feed0', watchlists: [], deliveredAt: T0 };
    await deliveries.record('console', dedupeKeys(rollup.stories[1]!), meta);
    await h.runtime.outbox.enqueue([{ channel: 'console', storyId: rollup.id, order: 1, payload: rollup, dueAt: T0 }], T0);
    await drain(h.runtime);
    expect(got).toHaveLength(1);
    expect((got[0] as RollUp).stories.map((s) => s.id)).toEqual([0, 2, 3, 4].map((i) => rollup.stories[i]!.id));
    for (const story of rollup.stories) expect(await deliveries.delivered('console', dedupeKeys(story))).toBe(true);

    // The same roll-up again (a repeat after a crash): every story is delivered, nothing is sent.
    await h.runtime.outbox.enqueue([{ channel: 'console', storyId: rollup.id, order: 1, payload: rollup, dueAt: T0 }], T0);
    const round = await h.runtime.delivery.deliverDue();
    expect(round).toMatchObject({ claimed: 1, skipped: 1, delivered: 0 });
    expect(got).toHaveLength(1);
    expect(await h.runtime.outbox.list()).toEqual([]);
    await h.close();
  });
});
