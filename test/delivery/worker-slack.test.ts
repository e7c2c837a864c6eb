/**
 * The delivery worker through Slack's bad days, with real parts: a SQLite outbox and store, the
 * real WebClient against the loopback fake, a manual clock for due times. Assertions are on what
 * the fake received and what the outbox and store hold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
