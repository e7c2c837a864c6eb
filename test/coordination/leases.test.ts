/**
 * One contract for leases: in the process (a clock moved by hand) and in a real Redis server
 * (started by the global setup), where each "replica" has a connection of its own. Then
 * runWithLease on both: one run per tick, renewals, a lost lease aborting the work.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@redis/client';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { WirewatchError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { createLocalLeases, createRedisLeases, openCoordination, runWithLease, type Leases } from '../../src/coordination/index.js';

const redisUrl = inject('redisUrl');
const redisSkipReason = inject('redisSkipReason');
if (!redisUrl) console.warn(`Redis coordination tests skipped: ${redisSkipReason}`);

let counter = 0;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

interface Backend {
  name: string;
  skip: boolean;
  /** TTL short enough to wait out in a test. */
  ttlMs: number;
  /** Two replicas contending for the same leases, and the clock their holds are measured by. */
  replicas(): Promise<{ a: Leases; b: Leases; now: () => number; elapse: (ms: number) => Promise<void>; steal: (name: string) => Promise<void> }>;
}

function localBackend(): Backend {
  return {
    name: 'the process',
    skip: false,
    ttlMs: 300,
    replicas: async () => {
      const clock = manualClock(Date.UTC(2026, 10, 1));
      // One process owns a SQLite or memory store: every contender shares its leases.
      const leases = createLocalLeases(clock);
      return {
        a: leases,
        b: leases,
        now: () => clock.now(),
        elapse: async (ms) => clock.advance(ms),
        steal: async (name) => {
          clock.advance(10_000);
          expect(await leases.tryAcquire(name, 60_000)).not.toBeNull();
        },
      };
    },
  };
}

function redisBackend(): Backend {
  return {
    name: 'redis',
    skip: !redisUrl,
    ttlMs: 200,
    replicas: async () => {
      const url = redisUrl ?? 'redis://127.0.0.1:1';
      // The server is shared with other test files: each test has keys of its own.
      const prefix = `wirewatch:lease:test-${process.pid}-${++counter}:`;
      const a = await createRedisLeases(url, { prefix });
      const b = await createRedisLeases(url, { prefix });
      const raw = createClient({ url });
      await raw.connect();
      closers.push(() => a.close(), () => b.close(), () => raw.close());
      return {
        a,
        b,
        now: () => Date.now(),
        elapse: (ms) => sleep(ms),
        // Another holder that took the lease after it lapsed (a paused replica's, say).
        steal: async (name) => {
          await raw.set(prefix + name, 'another-replica');
        },
      };
    },
  };
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

/** Resolves when the signal aborts (or at once if it has); rejects if it has not within 3 s. */
const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(() => reject(new Error('the work was not aborted within 3 s')), 3000);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

describe.each([localBackend, redisBackend].map((make) => [make().name, make] as const))('leases in %s', (_name, make) => {
  const backend = make();
  const { ttlMs } = backend;

  it.skipIf(backend.skip)('gives a lease to only one of two contenders, and to the other once it is released', async () => {
    const { a, b } = await backend.replicas();
    const [first, second] = await Promise.all([a.tryAcquire('poll', ttlMs), b.tryAcquire('poll', ttlMs)]);
    expect([first, second].filter((lease) => lease !== null)).toHaveLength(1);
    const winner = (first ?? second)!;
    expect(winner.name).toBe('poll');
    expect(await b.tryAcquire('poll', ttlMs)).toBeNull();
    await winner.release();
    const next = await b.tryAcquire('poll', ttlMs);
    expect(next).not.toBeNull();
    expect(next!.token).not.toBe(winner.token);
  });

  it.skipIf(backend.skip)('lets a lease nobody renews lapse, and then the old holder can neither renew nor free the new one', async () => {
    const { a, b, now, elapse } = await backend.replicas();
    const old = await a.tryAcquire('poll', ttlMs);
    expect(old).not.toBeNull();
    await elapse(ttlMs + 100);
    const taken = await b.tryAcquire('poll', ttlMs * 10);
    expect(taken).not.toBeNull();
    expect(await old!.renew(ttlMs)).toBe(false);
    expect(await old!.holdUntil(now() + 60_000)).toBe(false);
    await old!.release();
    expect(await a.tryAcquire('poll', ttlMs)).toBeNull();
    expect(await taken!.renew(ttlMs * 10)).toBe(true);
  });

  it.skipIf(backend.skip)('keeps a renewed lease past its first TTL', async () => {
    const { a, b, elapse } = await backend.replicas();
    const lease = (await a.tryAcquire('poll', ttlMs))!;
    await elapse(ttlMs * 0.6);
    expect(await lease.renew(ttlMs)).toBe(true);
    await elapse(ttlMs * 0.6);
    expect(await b.tryAcquire('poll', ttlMs)).toBeNull();
    await elapse(ttlMs * 0.6);
    expect(await b.tryAcquire('poll', ttlMs)).not.toBeNull();
  });

  it.skipIf(backend.skip)('holds a lease until the time given, then lets it lapse', async () => {
    const { a, b, now, elapse } = await backend.replicas();
    const lease = (await a.tryAcquire('poll', ttlMs))!;
    expect(await lease.holdUntil(now() + ttlMs * 3)).toBe(true);
    await elapse(ttlMs * 2);
    expect(await b.tryAcquire('poll', ttlMs)).toBeNull();
    await elapse(ttlMs * 1.5);
    expect(await b.tryAcquire('poll', ttlMs)).not.toBeNull();
  });

  it.skipIf(backend.skip)('frees a lease at once when asked to hold it until a time already past', async () => {
    const { a, b, now } = await backend.replicas();
    const lease = (await a.tryAcquire('poll', ttlMs * 10))!;
    expect(await lease.holdUntil(now() - 1)).toBe(true);
    expect(await b.tryAcquire('poll', ttlMs)).not.toBeNull();
  });

  describe('runWithLease', () => {
    const options = (now: () => number, logger = capturingLogger().logger) => ({
      ttlMs,
      holdForMs: 60_000,
      clock: { now },
      logger,
    });

    it.skipIf(backend.skip)('runs the work once when two replicas start it together, and not again while the lease is held over', async () => {
      const { a, b, now } = await backend.replicas();
      let runs = 0;
      const work = async () => {
        runs += 1;
        await sleep(50);
        return 'cycle done';
      };
      const results = await Promise.all([runWithLease(a, 'poll', options(now), work), runWithLease(b, 'poll', options(now), work)]);
      expect(runs).toBe(1);
      expect(results).toContainEqual({ ran: true, value: 'cycle done' });
      expect(results).toContainEqual({ ran: false });
      // A replica whose tick for the same slot fires late finds the lease held over.
      expect(await runWithLease(b, 'poll', options(now), work)).toEqual({ ran: false });
      expect(runs).toBe(1);
    });

    it.skipIf(backend.skip)('renews the lease while the work outlasts its TTL', async () => {
      const { a, b, now } = await backend.replicas();
      let contender: unknown = 'not tried';
      const result = await runWithLease(a, 'poll', { ...options(now), holdForMs: 0 }, async (signal) => {
        await sleep(ttlMs * 2.5);
        contender = await b.tryAcquire('poll', ttlMs);
        return signal.aborted;
      });
      expect(result).toEqual({ ran: true, value: false });
      expect(contender).toBeNull();
    });

    it.skipIf(backend.skip)('releases the lease after the work when the hold-over has already passed', async () => {
      const { a, b, now } = await backend.replicas();
      expect(await runWithLease(a, 'poll', { ...options(now), holdForMs: 0 }, async () => 1)).toEqual({ ran: true, value: 1 });
      expect(await b.tryAcquire('poll', ttlMs)).not.toBeNull();
    });

    it.skipIf(backend.skip)('aborts the work and warns when another holder takes the lease', async () => {
      const { a, now, steal } = await backend.replicas();
      const { logger, lines } = capturingLogger();
      const result = await runWithLease(a, 'poll', options(now, logger), async (signal) => {
        await steal('poll');
        await aborted(signal);
        return signal.reason as unknown;
      });
      expect(result.ran).toBe(true);
      const reason = (result as { value: unknown }).value;
      expect(reason).toBeInstanceOf(WirewatchError);
      expect((reason as WirewatchError).code).toBe('lease_lost');
      expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', lease: 'poll', reason: 'taken' }));
    });

    it.skipIf(backend.skip)('passes the work’s error on, and frees or holds the lease all the same', async () => {
      const { a, b, now } = await backend.replicas();
      const failing = () => Promise.reject(new Error('feed list unreadable'));
      await expect(runWithLease(a, 'poll', { ...options(now), holdForMs: 0 }, failing)).rejects.toThrow('feed list unreadable');
      const next = await b.tryAcquire('poll', ttlMs);
      expect(next).not.toBeNull();
      await next!.release();
      await expect(runWithLease(a, 'poll', options(now), failing)).rejects.toThrow('feed list unreadable');
      expect(await b.tryAcquire('poll', ttlMs)).toBeNull();
    });
  });
});

describe('runWithLease on Redis when the server cannot be reached', () => {
  it.skipIf(!redisUrl)('aborts the work after two failed renewals in a row, and still returns its result', async () => {
    const prefix = `wirewatch:lease:test-${process.pid}-${++counter}:`;
    const leases = await createRedisLeases(redisUrl!, { prefix });
    const { logger, lines } = capturingLogger();
    const result = await runWithLease(leases, 'poll', { ttlMs: 150, holdForMs: 60_000, clock: { now: Date.now }, logger }, async (signal) => {
      await leases.close();
      await aborted(signal);
      return (signal.reason as WirewatchError).code;
    });
    expect(result).toEqual({ ran: true, value: 'lease_lost' });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', lease: 'poll', reason: 'unreachable' }));
    // A lost lease is neither held over nor released: one warning, nothing thrown.
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
  });
});

describe('openCoordination', () => {
  it('keeps leases and the lock in the process for SQLite and memory stores', async () => {
    for (const url of ['memory://', 'sqlite://./never-opened.sqlite']) {
      const coordination = await openCoordination(url);
      expect(coordination.kind).toBe('local');
      expect(await coordination.lock.run('k', async () => 'ran')).toBe('ran');
      await coordination.close();
    }
  });

  it('refuses an unknown store URL with store_url_invalid', async () => {
    const error = await openCoordination('postgres://db/wirewatch').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store_url_invalid' });
  });

  it('reports an unreachable Redis as store_unavailable without the password', async () => {
    const error = await openCoordination('redis://user:secret@127.0.0.1:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WirewatchError);
    expect((error as WirewatchError).code).toBe('store_unavailable');
    expect((error as Error).message).not.toContain('secret');
    expect((error as Error).message).toContain('[redacted]');
  });

  it.skipIf(!redisUrl)('uses Redis for a redis:// store, so two replicas share its leases', async () => {
    const leasePrefix = `wirewatch:lease:test-${process.pid}-${++counter}:`;
    const one = await openCoordination(redisUrl!, { leasePrefix });
    const two = await openCoordination(redisUrl!, { leasePrefix });
    closers.push(() => one.close(), () => two.close());
    expect(one.kind).toBe('redis');
    expect(await one.leases.tryAcquire('poll', 5000)).not.toBeNull();
    expect(await two.leases.tryAcquire('poll', 5000)).toBeNull();
  });
});
