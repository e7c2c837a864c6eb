/**
 * A queued entry the worker cannot read costs that entry alone: dead at once, and the channel's
 * other alerts are sent in the same round. A channel no sink here serves waits, never dead.
 */
import { describe, expect, it } from 'vitest';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import { createRoutingSink, type AlertSink } from '../../src/delivery/sink.js';
import { createMemoryOutbox } from '../../src/outbox/index.js';
import { openStore, createRepositories } from '../../src/store/index.js';
import { manualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { testStory } from '../helpers/stories.js';
import { dedupeKeys, type Alert } from '../../src/alerts/alert.js';
import { isRollUp, type RollUp } from '../../src/alerts/rollup.js';
import { rollUpOf } from '../helpers/rollups.js';
import { openRig } from './worker-fixtures.js';

const T0 = Date.UTC(2026, 11, 1, 12);
const alert = (channel: string, id: string): Alert => ({
  channel, story: testStory({ id, link: `https://news.example/${id}` }), watchlists: [{ id: 'w', name: 'W' }], matches: [], summary: '', summaryHighlights: [],
});

async function setUp(sink: AlertSink) {
  const clock = manualClock(T0);
  const outbox = createMemoryOutbox();
  const repositories = createRepositories(await openStore('memory://'), { seenTtlMs: 86_400_000, deliveryTtlMs: 86_400_000 });
  const worker = createDeliveryWorker({ outbox, sink, repositories, clock, logger: silentLogger(), policy: { maxAttempts: 2, baseBackoffMs: 1000, maxBackoffMs: 1000 } });
  return { outbox, worker, clock };
}

describe('delivery worker and payloads', () => {
  it('buries an entry it cannot read and sends the channel’s others in the same round', async () => {
    const sent: string[] = [];
    const { outbox, worker } = await setUp({ name: 'record', deliver: async (p) => void sent.push((p as Alert).story.id) });
    await outbox.enqueue(
      [
        { channel: 'console', storyId: 'bad', order: 1, payload: { nonsense: true }, dueAt: T0 },
        { channel: 'console', storyId: 'good', order: 2, payload: alert('console', 'good'), dueAt: T0 },
      ],
      T0,
    );
    const round = await worker.deliverDue();
    expect(round).toMatchObject({ delivered: 1, dead: 1 });
    expect(sent).toEqual(['good']);
    expect(await outbox.list({ state: 'dead' })).toMatchObject([{ storyId: 'bad' }]);
  });

  it('keeps an alert for a platform this process has no token for waiting, however often it is tried', async () => {
    const { outbox, worker, clock } = await setUp(createRoutingSink([]));
    await outbox.enqueue([{ channel: 'slack:T1:C1', storyId: 's', order: 1, payload: alert('slack:T1:C1', 's'), dueAt: T0 }], T0);
    for (let i = 0; i < 5; i++) {
      await worker.deliverDue();
      clock.advance(10 * 60_000);
    }
    expect(await outbox.list()).toMatchObject([{ state: 'pending', lastError: { code: 'delivery_rate_limited' } }]);
  });

  it('sends a roll-up less the stories the channel already had, read from a real SQLite store in one go', async () => {
    const sent: RollUp[] = [];
    const rig = await openRig({ name: 'record', deliver: async (payload) => void (isRollUp(payload) && sent.push(payload)) });
    try {
      const rollUp = rollUpOf('console', 300);
      // Every third story reached the channel on its own before.
      for (const [index, story] of rollUp.stories.entries()) {
        if (index % 3 === 0) await rig.repositories.deliveries.record('console', dedupeKeys(story), { deliveredAt: T0, storyId: story.id, feedId: 'feed0', watchlists: ['tariffs'] });
      }
      await rig.outbox.enqueue([{ channel: 'console', storyId: 'rollup', order: 1, payload: rollUp, dueAt: rig.clock.now() }], rig.clock.now());
      await rig.run();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.stories.map((story) => story.id)).toEqual(rollUp.stories.filter((_, index) => index % 3 !== 0).map((story) => story.id));
      // The 200 it sent are recorded too, their writes issued together.
      const recorded = await rig.repositories.deliveries.deliveredEach(rollUp.stories.map((story) => ({ channel: 'console', dedupeKeys: dedupeKeys(story) })));
      expect(recorded.filter((delivered) => !delivered)).toEqual([]);
      expect(await rig.outbox.list()).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});

