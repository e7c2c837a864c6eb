/** The per-channel gate on its own, with a clock the test moves: which post waits how long. */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/clock.js';
import { createChannelPacer } from '../../../src/chat/slack/pacing.js';

const T0 = 1_000_000;

function pacedWorld() {
  const clock = manualClock(T0);
  const sleeps: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    clock.advance(ms);
    return Promise.resolve();
  };
  const pacer = createChannelPacer({ intervalMs: 1000, clock, sleep });
  const posts: { channel: string; at: number }[] = [];
  /** One post to `channel` that Slack takes `answerMs` to answer. */
  const post = (channel: string, answerMs = 0) =>
    pacer.run(channel, (paced) =>
      paced(() => {
        posts.push({ channel, at: clock.now() - T0 });
        clock.advance(answerMs);
        return Promise.resolve();
      }),
    );
  return { clock, sleeps, pacer, posts, post };
}

describe('per-channel pacing', () => {
  it('sends each post to a channel 1 s after the previous one was answered', async () => {
    const { posts, post, sleeps } = pacedWorld();
    await Promise.all([post('C1', 300), post('C1', 300), post('C1', 1500), post('C1')]);
    expect(posts.map((p) => p.at)).toEqual([0, 1300, 2600, 5100]);
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it('lets other channels go without waiting', async () => {
    const { posts, post } = pacedWorld();
    await Promise.all([post('C1'), post('C1'), post('C2'), post('C3')]);
    expect(posts.filter((p) => p.channel !== 'C1').map((p) => p.at)).toEqual([0, 0]);
    expect(posts.filter((p) => p.channel === 'C1').map((p) => p.at)).toEqual([0, 1000]);
  });

  it('waits nothing when the last post is long past, and keeps the channel going after a failed post', async () => {
    const { clock, pacer, posts, post, sleeps } = pacedWorld();
    await post('C1');
    clock.advance(5000);
    await expect(pacer.run('C1', (paced) => paced(() => Promise.reject(new Error('refused'))))).rejects.toThrow('refused');
    await post('C1');
    expect(posts.map((p) => p.at)).toEqual([0, 6000]);
    // the failed post counted: the one after it waited its second
    expect(sleeps).toEqual([1000]);
  });

  it('paces every post of a task: a second post in the same task waits its second too', async () => {
    const { pacer, clock, sleeps } = pacedWorld();
    const times: number[] = [];
    await pacer.run('C1', async (paced) => {
      await paced(() => Promise.resolve(times.push(clock.now())));
      await paced(() => Promise.resolve(times.push(clock.now())));
    });
    expect(times[1]! - times[0]!).toBe(1000);
    expect(sleeps).toEqual([1000]);
  });
});
