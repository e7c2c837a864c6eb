/**
 * Crash safety, as an operator would meet it: `wirewatch run` (SQLite store, Discord) is killed
 * with SIGKILL in the middle of sending a batch of 50 alerts to a fake Discord that lets only a
 * few messages through per second; started again, it sends the rest. The fake must hold each of
 * the 50 stories exactly once: queued alerts survive the kill, and the one possible repeat (sent,
 * killed before recorded) is answered by Discord's nonce check with the message already there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/service.js';
import { BASELINE_LOG, openBurstFixture, publishStories, type BurstFixture } from './burst-fixture.js';

const STORIES = 50;

let fixture: BurstFixture;

beforeAll(async () => {
  fixture = await openBurstFixture('kill');
});

afterAll(async () => {
  await fixture.close();
});

describe('SIGKILL in the middle of a batch', () => {
  it('delivers each of 50 queued alerts exactly once after a restart', async () => {
    const first = fixture.start();
    try {
      await until('the baseline poll', () => first.log.lines().some((l) => l['msg'] === BASELINE_LOG), first.log);
      publishStories(fixture.items, STORIES);
      await until('some alerts to arrive', () => fixture.links().length >= 8, first.log);
    } finally {
      first.run.child.kill('SIGKILL');
      await first.run.done;
    }
    const beforeRestart = fixture.links().length;
    expect(beforeRestart).toBeLessThan(STORIES);

    const second = fixture.start();
    try {
      await until('every alert', () => fixture.links().length >= STORIES, second.log, 40_000);
      const settled = second.log.cycles();
      await until('two more cycles', () => second.log.cycles() >= settled + 2, second.log);
    } finally {
      second.run.child.kill('SIGTERM');
      await second.run.done;
    }
    const links = fixture.links();
    expect(links).toHaveLength(STORIES);
    expect(new Set(links).size).toBe(STORIES);
    // Oldest story first: the order of publication.
    expect(links).toEqual(Array.from({ length: STORIES }, (_, i) => `https://news.example/${i + 1}`));
  }, 90_000);
});
