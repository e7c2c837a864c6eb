/**
 * The delivery worker through Slack's bad days, with real parts: a SQLite outbox and store, the
 * real WebClient against the loopback fake, a manual clock for due times. Assertions are on what
 * the fake received and what the outbox and store hold. Alerts of one event go through a worker
 * that threads them: replies under the first alert, and the first alert edited with the count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { EDIT_INTERVAL_MS } from '../../src/delivery/worker.js';
import { unsafeParts, type BlockLike } from '../chat/slack/render-fixtures.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { alertFor, openRig, POLICY, slackKey, slackSink, storyNumbers, T0, type Rig } from './worker-fixtures.js';

const A = 'C0NEWS0001';
const B = 'C0NEWS0002';
const C = 'C0NEWS0003';

let fake: FakeSlack;
let rig: Rig | undefined;
beforeEach(async () => {
  fake = await startFakeSlack();
});
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  await fake.close();
});

const isPostTo = (channel: string) => (r: FakeSlack['requests'][number]) =>
  r.path === '/api/chat.postMessage' && (r.body as { channel?: unknown } | null)?.channel === channel;
const postsTo = (channel: string) => fake.requests.filter(isPostTo(channel));
const delivered = (channel: string) => storyNumbers(fake.messages(channel).map((m) => m.text + JSON.stringify(m.blocks)));

describe('delivery worker → Slack', () => {
  it('rides out HTTP 500s: every alert delivered exactly once, oldest first, none dead', async () => {
    rig = await openRig(slackSink(fake.url));
    fake.setChannel(A, 'server_error');
    await rig.enqueue([1, 2, 3].map((n) => alertFor(slackKey(A), n)));
    let outages = 0;
    await rig.run({
      onIdle: () => {
        if (++outages === 2) fake.setChannel(A, 'ok');
      },
    });
    expect(delivered(A)).toEqual([1, 2, 3]);
    expect(postsTo(A)).toHaveLength(2 + 3);
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, claimed: 0, dead: 0 });
  });

  it('a 429 storm: every alert waits out Retry-After (due times, and arrivals on the manual clock), none is posted twice', async () => {
    rig = await openRig(slackSink(fake.url));
    const channels = [A, B, C];
    for (const channel of channels) fake.setChannel(channel, { rateLimited: { retryAfterSeconds: 30, times: 2 } });
    await rig.enqueue(channels.flatMap((channel) => [1, 2].map((n) => alertFor(slackKey(channel), n))));

    expect(await rig.worker.deliverDue()).toMatchObject({ claimed: 6, delivered: 0, retried: 3, dead: 0 });
    const waiting = await rig.outbox.list();
    expect(waiting).toHaveLength(6);
    for (const entry of waiting) expect(entry.dueAt).toBe(T0 + 30_000);
    expect(waiting.filter((e) => e.attempts === 1).every((e) => e.lastError?.code === 'delivery_rate_limited')).toBe(true);

    const times: number[] = Array<number>(fake.requests.length).fill(T0);
    await rig.run({ afterRound: (at) => void times.push(...Array<number>(fake.requests.length - times.length).fill(at)) });

    for (const channel of channels) {
      expect(delivered(channel)).toEqual([1, 2]);
      const posts = fake.requests.flatMap((r, i) => (isPostTo(channel)(r) ? [times[i]!] : []));
      expect(posts).toEqual([T0, T0 + 30_000, T0 + 60_000, T0 + 60_000]);
    }
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, claimed: 0, dead: 0 });
  });

  it('a channel that never answers: the client times out, the entry is retried, and delivered once Slack answers', async () => {
    rig = await openRig(slackSink(fake.url, { timeoutMs: 300 }));
    fake.setChannel(A, 'hang');
    await rig.enqueue([alertFor(slackKey(A), 1)]);

    expect(await rig.worker.deliverDue()).toMatchObject({ claimed: 1, delivered: 0, retried: 1 });
    const [entry] = await rig.outbox.list({ channel: slackKey(A) });
    expect(entry).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'delivery_transient', message: 'Slack did not answer in time' } });

    fake.setChannel(A, 'ok');
    await rig.run();
    expect(delivered(A)).toEqual([1]);
    expect(postsTo(A)).toHaveLength(2);
  });

  it('channel_not_found: the alert and the channel’s other queued alerts dead, the subscription paused, nothing more sent there', async () => {
    rig = await openRig(slackSink(fake.url));
    await rig.subscribe(slackKey(A));
    fake.setChannel(A, { error: 'channel_not_found' });
    await rig.enqueue([...[1, 2, 3].map((n) => alertFor(slackKey(A), n)), alertFor(slackKey(B), 1)]);

    await rig.run();
    expect(postsTo(A)).toHaveLength(1);
    expect(delivered(B)).toEqual([1]);
    expect((await rig.outbox.list({ channel: slackKey(A) })).map((e) => [e.state, e.lastError?.code])).toEqual(Array(3).fill(['dead', 'delivery_permanent']));
    expect((await rig.repositories.subscriptions.get(slackKey(A)))?.paused).toEqual({
      code: 'delivery_permanent',
      reason: 'Cannot post alerts here: the channel does not exist or the bot cannot see it (channel_not_found)',
      at: T0,
    });

    rig.clock.advance(60_000);
    await rig.enqueue([alertFor(slackKey(A), 4)]);
    await rig.run();
    expect(postsTo(A)).toHaveLength(1);
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, dead: 4 });
  });

  it('internal_error every time: dead after exactly maxAttempts posts; revive posts it again', async () => {
    rig = await openRig(slackSink(fake.url));
    fake.setChannel(A, { error: 'internal_error' });
    await rig.enqueue([alertFor(slackKey(A), 1)]);
    await rig.run();
    expect(postsTo(A)).toHaveLength(POLICY.maxAttempts);
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, dead: 1 });

    fake.setChannel(A, 'ok');
    expect(await rig.outbox.revive(rig.clock.now())).toBe(1);
    await rig.run();
    expect(delivered(A)).toEqual([1]);
    expect(postsTo(A)).toHaveLength(POLICY.maxAttempts + 1);
  });

  it.each([100, 1])('order within a channel survives a failure (batch of %i): alert 1 fails once, arrivals 1, 2, 3', async (batchSize) => {
    rig = await openRig(slackSink(fake.url), { batchSize });
    fake.setChannel(A, { error: 'internal_error', times: 1 });
    await rig.enqueue([1, 2, 3].map((n) => alertFor(slackKey(A), n)));
    await rig.run();
    expect(delivered(A)).toEqual([1, 2, 3]);
    expect(postsTo(A)).toHaveLength(4);
  });
});

const SOURCES = ['InSight Crime', 'Reuters', 'El País', 'AP'];
/** The n-th story for a channel, reported by the n-th outlet, in event `eventId`. */
function ofEvent(channel: string, n: number, eventId = 'ev-mayo', title?: string): Alert {
  const base = alertFor(channel, n);
  return {
    ...base,
    story: { ...base.story, source: SOURCES[(n - 1) % SOURCES.length]!, ...(title ? { title } : {}) },
    event: { id: eventId, because: n === 1 ? null : { score: 0.5 + n / 100, sharedTerms: ['el mayo', 'brooklyn'] } },
  };
}

const blockText = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks);

describe('delivery worker → Slack: one alert per event', () => {
  it('three outlets of one event: one alert, two replies under it with why they joined, the alert edited now and 5 minutes after the last edit', async () => {
    rig = await openRig(slackSink(fake.url), { threads: true });
    const times: number[] = [];
    const afterRound = (at: number) => void times.push(...Array<number>(fake.requests.length - times.length).fill(at));
    await rig.enqueue([1, 2].map((n) => ofEvent(slackKey(A), n)));
    await rig.run({ afterRound });

    const [first] = fake.topLevel(A);
    expect(fake.topLevel(A)).toHaveLength(1);
    expect(storyNumbers([first!.text])).toEqual([1]);
    expect(fake.editCount(A, first!.ts)).toBe(1);
    expect(first!.text).toContain('Reported by 2 outlets: InSight Crime, Reuters');
    expect(blockText(first!)).toContain('Reported by 2 outlets: InSight Crime, Reuters');

    // the third outlet a minute later: its reply at once, the edit 5 minutes after the last one
    rig.clock.advance(60_000);
    await rig.enqueue([ofEvent(slackKey(A), 3)]);
    expect(await rig.worker.deliverDue()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(fake.editCount(A, first!.ts)).toBe(1);
    const [edit] = await rig.outbox.list({ channel: slackKey(A) });
    expect(edit).toMatchObject({ storyId: 'edit:ev-mayo', dueAt: T0 + EDIT_INTERVAL_MS });
    await rig.run({ afterRound });

    const replies = fake.replies(A, first!.ts);
    expect(storyNumbers(replies.map((m) => m.text))).toEqual([2, 3]);
    for (const reply of replies) {
      expect(reply.args).toMatchObject({ thread_ts: first!.ts, reply_broadcast: 'false' });
      expect(blockText(reply)).toMatch(/Same event: shares el mayo, brooklyn \(score 0\.5\d\)/);
    }
    expect(fake.topLevel(A)).toHaveLength(1);
    expect(fake.editCount(A, first!.ts)).toBe(2);
    expect(first!.text).toContain('Reported by 3 outlets: InSight Crime, Reuters, El País');
    expect(blockText(first!)).toContain('Reported by 3 outlets: InSight Crime, Reuters, El País');
    const updateTimes = fake.requests.flatMap((r, i) => (r.path === '/api/chat.update' ? [times[i]] : []));
    expect(updateTimes).toEqual([T0, T0 + EDIT_INTERVAL_MS]);
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, claimed: 0, dead: 0 });
  });

  it('an edit of a deleted first alert is dropped: the channel not paused, its later alerts delivered', async () => {
    rig = await openRig(slackSink(fake.url), { threads: true });
    await rig.subscribe(slackKey(A));
    await rig.enqueue([1, 2].map((n) => ofEvent(slackKey(A), n)));
    // the first round posts the alert and the reply and queues the edit; the alert is deleted before it goes
    expect(await rig.worker.deliverDue()).toMatchObject({ delivered: 2 });
    const [first] = fake.topLevel(A);
    expect(fake.deleteMessage(A, first!.ts)).toBe(true);
    await rig.run();

    expect(fake.requests.filter((r) => r.path === '/api/chat.update')).toHaveLength(1);
    expect((await rig.repositories.subscriptions.get(slackKey(A)))?.paused).toBeUndefined();
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, claimed: 0, dead: 0 });

    // later alerts: another event's, and one more of the deleted alert's event (its parent gone: posted in the channel)
    rig.clock.advance(60_000);
    await rig.enqueue([ofEvent(slackKey(A), 3), ofEvent(slackKey(A), 5, 'ev-other')]);
    await rig.run();
    expect(storyNumbers(fake.topLevel(A).map((m) => m.text))).toEqual([3, 5]);
    expect((await rig.repositories.subscriptions.get(slackKey(A)))?.paused).toBeUndefined();
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, claimed: 0, dead: 0 });

    // Story 3 is the event's first alert now: the next story of the event is a reply under it, not under the deleted one.
    const [rerooted] = fake.topLevel(A);
    rig.clock.advance(60_000);
    await rig.enqueue([ofEvent(slackKey(A), 4)]);
    await rig.run();
    expect(storyNumbers(fake.replies(A, rerooted!.ts).map((m) => m.text))).toEqual([4]);
    expect(storyNumbers(fake.topLevel(A).map((m) => m.text))).toEqual([3, 5]);
  });

  it('an edit that fails for a while is retried alone: the channel’s alerts go on meanwhile', async () => {
    rig = await openRig(slackSink(fake.url), { threads: true });
    fake.setChannel(A, { error: 'internal_error', times: 2 }, 'chat.update');
    await rig.enqueue([1, 2].map((n) => ofEvent(slackKey(A), n)));
    expect(await rig.worker.deliverDue()).toMatchObject({ delivered: 2 });
    expect(await rig.worker.deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
    await rig.enqueue([ofEvent(slackKey(A), 7, 'ev-other')]);
    expect(await rig.worker.deliverDue()).toMatchObject({ claimed: 1, delivered: 1 });
    await rig.run();

    const [first] = fake.topLevel(A);
    expect(storyNumbers(fake.topLevel(A).map((m) => m.text))).toEqual([1, 7]);
    expect(fake.editCount(A, first!.ts)).toBe(1);
    expect(first!.text).toContain('Reported by 2 outlets');
    expect(fake.requests.filter((r) => r.path === '/api/chat.update')).toHaveLength(3);
  });

  it('pings and & in titles and outlet names are escaped in replies and edits', async () => {
    rig = await openRig(slackSink(fake.url), { threads: true });
    const hostile = (n: number) => ofEvent(slackKey(A), n, 'ev-mayo', `Story ${n} for <!channel> <!everyone> <@U123> & co`);
    const alerts = [1, 2, 3].map(hostile);
    alerts[1] = { ...alerts[1]!, story: { ...alerts[1]!.story, source: '<!here> Wire & <@U123>' } };
    await rig.enqueue(alerts);
    await rig.run();

    const [first] = fake.topLevel(A);
    const replies = fake.replies(A, first!.ts);
    expect(replies).toHaveLength(2);
    expect(fake.editCount(A, first!.ts)).toBe(1);
    for (const message of [first!, ...replies]) {
      const wire = blockText(message) + message.text;
      expect(wire).not.toMatch(/<!(channel|here|everyone)|<@U123/);
      expect(wire).toContain('&lt;!channel&gt; &lt;!everyone&gt; &lt;@U123&gt; &amp; co');
      expect(unsafeParts(message.blocks as BlockLike[], message.text)).toEqual([]);
    }
    expect(first!.text).toContain('Reported by 3 outlets: InSight Crime, &lt;!here&gt; Wire &amp; &lt;@U123&gt;, El País');
  });
});
