/**
 * The limiter the fetcher and the poll cycle share: a global bound, a bound per host, host slot
 * first, first come first served, and a failed task's slots given back.
 */
import { describe, expect, it } from 'vitest';
import { hostLimits } from '../../../src/feeds/fetch/host-limits.js';

/** A task that runs until released, recording when it started. */
function heldTask(log: string[], name: string) {
  let release!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  return {
    run: () => {
      log.push(name);
      return done;
    },
    release: () => release(name),
    fail: (error: Error) => fail(error),
  };
}

/** Lets every queued promise continuation run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('hostLimits', () => {
  it.each([
    { global: 2, perHost: 2, hosts: ['a', 'a', 'a', 'b', 'b'], startedFirst: ['a1', 'a2'] },
    { global: 3, perHost: 1, hosts: ['a', 'a', 'b', 'c', 'c'], startedFirst: ['a1', 'b3', 'c4'] },
    { global: 4, perHost: 2, hosts: ['a', 'a', 'a', 'b', 'b', 'b'], startedFirst: ['a1', 'a2', 'b4', 'b5'] },
  ])('runs at most $global at once and $perHost per host: $startedFirst first', async ({ global, perHost, hosts, startedFirst }) => {
    const limited = hostLimits(global, perHost);
    const started: string[] = [];
    const tasks = hosts.map((host, index) => ({ host, ...heldTask(started, `${host}${index + 1}`) }));
    const results = tasks.map((task) => limited(task.host, task.run));
    await settle();
    expect(started).toEqual(startedFirst);
    // Release what runs until everything has: each task still runs, once.
    for (let round = 0; round < tasks.length; round++) {
      for (const [index, task] of tasks.entries()) if (started.includes(`${task.host}${index + 1}`)) task.release();
      await settle();
    }
    expect(await Promise.all(results)).toEqual(tasks.map((task, index) => `${task.host}${index + 1}`));
    expect(started.sort()).toEqual(tasks.map((task, index) => `${task.host}${index + 1}`).sort());
  });

  it('never has more running than either bound allows', async () => {
    const limited = hostLimits(3, 2);
    let running = 0;
    let peak = 0;
    const perHost = new Map<string, number>();
    let peakPerHost = 0;
    const task = (host: string) => async () => {
      running++;
      perHost.set(host, (perHost.get(host) ?? 0) + 1);
      peak = Math.max(peak, running);
      peakPerHost = Math.max(peakPerHost, perHost.get(host)!);
      await settle();
      running--;
      perHost.set(host, perHost.get(host)! - 1);
    };
    await Promise.all(Array.from({ length: 60 }, (_, index) => limited(`h${index % 2}`, task(`h${index % 2}`))));
    expect(peak).toBe(3);
    expect(peakPerHost).toBe(2);
  });

  it('a task queued behind its own busy host holds no global slot', async () => {
    const limited = hostLimits(2, 1);
    const started: string[] = [];
    const a1 = heldTask(started, 'a1');
    const a2 = heldTask(started, 'a2');
    const b1 = heldTask(started, 'b1');
    const results = [limited('a', a1.run), limited('a', a2.run), limited('b', b1.run)];
    await settle();
    expect(started).toEqual(['a1', 'b1']);
    a1.release();
    await settle();
    expect(started).toEqual(['a1', 'b1', 'a2']);
    a2.release();
    b1.release();
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'b1']);
  });

  it('serves one host’s waiting tasks first come, first served', async () => {
    const limited = hostLimits(10, 1);
    const started: string[] = [];
    const tasks = ['t1', 't2', 't3'].map((name) => heldTask(started, name));
    const results = tasks.map((task) => limited('a', task.run));
    await settle();
    tasks[0]!.release();
    const late = heldTask(started, 'late');
    results.push(limited('a', late.run));
    await settle();
    tasks[1]!.release();
    await settle();
    tasks[2]!.release();
    await settle();
    late.release();
    await Promise.all(results);
    expect(started).toEqual(['t1', 't2', 't3', 'late']);
  });

  it('hands a freed slot to the task waiting for it, not to one that arrives in between', async () => {
    const limited = hostLimits(1, 10);
    const started: string[] = [];
    const first = heldTask(started, 'first');
    const waiting = heldTask(started, 'waiting');
    const newcomer = heldTask(started, 'newcomer');
    const results = [limited('a', first.run), limited('b', waiting.run)];
    await settle();
    expect(started).toEqual(['first']);
    // The newcomer asks in the microtask right after the one that frees the slot, before the
    // waiting task has resumed: a limiter that freed the slot and then woke the waiter would let
    // the newcomer take it.
    first.release();
    queueMicrotask(() => results.push(limited('c', newcomer.run)));
    await settle();
    expect(started).toEqual(['first', 'waiting']);
    waiting.release();
    await settle();
    newcomer.release();
    expect(await Promise.all(results)).toEqual(['first', 'waiting', 'newcomer']);
  });

  it('a failing task rejects with its own error and gives its slots back', async () => {
    const limited = hostLimits(1, 1);
    const started: string[] = [];
    const failing = heldTask(started, 'failing');
    const next = heldTask(started, 'next');
    const first = limited('a', failing.run);
    const second = limited('b', next.run);
    await settle();
    expect(started).toEqual(['failing']);
    failing.fail(new Error('feed broke'));
    await expect(first).rejects.toThrow('feed broke');
    await settle();
    expect(started).toEqual(['failing', 'next']);
    next.release();
    expect(await second).toBe('next');
  });

  it('a task that throws before returning a promise also gives its slots back', async () => {
    const limited = hostLimits(1, 1);
    await expect(limited('a', () => { throw new Error('sync failure'); })).rejects.toThrow('sync failure');
    expect(await limited('a', () => Promise.resolve('after'))).toBe('after');
  });

  it('refuses a limit below one', () => {
    expect(() => hostLimits(0, 1)).toThrow(RangeError);
    expect(() => hostLimits(1, 0)).toThrow(RangeError);
  });
});
