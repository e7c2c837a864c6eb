/**
 * The keyed lock held in Redis, on the real server: two replicas, each with its own store
 * connection and its own coordination connection, change the same records without losing a
 * write; a key held elsewhere for too long ends in lock_timeout; a failing holder frees its key.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openCoordination, type Coordination } from '../../src/coordination/index.js';
import { WirewatchError } from '../../src/errors.js';
import { createRepositories, openStore, type KeyValueStore } from '../../src/store/index.js';

const redisUrl = inject('redisUrl');
const redisSkipReason = inject('redisSkipReason');
if (!redisUrl) console.warn(`Redis keyed-lock tests skipped: ${redisSkipReason}`);

const DAY = 24 * 60 * 60 * 1000;
let counter = 0;
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((thing) => thing.close()));
});

/** One replica: its own connections, and lock keys under the test's own prefix (the server is shared). */
async function replica(lockPrefix: string, lock: { ttlMs?: number; waitMs?: number } = {}): Promise<{ store: KeyValueStore; coordination: Coordination }> {
  const store = await openStore(redisUrl!);
  const coordination = await openCoordination(redisUrl!, { lockPrefix, lock });
  opened.push(store, coordination);
  return { store, coordination };
}

const unique = (label: string) => `${label}-${process.pid}-${++counter}`;
const testPrefix = () => `wirewatch:lock:${unique('test')}:`;

describe.skipIf(!redisUrl)('the keyed lock in Redis', () => {
  it('loses no term when 40 updates of one watchlist arrive through two replicas at once', async () => {
    const prefix = testPrefix();
    const [a, b] = [await replica(prefix), await replica(prefix)];
    const repos = [a, b].map(({ store, coordination }) =>
      createRepositories(store, { seenTtlMs: 30 * DAY, deliveryTtlMs: 30 * DAY, lock: coordination.lock }),
    );
    const tenant = unique('discord:1');
    const terms = Array.from({ length: 40 }, (_, n) => `term-${n}`);
    await Promise.all(
      terms.map((term, n) =>
        repos[n % 2]!.watchlists.update(tenant, (current) => {
          const list = current[0] ?? { id: 'news', name: 'News', terms: [] };
          return [{ ...list, terms: [...(list.terms ?? []), term] }];
        }),
      ),
    );
    const stored = await repos[0]!.watchlists.list(tenant);
    expect(stored).toHaveLength(1);
    expect([...(stored[0]!.terms ?? [])].sort()).toEqual([...terms].sort());
    expect(await repos[1]!.tenants.list()).toContain(tenant);
  });

  it('gives up with lock_timeout, naming the key, when another replica holds it past the wait', async () => {
    const prefix = testPrefix();
    const holder = await replica(prefix);
    const waiter = await replica(prefix, { waitMs: 200 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const holding = holder.coordination.lock.run('watchlists:discord:7', async () => {
      entered();
      await held;
    });
    await inside;
    const started = performance.now();
    let ran = false;
    const error = await waiter.coordination.lock
      .run('watchlists:discord:7', async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    const waited = performance.now() - started;
    release();
    await holding;
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(WirewatchError);
    expect((error as WirewatchError).code).toBe('lock_timeout');
    expect((error as Error).message).toContain('watchlists:discord:7');
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(1000);
  });

  it('keeps the key locked, by renewing it, while the work outlasts the TTL', async () => {
    const prefix = testPrefix();
    const holder = await replica(prefix, { ttlMs: 150 });
    const waiter = await replica(prefix, { waitMs: 300 });
    const holding = holder.coordination.lock.run('sub-index', () => sleep(800));
    await sleep(50);
    const error = await waiter.coordination.lock.run('sub-index', async () => 'got in').catch((e: unknown) => e);
    await holding;
    expect(error).toMatchObject({ code: 'lock_timeout' });
    expect(await waiter.coordination.lock.run('sub-index', async () => 'got in')).toBe('got in');
  });

  it('frees the key when the work throws, so another replica gets it at once', async () => {
    const prefix = testPrefix();
    const failing = await replica(prefix, { ttlMs: 60_000 });
    const next = await replica(prefix, { waitMs: 100 });
    await expect(
      failing.coordination.lock.run('feeds:slack:T1', () => Promise.reject(new Error('change refused'))),
    ).rejects.toThrow('change refused');
    expect(await next.coordination.lock.run('feeds:slack:T1', async () => 'changed')).toBe('changed');
  });

  it('queues a process’s own runs in the process, so they wait for each other without timing out', async () => {
    const prefix = testPrefix();
    const { coordination } = await replica(prefix, { waitMs: 50 });
    let inside = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        coordination.lock.run('tenant-index', async () => {
          inside += 1;
          most = Math.max(most, inside);
          await sleep(20);
          inside -= 1;
          return n;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(1);
  });
});
