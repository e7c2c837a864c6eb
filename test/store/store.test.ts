/**
 * The store suite runs against every backend: a real SQLite file, a real Redis server (started
 * by the global setup), and memory. Each case asserts on what a later read returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { openStore, createRepositories, emptyFeedState, type KeyValueStore } from '../../src/store/index.js';
import { WirewatchError } from '../../src/errors.js';
import { LIMITS } from '../../src/watch/limits.js';

const redisUrl = inject('redisUrl');
const redisSkipReason = inject('redisSkipReason');
if (!redisUrl) console.warn(`Redis store tests skipped: ${redisSkipReason}`);

const DAY = 24 * 60 * 60 * 1000;
let counter = 0;

interface Backend {
  name: string;
  skip: boolean;
  /** Opens the same underlying store again (a restart). */
  open(): Promise<KeyValueStore>;
  cleanup(): void;
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-store-'));
  return {
    name: 'sqlite',
    skip: false,
    open: () => openStore(`sqlite://${join(dir, 'nested', 'store.sqlite')}`),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function redisBackend(): Backend {
  // Tests share the server; each uses keys of its own (unique feed ids and channels).
  return { name: 'redis', skip: !redisUrl, open: () => openStore(redisUrl ?? 'redis://127.0.0.1:1'), cleanup: () => {} };
}

const backends: (() => Backend)[] = [sqliteBackend, redisBackend];

describe.each(backends.map((make) => [make().name, make] as const))('store on %s', (_name, make) => {
  const backend = make();
  const opened: KeyValueStore[] = [];
  const open = async () => {
    const store = await backend.open();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  const unique = (label: string) => `${label}-${process.pid}-${++counter}`;

  it.skipIf(backend.skip)('keeps feed state across a reopen', async () => {
    const url = `https://example.org/${unique('feed')}.xml`;
    const first = createRepositories(await open(), { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    expect(await first.feedStates.get(url)).toEqual(emptyFeedState(url));
    await first.feedStates.put({ ...emptyFeedState(url), etag: '"v1"', consecutiveFailures: 2, failing: false });
    const again = createRepositories(await open(), { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    expect(await again.feedStates.get(url)).toMatchObject({ url, etag: '"v1"', consecutiveFailures: 2 });
  });

  it.skipIf(backend.skip)('writes a seen-record in one piece and prunes entries not seen for longer than the TTL', async () => {
    const repos = createRepositories(await open(), { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    const feedId = unique('feed');
    const now = Date.UTC(2026, 10, 1);
    await repos.seen.put(
      feedId,
      {
        baselineAt: now - 40 * DAY,
        items: new Map([
          ['old', ['old', now - 40 * DAY, now - 31 * DAY]],
          ['recent', ['recent', now - 40 * DAY, now - DAY, 'key-of-text']],
        ]),
      },
      now,
    );
    const record = await repos.seen.get(feedId);
    expect(record?.baselineAt).toBe(now - 40 * DAY);
    expect([...(record?.items.values() ?? [])]).toEqual([['recent', now - 40 * DAY, now - DAY, 'key-of-text']]);
  });

  it.skipIf(backend.skip)('stores a seen-record as a list of entries, with an empty `items` for builds that read only that', async () => {
    const store = await open();
    const repos = createRepositories(store, { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    const feedId = unique('feed');
    const now = Date.UTC(2026, 10, 1);
    await repos.seen.put(feedId, { baselineAt: now - DAY, items: new Map([['a', ['a', now - DAY, now, 'key-a']], ['b', ['b', now - DAY, now]]]) }, now);
    expect(await store.get(`seen:${feedId}`)).toEqual({
      baselineAt: now - DAY,
      items: {},
      entries: [
        ['a', now - DAY, now, 'key-a'],
        ['b', now - DAY, now],
      ],
    });
  });

  it.skipIf(backend.skip)('reads a seen-record written in the earlier form, its stories keyed by id', async () => {
    const store = await open();
    const repos = createRepositories(store, { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    const feedId = unique('feed');
    const now = Date.UTC(2026, 10, 1);
    await store.set(`seen:${feedId}`, { baselineAt: now - DAY, items: { a: [now - DAY, now, 'key-a'], b: [now - DAY, now] } });
    const record = await repos.seen.get(feedId);
    expect(record?.baselineAt).toBe(now - DAY);
    expect([...(record?.items ?? [])]).toEqual([
      ['a', ['a', now - DAY, now, 'key-a']],
      ['b', ['b', now - DAY, now]],
    ]);
  });

  it.skipIf(backend.skip)('remembers deliveries per channel under any of a story’s keys', async () => {
    const repos = createRepositories(await open(), { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    const channel = unique('channel');
    expect(await repos.deliveries.delivered(channel, ['story:a', 'link:x'])).toBe(false);
    await repos.deliveries.record(channel, ['story:a', 'link:x'], { storyId: 'a', feedId: 'f', watchlists: ['w'], deliveredAt: 1 });
    expect(await repos.deliveries.delivered(channel, ['story:b', 'link:x'])).toBe(true);
    expect(await repos.deliveries.delivered(`${channel}-other`, ['story:a'])).toBe(false);
  });

  it.skipIf(backend.skip)('writes and deletes many keys in slices issued together, each readable after (more rows than one SQLite statement takes)', async () => {
    const store = await open();
    const prefix = unique('many');
    const keys = Array.from({ length: 2_500 }, (_, n) => `${prefix}:${n}`);
    await store.setMany(keys.map((key, n) => ({ key, value: { n }, ...(n % 2 === 0 ? { ttlMs: DAY } : {}) })), 700);
    expect((await store.getMany<{ n: number }>(keys)).map((value) => value?.n)).toEqual(keys.map((_, n) => n));
    await store.deleteMany(keys.slice(0, 2_000), 700);
    expect((await store.getMany(keys)).filter((value) => value !== undefined)).toHaveLength(500);

    const repos = createRepositories(store, { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    const channel = unique('channel');
    const stories = Array.from({ length: 2_500 }, (_, n) => ({ dedupeKeys: [`story:${n}`], record: { storyId: String(n), feedId: 'f', watchlists: ['w'], deliveredAt: n } }));
    await repos.deliveries.recordEach(channel, stories);
    const checks = stories.map(({ dedupeKeys }) => ({ channel, dedupeKeys }));
    expect((await repos.deliveries.deliveredEach(checks)).every(Boolean)).toBe(true);
    expect(await repos.deliveries.get(channel, 'story:2499')).toMatchObject({ storyId: '2499', deliveredAt: 2499 });
    expect(await repos.deliveries.delivered(channel, ['story:2500'])).toBe(false);

    const urls = Array.from({ length: 2_500 }, (_, n) => `https://example.org/${unique('feed')}/${n}.xml`);
    await repos.feedStates.putMany(urls.map((url, n) => ({ ...emptyFeedState(url), etag: `"e${n}"`, lastSuccessAt: n })));
    const states = await repos.feedStates.getMany(urls);
    expect(states.map((state) => state.etag)).toEqual(urls.map((_, n) => `"e${n}"`));
  });

  it.skipIf(backend.skip)('lists, updates and deletes subscriptions and a channel’s watchlists', async () => {
    const repos = createRepositories(await open(), { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    const channel = unique('discord:1');
    await repos.subscriptions.put({ channel, feeds: ['a'], watchlists: ['w1'], createdAt: 1, updatedAt: 1 });
    await repos.subscriptions.put({ channel, feeds: ['a', 'b'], watchlists: ['w1'], createdAt: 1, updatedAt: 2 });
    const listed = (await repos.subscriptions.list()).filter((s) => s.channel === channel);
    expect(listed).toEqual([{ channel, feeds: ['a', 'b'], watchlists: ['w1'], createdAt: 1, updatedAt: 2 }]);
    await repos.subscriptions.delete(channel);
    expect(await repos.subscriptions.get(channel)).toBeUndefined();
    expect((await repos.subscriptions.list()).map((s) => s.channel)).not.toContain(channel);
  });

  it.skipIf(backend.skip)('keeps a tenant’s watchlists and feeds, and loses no write when commands arrive together', async () => {
    const repos = createRepositories(await open(), { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    const tenant = unique('discord:1');
    const add = (id: string) => repos.watchlists.update(tenant, (current) => [...current, { id, name: id, terms: ['x'] }]);
    await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5'].map(add));
    expect((await repos.watchlists.list(tenant)).map((w) => w.id).sort()).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
    const feed = (id: string) => ({ id, url: `https://example.org/${id}.xml`, name: null, addedBy: 'u', addedAt: 1 });
    await Promise.all(['a', 'b', 'c'].map((id) => repos.tenantFeeds.update(tenant, (current) => [...current, feed(id)])));
    expect((await repos.tenantFeeds.list(tenant)).map((f) => f.id).sort()).toEqual(['a', 'b', 'c']);
    expect(await repos.tenants.list()).toContain(tenant);

    const channels = [1, 2, 3, 4].map((n) => unique(`discord:1:${n}`));
    await Promise.all(channels.map((channel) => repos.subscriptions.put({ channel, tenant, feeds: '*', watchlists: ['w1'], createdAt: 1, updatedAt: 1 })));
    const listed = (await repos.subscriptions.list()).map((s) => s.channel);
    for (const channel of channels) expect(listed).toContain(channel);
  });

  it.skipIf(backend.skip)('refuses a tenant’s watchlist beyond the per-tenant limit, but allows replacing one', async () => {
    const repos = createRepositories(await open(), { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY });
    const tenant = unique('slack:T');
    const many = Array.from({ length: LIMITS.watchlistsPerTenant }, (_, i) => ({ id: `w${i}`, name: 'W', terms: ['x'] }));
    await repos.watchlists.update(tenant, () => many);
    await expect(repos.watchlists.update(tenant, (current) => [...current, { id: 'one-more', name: 'W', terms: ['x'] }])).rejects.toMatchObject({
      code: 'query_limit',
      message: `there are already ${LIMITS.watchlistsPerTenant} watchlists here, the most allowed; remove one before adding another`,
    });
    await repos.watchlists.update(tenant, (current) => current.map((w) => (w.id === 'w0' ? { ...w, name: 'Replaced' } : w)));
    expect((await repos.watchlists.list(tenant)).find((w) => w.id === 'w0')?.name).toBe('Replaced');
  });

  it.skipIf(backend.skip)('expires entries with a TTL', async () => {
    const store = await open();
    const key = unique('ttl');
    await store.set(key, { v: 1 }, 150);
    await store.set(`${key}-kept`, { v: 2 });
    expect(await store.get(key)).toEqual({ v: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // keyv hides expired values on read on every backend; the sweep is what bounds a SQLite file.
    await store.sweepExpired(Date.now());
    expect(await store.get(key)).toBeUndefined();
    expect(await store.get(`${key}-kept`)).toEqual({ v: 2 });
  });

  afterAll(() => backend.cleanup());
});

describe('sqlite sweep', () => {
  it('deletes expired rows from the file, leaving live ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirewatch-sweep-'));
    try {
      const store = await openStore(`sqlite://${join(dir, 's.sqlite')}`);
      await store.set('a', 1, 1);
      await store.set('b', 2, 60_000);
      await store.set('c', 3);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.sweepExpired(Date.now())).toBe(1);
      expect(await store.getMany(['a', 'b', 'c'])).toEqual([undefined, 2, 3]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opening a store', () => {
  it('refuses an unsupported URL with store_url_invalid', async () => {
    await expect(openStore('mysql://localhost/x')).rejects.toMatchObject({ code: 'store_url_invalid' });
  });

  it('reports an unreachable Redis as store_unavailable without the password', async () => {
    const error = await openStore('redis://user:secret@127.0.0.1:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WirewatchError);
    expect((error as WirewatchError).code).toBe('store_unavailable');
    expect((error as WirewatchError).message).not.toContain('secret');
  });
});
