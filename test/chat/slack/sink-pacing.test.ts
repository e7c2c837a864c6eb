/** The per-channel gate on its own, with a clock the test moves: which post waits how long. */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/clock.js';
import { createChannelPacer } from '../../../src/chat/slack/pacing.js';

function pacedWorld() {
  const clock = manualClock(1_000_000);
  const sleeps: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    clock.advance(ms);
    return Promise.resolve();
  };
  const pacer = createChannelPacer({ intervalMs: 1000, clock, sleep });
  const posts: { channel: string; at: number }[] = [];
  const post = (channel: string, work = 0) =>
    pacer.run(channel, async (slot) => {
      await slot();
      posts.push({ channel, at: clock.now() });
      clock.advance(work);
    });
  return { clock, sleeps, pacer, posts, post };
}

describe('per-channel pacing', () => {
  it('spaces posts to one channel 1 s apart, counted from when each began', async () => {
    const { posts, post, sleeps } = pacedWorld();
    await Promise.all([post('C1', 300), post('C1', 300), post('C1', 1500), post('C1')]);
    expect(posts.map((p) => p.at - 1_000_000)).toEqual([0, 1000, 2000, 3500]);
    // a post that took longer than the interval leaves nothing to wait for
    expect(sleeps).toEqual([700, 700]);
  });

  it('lets other channels go without waiting', async () => {
    const { posts, post } = pacedWorld();
    await Promise.all([post('C1'), post('C1'), post('C2'), post('C3')]);
    const at = Object.fromEntries(posts.map((p) => [p.channel, p.at - 1_000_000]));
    expect(posts.filter((p) => p.channel !== 'C1').map((p) => p.at - 1_000_000)).toEqual([0, 0]);
    expect(at.C1).toBe(1000);
  });

  it('waits nothing when the last post is long past, and keeps going after a failed task', async () => {
    const { clock, pacer, posts, post, sleeps } = pacedWorld();
    await post('C1');
    clock.advance(5000);
    await expect(
      pacer.run('C1', async (slot) => {
        await slot();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await post('C1');
    expect(posts).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('counts every post of a task: a second post in the same task waits its second too', async () => {
    const { pacer, clock, sleeps } = pacedWorld();
    const times: number[] = [];
    await pacer.run('C1', async (slot) => {
      await slot();
      times.push(clock.now());
      await slot();
      times.push(clock.now());
    });
    expect(times[1]! - times[0]!).toBe(1000);
    expect(sleeps).toEqual([1000]);
  });
});
