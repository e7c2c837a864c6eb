/**
 * Graceful shutdown, as a container runtime asks for it: SIGTERM in the middle of sending a batch
 * of 50 alerts to a fake Discord that lets only a few messages through per second. The service
 * must exit 0 within SHUTDOWN_TIMEOUT, leave nothing claimed (the unsent alerts back to pending,
 * due now), and a second start must send exactly the rest: each story once, oldest first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/service.js';
import { openOutbox } from '../../src/outbox/index.js';
import { BASELINE_LOG, openBurstFixture, publishStories, type BurstFixture } from './burst-fixture.js';

const STORIES = 50;
const SHUTDOWN_MS = 3000;

let fixture: BurstFixture;

beforeAll(async () => {
  fixture = await openBurstFixture('sigterm');
});

afterAll(async () => {
  await fixture.close();
});

describe('SIGTERM in the middle of a batch', () => {
  it('exits 0 within the deadline with nothing claimed, and the next start sends exactly the rest', async () => {
    const first = fixture.start({ SHUTDOWN_TIMEOUT: `${SHUTDOWN_MS}ms` });
    let exitedAfterMs = 0;
    try {
      await until('the baseline poll', () => first.log.lines().some((l) => l['msg'] === BASELINE_LOG), first.log);
      publishStories(fixture.items, STORIES);
      await until('some alerts to arrive', () => fixture.links().length >= 8, first.log);
    } finally {
      const signalled = Date.now();
      first.run.child.kill('SIGTERM');
      const result = await first.run.done;
      exitedAfterMs = Date.now() - signalled;
      expect(result.code).toBe(0);
    }
    expect(exitedAfterMs).toBeLessThan(SHUTDOWN_MS + 2000);
    expect(first.log.lines().some((l) => l['msg'] === 'stopped')).toBe(true);
    const sentBeforeStop = fixture.links().length;
    expect(sentBeforeStop).toBeLessThan(STORIES);

    // Nothing left claimed: what was not sent is pending and due, for the next start or another replica.
    const outbox = await openOutbox(fixture.storeUrl);
    const stats = await outbox.stats();
    await outbox.close();
    expect(stats).toMatchObject({ claimed: 0, dead: 0, pending: STORIES - sentBeforeStop });
    expect(stats.oldestDueAt).toBeLessThanOrEqual(Date.now());

    const second = fixture.start({ SHUTDOWN_TIMEOUT: `${SHUTDOWN_MS}ms` });
    try {
      await until('every alert', () => fixture.links().length >= STORIES, second.log, 40_000);
      const settled = second.log.cycles();
      await until('two more cycles', () => second.log.cycles() >= settled + 2, second.log);
      // Given back, not left to lapse: the second start had no claims to release.
      expect(second.log.lines().some((l) => l['msg'] === 'alerts a previous run had claimed are due again')).toBe(false);
    } finally {
      second.run.child.kill('SIGTERM');
      expect((await second.run.done).code).toBe(0);
    }
    expect(fixture.links()).toEqual(Array.from({ length: STORIES }, (_, i) => `https://news.example/${i + 1}`));
  }, 90_000);
});
