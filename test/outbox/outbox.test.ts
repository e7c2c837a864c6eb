/**
 * One contract for every outbox: memory, a real SQLite file, a real Redis server (started by the
 * global setup). Times are explicit `now` values; nothing sleeps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import {
  createMemoryOutbox,
  entryId,
  openOutbox,
  openRedisOutbox,
  openSqliteOutbox,
  type NewOutboxEntry,
  type Outbox,
  type OutboxError,
} from '../../src/outbox/index.js';
import { openStore } from '../../src/store/index.js';
import { WirewatchError } from '../../src/errors.js';

const redisUrl = inject('redisUrl');
const redisSkipReason = inject('redisSkipReason');
if (!redisUrl) console.warn(`Redis outbox tests skipped: ${redisSkipReason}`);

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let counter = 0;

/** One isolated outbox store; `open` gives another handle (connection, client) onto it. */
interface Store {
  open(): Promise<Outbox>;
}

interface Backend {
  name: string;
  skip: boolean;
  /** Whether entries outlive the handle that wrote them. */
  persistent: boolean;
  fresh(): Store;
  cleanup(): void;
}

function memoryBackend(): Backend {
  return {
    name: 'memory',
    skip: false,
    persistent: false,
    fresh: () => {
      // Memory has no connections: every handle is the same outbox.
      const outbox = createMemoryOutbox();
      return { open: () => Promise.resolve(outbox) };
    },
    cleanup: () => {},
  };
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-outbox-'));
  return {
    name: 'sqlite',
    skip: false,
    persistent: true,
    fresh: () => {
      const path = join(dir, `outbox-${++counter}.sqlite`);
      return { open: () => openSqliteOutbox(path) };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function redisBackend(): Backend {
  return {
    name: 'redis',
    skip: !redisUrl,
    persistent: true,
    fresh: () => {
      // The server is shared; each test gets keys of its own.
      const prefix = `wirewatch:outbox:test-${process.pid}-${++counter}:`;
      return { open: () => openRedisOutbox(redisUrl ?? 'redis://127.0.0.1:1', { prefix }) };
    },
    cleanup: () => {},
  };
}

const alert = (channel: string, storyId: string, order: number, dueAt: number): NewOutboxEntry => ({
  channel,
  storyId,
  order,
  dueAt,
  payload: { title: `Story ${storyId}`, links: [`https://example.org/${storyId}`], score: 0.5 },
});
const failure = (code: string, at: number): OutboxError => ({ code, message: `send failed: ${code}`, at });
const idOf = (entry: NewOutboxEntry) => entryId(entry.channel, entry.storyId);

describe('entryId', () => {
  it('is the same for the same channel and story, and differs otherwise', () => {
    expect(entryId('discord:1:2', 'story-a')).toBe(entryId('discord:1:2', 'story-a'));
    expect(entryId('discord:1:2', 'story-a')).toMatch(/^[0-9a-f]{40}$/);
    expect(entryId('discord:1:2', 'story-a')).not.toBe(entryId('discord:1:3', 'story-a'));
    expect(entryId('a:b', 'c')).not.toBe(entryId('a', 'b:c'));
  });
});

describe.each([memoryBackend, sqliteBackend, redisBackend].map((make) => [make().name, make] as const))('outbox on %s', (_name, make) => {
  const backend = make();
  const opened: Outbox[] = [];
  let store: Store;
  const open = async () => {
    const outbox = await store.open();
    opened.push(outbox);
    return outbox;
  };
  const fresh = () => {
    store = backend.fresh();
    return open();
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((outbox) => outbox.close()));
  });
  afterAll(() => backend.cleanup());
  const test = it.skipIf(backend.skip);

  test('keeps one entry per channel and story, however often it is enqueued', async () => {
    const outbox = await fresh();
    const a = alert('discord:1:2', 'a', 1, T0);
    expect(await outbox.enqueue([a, alert('discord:1:2', 'b', 2, T0)], T0)).toBe(2);
    expect(await outbox.enqueue([{ ...a, payload: { title: 'changed' } }, alert('discord:1:2', 'c', 3, T0)], T0 + 1)).toBe(1);
    expect(await outbox.enqueue([alert('slack:T:C', 'a', 1, T0), alert('slack:T:C', 'a', 1, T0)], T0 + 2)).toBe(1);
    const listed = await outbox.list();
    expect(listed).toHaveLength(4);
    expect(listed.find((e) => e.id === idOf(a))).toEqual({
      ...a,
      id: idOf(a),
      state: 'pending',
      attempts: 0,
      enqueuedAt: T0,
      leaseUntil: null,
      lastError: null,
    });
    expect((await outbox.stats()).pending).toBe(4);
  });

  test('claims only due entries, oldest due first and by order within the same due time, and sets the lease', async () => {
    const outbox = await fresh();
    const late = alert('c', 'late', 5, T0 + 10);
    const second = alert('c', 'second', 9, T0);
    const first = alert('c', 'first', 1, T0);
    const notYet = alert('c', 'not-yet', 0, T0 + MINUTE);
    await outbox.enqueue([late, second, notYet, first], T0 - 1);
    const claimed = await outbox.claimDue(T0 + 100, 10, 30_000);
    expect(claimed.map((e) => e.storyId)).toEqual(['first', 'second', 'late']);
    for (const entry of claimed) expect(entry).toMatchObject({ state: 'claimed', leaseUntil: T0 + 100 + 30_000, attempts: 0 });
    expect(claimed[0]).toEqual({ ...first, id: idOf(first), state: 'claimed', attempts: 0, enqueuedAt: T0 - 1, leaseUntil: T0 + 30_100, lastError: null });
    expect((await outbox.list({ state: 'claimed' })).map((e) => e.storyId)).toEqual(['first', 'second', 'late']);
    expect((await outbox.list({ state: 'pending' })).map((e) => e.storyId)).toEqual(['not-yet']);
    expect(await outbox.claimDue(T0 + 100, 10, 30_000)).toEqual([]);
  });

  test('claims no more than the limit, in order, batch after batch', async () => {
    const outbox = await fresh();
    await outbox.enqueue([5, 3, 1, 4, 2].map((n) => alert('c', `s${n}`, n, T0)), T0);
    expect(await outbox.claimDue(T0, 0, MINUTE)).toEqual([]);
    expect((await outbox.claimDue(T0, 2, MINUTE)).map((e) => e.storyId)).toEqual(['s1', 's2']);
    expect((await outbox.claimDue(T0, 2, MINUTE)).map((e) => e.storyId)).toEqual(['s3', 's4']);
    expect((await outbox.claimDue(T0, 2, MINUTE)).map((e) => e.storyId)).toEqual(['s5']);
    expect(await outbox.claimDue(T0, 2, MINUTE)).toEqual([]);
  });

  test('gives a claim back when its lease lapses (a worker that crashed), not before', async () => {
    const outbox = await fresh();
    const crashed = alert('c', 'crashed', 1, T0);
    await outbox.enqueue([crashed], T0);
    const worker = await open();
    expect((await worker.claimDue(T0, 10, 1000)).map((e) => e.storyId)).toEqual(['crashed']);
    await outbox.enqueue([alert('c', 'later', 0, T0 + 500)], T0);
    expect(await outbox.claimDue(T0 + 999, 10, 1000)).toMatchObject([{ storyId: 'later' }]);
    const again = await outbox.claimDue(T0 + 1000, 10, 1000);
    expect(again).toMatchObject([{ storyId: 'crashed', state: 'claimed', leaseUntil: T0 + 2000, attempts: 0 }]);
    expect(await outbox.claimDue(T0 + 1998, 10, 1000)).toEqual([]);
  });

  test('puts a lapsed claim in due order among pending entries', async () => {
    const outbox = await fresh();
    await outbox.enqueue([alert('c', 'old', 1, T0)], T0);
    await outbox.claimDue(T0, 10, 1000);
    await outbox.enqueue([alert('c', 'newer', 0, T0 + 10), alert('c', 'newest', 0, T0 + 20)], T0);
    expect((await outbox.claimDue(T0 + 1000, 2, 1000)).map((e) => e.storyId)).toEqual(['old', 'newer']);
  });

  test('never gives the same entry to two workers claiming at once', async () => {
    const outbox = await fresh();
    const all = Array.from({ length: 60 }, (_, n) => alert(`c${n % 3}`, `s${n}`, n, T0 + (n % 7)));
    await outbox.enqueue(all, T0);
    const workers = [outbox, await open()];
    const seen: string[] = [];
    for (let round = 0; round < 20; round += 1) {
      const claims = await Promise.all([...workers, ...workers].map((worker) => worker.claimDue(T0 + 10, 4, MINUTE)));
      const ids = claims.flat().map((e) => e.id);
      seen.push(...ids);
      if (ids.length === 0) break;
    }
    expect(seen).toHaveLength(new Set(seen).size);
    expect(new Set(seen)).toEqual(new Set(all.map(idOf)));
    expect(await outbox.stats()).toMatchObject({ pending: 0, claimed: 60, dead: 0 });
  });

  test('removes a delivered entry', async () => {
    const outbox = await fresh();
    const a = alert('c', 'a', 1, T0);
    await outbox.enqueue([a, alert('c', 'b', 2, T0)], T0);
    await outbox.claimDue(T0, 1, MINUTE);
    await outbox.complete(idOf(a));
    await outbox.complete(entryId('c', 'unknown'));
    expect((await outbox.list()).map((e) => e.storyId)).toEqual(['b']);
    expect(await outbox.claimDue(T0 + 10 * MINUTE, 10, MINUTE)).toMatchObject([{ storyId: 'b' }]);
    expect(await outbox.stats()).toEqual({ pending: 0, claimed: 1, dead: 0, oldestDueAt: null });
  });

  test('puts a failed entry back, due later, with one more attempt and the error', async () => {
    const outbox = await fresh();
    const a = alert('c', 'a', 1, T0);
    await outbox.enqueue([a], T0);
    await outbox.claimDue(T0, 1, MINUTE);
    await outbox.retry(idOf(a), T0 + 5000, failure('delivery_transient', T0 + 1));
    expect(await outbox.list()).toEqual([
      { ...a, id: idOf(a), state: 'pending', dueAt: T0 + 5000, attempts: 1, enqueuedAt: T0, leaseUntil: null, lastError: failure('delivery_transient', T0 + 1) },
    ]);
    expect(await outbox.claimDue(T0 + 4999, 10, MINUTE)).toEqual([]);
    const [again] = await outbox.claimDue(T0 + 5000, 10, MINUTE);
    expect(again).toMatchObject({ id: idOf(a), attempts: 1, lastError: failure('delivery_transient', T0 + 1) });
    await outbox.retry(idOf(a), T0 + 9000, failure('delivery_rate_limited', T0 + 5001));
    expect(await outbox.list()).toMatchObject([{ attempts: 2, dueAt: T0 + 9000, lastError: { code: 'delivery_rate_limited' } }]);
  });

  test('releases an entry it did not try: due again later, attempts unchanged', async () => {
    const outbox = await fresh();
    const a = alert('c', 'a', 1, T0);
    await outbox.enqueue([a], T0);
    await outbox.claimDue(T0, 1, MINUTE);
    await outbox.release(idOf(a), T0 + 3000);
    expect(await outbox.list()).toMatchObject([{ id: idOf(a), state: 'pending', dueAt: T0 + 3000, attempts: 0, leaseUntil: null }]);
    expect(await outbox.claimDue(T0 + 2999, 10, MINUTE)).toEqual([]);
    expect(await outbox.claimDue(T0 + 3000, 10, MINUTE)).toMatchObject([{ id: idOf(a), attempts: 0 }]);
  });

  test('releases every claim at start-up of a store one process owns', async () => {
    const outbox = await fresh();
    const a = alert('c', 'a', 1, T0);
    const b = alert('c', 'b', 2, T0);
    await outbox.enqueue([a, b], T0);
    await outbox.claimDue(T0, 1, 10 * MINUTE);
    expect(await outbox.releaseClaimed(T0 + 1)).toBe(1);
    expect((await outbox.claimDue(T0 + 1, 10, MINUTE)).map((e) => [e.storyId, e.attempts]).sort()).toEqual([['a', 0], ['b', 0]]);
  });

  test('keeps a buried entry as dead, never claimed again', async () => {
    const outbox = await fresh();
    const a = alert('c', 'a', 1, T0);
    await outbox.enqueue([a], T0);
    await outbox.claimDue(T0, 1, 1000);
    await outbox.bury(idOf(a), failure('delivery_permanent', T0 + 1));
    expect(await outbox.list()).toMatchObject([{ id: idOf(a), state: 'dead', attempts: 1, leaseUntil: null, lastError: failure('delivery_permanent', T0 + 1) }]);
    expect(await outbox.claimDue(T0 + 365 * 24 * 60 * MINUTE, 10, 1000)).toEqual([]);
    expect(await outbox.stats()).toEqual({ pending: 0, claimed: 0, dead: 1, oldestDueAt: null });
  });

  test('lists by state and by channel, in due order, up to a limit', async () => {
    const outbox = await fresh();
    await outbox.enqueue(
      [alert('discord:1:1', 'a', 1, T0 + 3), alert('discord:1:1', 'b', 2, T0 + 1), alert('slack:T:C', 'c', 3, T0 + 2), alert('slack:T:C', 'd', 4, T0 + 4)],
      T0,
    );
    await outbox.bury(entryId('slack:T:C', 'c'), failure('delivery_permanent', T0));
    const stories = async (filter?: Parameters<Outbox['list']>[0]) => (await outbox.list(filter)).map((e) => e.storyId);
    expect(await stories()).toEqual(['b', 'c', 'a', 'd']);
    expect(await stories({ limit: 2 })).toEqual(['b', 'c']);
    expect(await stories({ state: 'dead' })).toEqual(['c']);
    expect(await stories({ state: 'pending' })).toEqual(['b', 'a', 'd']);
    expect(await stories({ state: 'pending', limit: 1 })).toEqual(['b']);
    expect(await stories({ channel: 'slack:T:C' })).toEqual(['c', 'd']);
    expect(await stories({ state: 'pending', channel: 'slack:T:C' })).toEqual(['d']);
    expect(await stories({ state: 'claimed' })).toEqual([]);
    expect(await stories({ channel: 'console' })).toEqual([]);
  });

  test('revives dead entries: pending, due now, attempts reset', async () => {
    const outbox = await fresh();
    const [a, b, c] = ['a', 'b', 'c'].map((s, n) => alert('c', s, n, T0));
    await outbox.enqueue([a!, b!, c!], T0);
    await outbox.claimDue(T0, 3, MINUTE);
    await outbox.retry(idOf(a!), T0 + 1, failure('delivery_transient', T0));
    await outbox.claimDue(T0 + 1, 3, MINUTE);
    await outbox.bury(idOf(a!), failure('delivery_permanent', T0 + 2));
    await outbox.bury(idOf(b!), failure('delivery_permanent', T0 + 2));
    expect(await outbox.revive(T0 + 9000, [idOf(a!), idOf(c!), entryId('c', 'unknown')])).toBe(1);
    expect((await outbox.list({ state: 'pending' }))[0]).toMatchObject({ id: idOf(a!), dueAt: T0 + 9000, attempts: 0, leaseUntil: null });
    expect(await outbox.revive(T0 + 9500, [])).toBe(0);
    expect(await outbox.revive(T0 + 9500)).toBe(1);
    expect(await outbox.revive(T0 + 9600)).toBe(0);
    expect((await outbox.claimDue(T0 + 9500, 10, MINUTE)).map((e) => e.storyId)).toEqual(['a', 'b']);
    expect(await outbox.stats()).toMatchObject({ dead: 0, claimed: 3 });
  });

  test('drops dead entries only', async () => {
    const outbox = await fresh();
    const [a, b, c] = ['a', 'b', 'c'].map((s, n) => alert('c', s, n, T0));
    await outbox.enqueue([a!, b!, c!], T0);
    await outbox.bury(idOf(a!), failure('delivery_permanent', T0));
    await outbox.bury(idOf(b!), failure('delivery_permanent', T0));
    expect(await outbox.drop([idOf(c!)])).toBe(0);
    expect(await outbox.drop([idOf(a!), idOf(a!)])).toBe(1);
    expect(await outbox.drop()).toBe(1);
    expect(await outbox.drop()).toBe(0);
    expect((await outbox.list()).map((e) => e.storyId)).toEqual(['c']);
  });

  test('drops dead entries that died before the given time, and nothing else', async () => {
    const outbox = await fresh();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((s, n) => alert('c', s, n, T0));
    await outbox.enqueue([a!, b!, c!, d!], T0);
    await outbox.bury(idOf(a!), failure('delivery_permanent', T0));
    await outbox.bury(idOf(b!), failure('delivery_permanent', T0 + 10 * MINUTE));
    // Failed, not dead: a pending entry with an old error stays whatever its age.
    await outbox.claimDue(T0, 10, MINUTE);
    await outbox.retry(idOf(c!), T0 + MINUTE, failure('delivery_transient', T0));
    expect(await outbox.dropDeadBefore(T0 + 5 * MINUTE)).toBe(1);
    expect(await outbox.dropDeadBefore(T0 + 5 * MINUTE)).toBe(0);
    expect((await outbox.list()).map((e) => [e.storyId, e.state])).toEqual([
      ['b', 'dead'],
      ['d', 'claimed'],
      ['c', 'pending'],
    ]);
    expect(await outbox.dropDeadBefore(T0 + 11 * MINUTE)).toBe(1);
    expect(await outbox.stats()).toMatchObject({ pending: 1, claimed: 1, dead: 0 });
  });

  test('drops the old dead entries among many more than one pass looks at, and keeps the recent ones', async () => {
    const outbox = await fresh();
    const entries = Array.from({ length: 1_300 }, (_, n) => alert('c', `s${n}`, n, T0));
    await outbox.enqueue(entries, T0);
    // Old and recent deaths interleaved, so every pass both drops and keeps.
    for (const [n, entry] of entries.entries()) await outbox.bury(idOf(entry), failure('delivery_permanent', n % 3 === 0 ? T0 + HOUR : T0));
    expect(await outbox.dropDeadBefore(T0 + MINUTE)).toBe(866);
    expect((await outbox.stats()).dead).toBe(434);
    expect((await outbox.list()).every((entry) => Number(entry.storyId.slice(1)) % 3 === 0)).toBe(true);
  });

  test('counts entries by state and knows the oldest pending due time', async () => {
    const outbox = await fresh();
    expect(await outbox.stats()).toEqual({ pending: 0, claimed: 0, dead: 0, oldestDueAt: null });
    await outbox.enqueue([alert('c', 'a', 1, T0 + 50), alert('c', 'b', 2, T0 + 20), alert('c', 'c', 3, T0 + 30), alert('c', 'd', 4, T0 + 40)], T0);
    await outbox.claimDue(T0 + 20, 1, MINUTE);
    await outbox.bury(entryId('c', 'c'), failure('delivery_permanent', T0));
    expect(await outbox.stats()).toEqual({ pending: 2, claimed: 1, dead: 1, oldestDueAt: T0 + 40 });
  });

  it.skipIf(backend.skip || !backend.persistent)('keeps entries, claims and errors across a close and a reopen', async () => {
    const outbox = await fresh();
    await outbox.enqueue([alert('c', 'a', 1, T0), alert('c', 'b', 2, T0), alert('c', 'c', 3, T0 + 5)], T0);
    await outbox.claimDue(T0, 1, MINUTE);
    await outbox.bury(entryId('c', 'b'), failure('delivery_permanent', T0 + 1));
    const before = await outbox.list();
    await outbox.close();
    opened.splice(opened.indexOf(outbox), 1);
    const reopened = await open();
    expect(await reopened.list()).toEqual(before);
    expect(await reopened.stats()).toEqual({ pending: 1, claimed: 1, dead: 1, oldestDueAt: T0 + 5 });
    expect((await reopened.claimDue(T0 + 10, 10, MINUTE)).map((e) => e.storyId)).toEqual(['c']);
    expect((await reopened.claimDue(T0 + MINUTE, 10, MINUTE)).map((e) => e.storyId)).toEqual(['a']);
  });
});

describe('opening an outbox', () => {
  it('picks the implementation by the store URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirewatch-outbox-url-'));
    try {
      for (const url of ['memory://', `sqlite://${join(dir, 'nested', 'store.sqlite')}`]) {
        const outbox = await openOutbox(url);
        expect(await outbox.enqueue([alert('c', 'a', 1, T0)], T0)).toBe(1);
        expect(await outbox.claimDue(T0, 1, MINUTE)).toHaveLength(1);
        await outbox.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shares the SQLite file with the key-value store, each in its own table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirewatch-outbox-shared-'));
    try {
      const url = `sqlite://${join(dir, 'store.sqlite')}`;
      const store = await openStore(url);
      const outbox = await openOutbox(url);
      await store.set('feed', { etag: 'v1' });
      await outbox.enqueue([alert('c', 'a', 1, T0)], T0);
      expect(await store.get('feed')).toEqual({ etag: 'v1' });
      expect(await outbox.stats()).toMatchObject({ pending: 1 });
      await Promise.all([store.close(), outbox.close()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unsupported URL with store_url_invalid', async () => {
    await expect(openOutbox('mysql://localhost/x')).rejects.toMatchObject({ code: 'store_url_invalid' });
  });

  it('reports an unreachable Redis as store_unavailable without the password', async () => {
    const error = await openOutbox('redis://user:secret@127.0.0.1:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WirewatchError);
    expect((error as WirewatchError).code).toBe('store_unavailable');
    expect((error as WirewatchError).message).not.toContain('secret');
  });

  it('reports a SQLite file it cannot open as store_unavailable', async () => {
    await expect(openSqliteOutbox('/dev/null/outbox.sqlite')).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('reports a write after close as a coded error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirewatch-outbox-closed-'));
    try {
      const outbox = await openSqliteOutbox(join(dir, 'o.sqlite'));
      await outbox.close();
      await expect(outbox.enqueue([alert('c', 'a', 1, T0)], T0)).rejects.toMatchObject({ code: 'store_write_failed' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
