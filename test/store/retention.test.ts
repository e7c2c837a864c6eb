/**
 * What the store keeps over time: a real SQLite file in a temporary folder, a clock moved by hand
 * (ahead of the system time, as a benchmark's is), rows counted in the file itself. The sweep is
 * what `wirewatch run` calls hourly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { dedupeKeys } from '../../src/alerts/alert.js';
import { openStore, createRepositories, emptyFeedState, type KeyValueStore } from '../../src/store/index.js';
import type { SeenRecord } from '../../src/store/repositories.js';

const HOUR = 3_600_000;
const TTL = 6 * HOUR;
const redisUrl = inject('redisUrl');

let dir: string;
let file: string;
const opened: KeyValueStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-retention-'));
  file = join(dir, 'store.sqlite');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function open(clock: { now(): number }): Promise<KeyValueStore> {
  const store = await openStore(`sqlite://${file}`, { clock });
  opened.push(store);
  return store;
}

/** Rows of the store's table whose key starts with `wirewatch:<prefix>:`, read from the file. */
async function rows(prefix: string): Promise<number> {
  const db = await new Promise<sqlite3.Database>((done, fail) => {
    const handle = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => (error ? fail(error) : done(handle)));
  });
  try {
    const result = await new Promise<{ n: number }[]>((done, fail) =>
      db.all<{ n: number }>(`SELECT count(*) AS n FROM keyv WHERE key LIKE ?`, [`wirewatch:${prefix}:%`], (error, found) => (error ? fail(error) : done(found))),
    );
    return result[0]!.n;
  } finally {
    await new Promise<void>((done) => db.close(() => done()));
  }
}

const story = (n: number, link: string | null = `https://outlet.example/news/${n}`) => ({ id: `story${String(n).padStart(15, '0')}`, link });

describe('delivery records', () => {
  it('stay as many as the TTL holds once it has turned over, swept hourly on the clock', async () => {
    const clock = manualClock(Date.now() + HOUR);
    const store = await open(clock);
    const { deliveries } = createRepositories(store, { seenTtlMs: TTL, deliveryTtlMs: TTL });
    const perHour = 20;
    const counts: number[] = [];
    let n = 0;
    for (let hour = 1; hour <= 3 * (TTL / HOUR); hour++) {
      for (let i = 0; i < perHour; i++) {
        const s = story(++n);
        await deliveries.record('console', dedupeKeys(s), { storyId: s.id, feedId: 'f', watchlists: ['w'], deliveredAt: clock.now() });
      }
      clock.advance(HOUR);
      await store.sweepExpired(clock.now());
      counts.push(await rows('delivery'));
    }
    // Filling for one TTL, then flat: each sweep removes the hour that has passed its TTL.
    expect(counts.slice(0, TTL / HOUR)).toEqual([20, 40, 60, 80, 100, 120]);
    expect(new Set(counts.slice(TTL / HOUR))).toEqual(new Set([120]));
    // What the TTL still covers answers as delivered; what it passed does not.
    expect(await deliveries.delivered('console', dedupeKeys(story(n)))).toBe(true);
    expect(await deliveries.delivered('console', dedupeKeys(story(n - 6 * perHour + 1)))).toBe(true);
    expect(await deliveries.delivered('console', dedupeKeys(story(n - 6 * perHour)))).toBe(false);
  });

  it('are hidden once the clock passes their TTL, before any sweep', async () => {
    const clock = manualClock(Date.now() + HOUR);
    const store = await open(clock);
    const { deliveries } = createRepositories(store, { seenTtlMs: TTL, deliveryTtlMs: TTL });
    await deliveries.record('console', dedupeKeys(story(1)), { storyId: story(1).id, feedId: 'f', watchlists: [], deliveredAt: clock.now() });
    clock.advance(TTL);
    expect(await deliveries.delivered('console', dedupeKeys(story(1)))).toBe(true);
    // One second past, not one millisecond: the stretch is measured a moment before keyv stamps
    // `expires`, so a record can outlive the clock's TTL by the millisecond that tick took.
    clock.advance(1_000);
    expect(await deliveries.delivered('console', dedupeKeys(story(1)))).toBe(false);
    expect(await store.getMany([`delivery:console:${dedupeKeys(story(1))[0]!}`])).toEqual([undefined]);
  });

  it('are one row per story, and still stop the same article from another feed and the same story again', async () => {
    const clock = manualClock(Date.now());
    const { deliveries } = createRepositories(await open(clock), { seenTtlMs: TTL, deliveryTtlMs: TTL });
    const meta = { feedId: 'f', watchlists: ['w'], deliveredAt: clock.now() };
    await deliveries.record('console', dedupeKeys(story(1)), { storyId: story(1).id, ...meta });
    await deliveries.record('console', dedupeKeys(story(2, null)), { storyId: story(2).id, ...meta });
    expect(await rows('delivery')).toBe(2);
    expect(await deliveries.delivered('console', dedupeKeys(story(1)))).toBe(true);
    // The same article through another feed: another id, the same canonical link.
    expect(await deliveries.delivered('console', dedupeKeys({ id: 'fromanotherfeed00000', link: story(1).link }))).toBe(true);
    expect(await deliveries.delivered('console', dedupeKeys(story(2, null)))).toBe(true);
    expect(await deliveries.delivered('console', dedupeKeys(story(3)))).toBe(false);
    expect(await deliveries.delivered('discord:1:2', dedupeKeys(story(1)))).toBe(false);
  });

  it('written under both keys by earlier versions still answer for the story', async () => {
    const clock = manualClock(Date.now());
    const store = await open(clock);
    const { deliveries } = createRepositories(store, { seenTtlMs: TTL, deliveryTtlMs: TTL });
    // An earlier version recorded `story:<id>` and `link:<hash>`; the link key is the one read now.
    const earlier = ['story:' + story(1).id, ...dedupeKeys(story(1))];
    await deliveries.record('console', earlier, { storyId: story(1).id, feedId: 'f', watchlists: [], deliveredAt: clock.now() });
    expect(await deliveries.delivered('console', dedupeKeys(story(1)))).toBe(true);
  });
});

describe('feed states', () => {
  it('expire a TTL after the last poll wrote them, so a feed no longer polled leaves no row', async () => {
    const clock = manualClock(Date.now() + HOUR);
    const store = await open(clock);
    const { feedStates } = createRepositories(store, { seenTtlMs: TTL, deliveryTtlMs: TTL, feedStateTtlMs: 2 * TTL });
    await feedStates.put({ ...emptyFeedState('https://kept.example/feed.xml'), etag: '"a"' });
    await feedStates.put({ ...emptyFeedState('https://removed.example/feed.xml'), etag: '"b"' });
    for (let hour = 1; hour <= 2 * (TTL / HOUR) + 1; hour++) {
      clock.advance(HOUR);
      // Only the kept feed is still polled.
      await feedStates.put({ ...(await feedStates.get('https://kept.example/feed.xml')), lastSuccessAt: clock.now() });
      await store.sweepExpired(clock.now());
    }
    expect(await rows('feed')).toBe(1);
    expect((await feedStates.get('https://kept.example/feed.xml')).etag).toBe('"a"');
    expect(await feedStates.get('https://removed.example/feed.xml')).toEqual(emptyFeedState('https://removed.example/feed.xml'));
  });
});

describe('seen records', () => {
  it('stay one per feed, holding only what the feed listed within the TTL', async () => {
    const clock = manualClock(Date.now() + HOUR);
    const store = await open(clock);
    const { seen } = createRepositories(store, { seenTtlMs: TTL, deliveryTtlMs: TTL });
    let record: SeenRecord = { baselineAt: clock.now(), items: new Map() };
    for (let hour = 0; hour < 3 * (TTL / HOUR); hour++) {
      // Ten new stories an hour; the feed lists its latest 50.
      for (let i = 0; i < 10; i++) record.items.set(`h${hour}-${i}`, [`h${hour}-${i}`, clock.now(), clock.now()]);
      const listed = [...record.items.keys()].slice(-50);
      for (const id of listed) record.items.set(id, [id, record.items.get(id)![1], clock.now()]);
      await seen.put('feed-a', record, clock.now());
      record = (await seen.get('feed-a'))!;
      clock.advance(HOUR);
      await store.sweepExpired(clock.now());
    }
    expect(await rows('seen')).toBe(1);
    // 50 listed, and those that left the feed within the TTL (10 an hour).
    expect(record.items.size).toBe(50 + 10 * (TTL / HOUR));
  });
});

describe.skipIf(!redisUrl)('on Redis', () => {
  it('keeps one delivery key per story, with its TTL', async () => {
    const store = await openStore(redisUrl!);
    opened.push(store);
    const { deliveries } = createRepositories(store, { seenTtlMs: TTL, deliveryTtlMs: TTL });
    const s = { id: `redis${process.pid}${Date.now()}`.slice(0, 20), link: `https://outlet.example/${process.pid}/${Date.now()}` };
    await deliveries.record('console', dedupeKeys(s), { storyId: s.id, feedId: 'f', watchlists: [], deliveredAt: Date.now() });
    expect(dedupeKeys(s)).toHaveLength(1);
    expect(await deliveries.delivered('console', dedupeKeys(s))).toBe(true);
    expect(await store.get(`delivery:console:story:${s.id}`)).toBeUndefined();
    const { createClient } = await import('@redis/client');
    const client = createClient({ url: redisUrl! });
    await client.connect();
    try {
      // Whatever prefix keyv gives it: one key for the story, none under its id.
      expect(await client.keys(`*delivery:console:story:${s.id}`)).toEqual([]);
      const keys = await client.keys(`*delivery:console:${dedupeKeys(s)[0]!}`);
      expect(keys).toHaveLength(1);
      const ttl = await client.pTTL(keys[0]!);
      expect(ttl).toBeGreaterThan(TTL - 60_000);
      expect(ttl).toBeLessThanOrEqual(TTL);
    } finally {
      await client.close();
    }
  });
});
