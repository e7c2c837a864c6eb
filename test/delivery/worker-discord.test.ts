/**
 * The delivery worker through Discord's bad days, with real parts: a SQLite outbox and store, the
 * real REST client against the loopback fake, a manual clock for due times. What is asserted is
 * what the fake received (messages, requests per channel) and what the outbox and store hold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dedupeKeys, type Alert } from '../../src/alerts/alert.js';
import { EDIT_INTERVAL_MS } from '../../src/delivery/worker.js';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../fakes/fake-discord.js';
import { alertFor, discordKey, discordSink, openRig, POLICY, storyNumbers, T0, type Rig } from './worker-fixtures.js';

const A = '234567890123456781';
const B = '234567890123456782';
const C = '234567890123456783';

let fake: FakeDiscord;
let rig: Rig | undefined;
beforeEach(async () => {
  fake = await startFakeDiscord({ bucketLimit: 1000 });
});
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  await fake.close();
});

const postsTo = (channelId: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${channelId}/messages`);
const delivered = (channelId: string) => storyNumbers(fake.messages(channelId).map((m) => JSON.stringify(m.embeds)));

/** The manual time each request reached the fake at (requests of a round arrive during that round). */
function arrivalClock(): { times: number[]; afterRound: (at: number) => void } {
  const times: number[] = [];
  return { times, afterRound: (at) => void times.push(...Array<number>(fake.requests.length - times.length).fill(at)) };
}

describe('delivery worker → Discord', () => {
  it('rides out a run of 500s: every alert delivered exactly once, oldest first, attempts recorded, none dead', async () => {
    rig = await openRig(discordSink(fake.url));
    fake.setChannel(A, 'server_error');
    const alerts = [1, 2, 3].map((n) => alertFor(discordKey(A), n));
    await rig.enqueue([...alerts, ...[1, 2].map((n) => alertFor(discordKey(B), n))]);

    const first = await rig.worker.deliverDue();
    expect(first).toMatchObject({ claimed: 5, delivered: 2, retried: 1, dead: 0 });
    const waiting = await rig.outbox.list({ channel: discordKey(A) });
    expect(waiting.map((e) => [e.storyId, e.attempts, e.state])).toEqual(alerts.map((a, i) => [a.story.id, i === 0 ? 1 : 0, 'pending']));
    expect(waiting[0]!.lastError).toMatchObject({ code: 'delivery_transient', message: 'Discord answered 500' });
    // the first retry waits base · 2^0 · (0.5 + 0.5/2)
    expect(waiting.map((e) => e.dueAt)).toEqual([T0 + 7500, T0 + 7500, T0 + 7500]);

    let outages = 0;
    await rig.run({
      onIdle: () => {
        if (++outages === 2) fake.setChannel(A, 'ok');
      },
    });

    expect(delivered(A)).toEqual([1, 2, 3]);
    expect(delivered(B)).toEqual([1, 2]);
    // one refused post per failed round (1 in the first, 1 more after the first backoff), then the three
    expect(postsTo(A)).toHaveLength(2 + 3);
    expect(await rig.outbox.stats()).toEqual({ pending: 0, claimed: 0, dead: 0, oldestDueAt: null });
    for (const alert of alerts) expect(await rig.repositories.deliveries.delivered(discordKey(A), dedupeKeys(alert.story))).toBe(true);
    expect((await rig.repositories.subscriptions.get(discordKey(A)))?.paused ?? null).toBeNull();
  });

  it('a 429 storm: every alert waits out its Retry-After (due times and arrivals), none is posted twice', async () => {
    rig = await openRig(discordSink(fake.url));
    const channels = [A, B, C];
    for (const channel of channels) fake.setChannel(channel, { rateLimited: { retryAfterSeconds: 0.3, times: 2 } });
    await rig.enqueue(channels.flatMap((channel) => [1, 2].map((n) => alertFor(discordKey(channel), n))));

    await rig.worker.deliverDue();
    // Retry-After 0.3 s plus the client's 50 ms offset, counted from the round's time
    for (const entry of await rig.outbox.list()) expect(entry.dueAt).toBeGreaterThanOrEqual(T0 + 300);

    const arrivals = arrivalClock();
    arrivals.afterRound(T0);
    // The REST client also remembers the bucket in real time: a send before it resets is refused
    // locally (no request), and retried after the wait it reports. Give real time a moment to pass.
    await rig.run({ afterRound: arrivals.afterRound, onIdle: () => new Promise((r) => setTimeout(r, 40)) });

    for (const channel of channels) {
      expect(delivered(channel)).toEqual([1, 2]);
      const posts = fake.requests.flatMap((r, i) => (r.path === `/api/v10/channels/${channel}/messages` ? [arrivals.times[i]!] : []));
      // two 429s, then the two alerts: nothing posted twice
      expect(posts).toHaveLength(4);
      expect(posts[1]! - posts[0]!).toBeGreaterThanOrEqual(300);
      expect(posts[2]! - posts[1]!).toBeGreaterThanOrEqual(300);
    }
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, claimed: 0, dead: 0 });
  });

  it('a channel that never answers: the client times out, the entry is retried, and delivered once Discord answers', async () => {
    rig = await openRig(discordSink(fake.url, { timeoutMs: 300 }));
    fake.setChannel(A, 'hang');
    await rig.enqueue([alertFor(discordKey(A), 1)]);

    expect(await rig.worker.deliverDue()).toMatchObject({ claimed: 1, delivered: 0, retried: 1 });
    const [entry] = await rig.outbox.list({ channel: discordKey(A) });
    expect(entry).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'delivery_transient', message: 'Discord did not answer in time' } });
    expect(entry!.dueAt).toBeGreaterThan(T0);

    fake.setChannel(A, 'ok');
    await rig.run();
    expect(delivered(A)).toEqual([1]);
    expect(postsTo(A)).toHaveLength(2);
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('403 Missing Access: the alert and the channel’s other queued alerts dead, the subscription paused, nothing more sent there', async () => {
    rig = await openRig(discordSink(fake.url));
    await rig.subscribe(discordKey(A));
    fake.setChannel(A, 'missing_access');
    await rig.enqueue([...[1, 2, 3].map((n) => alertFor(discordKey(A), n)), alertFor(discordKey(B), 1)]);

    await rig.run();
    expect(postsTo(A)).toHaveLength(1);
    expect(delivered(B)).toEqual([1]);
    const dead = await rig.outbox.list({ channel: discordKey(A) });
    expect(dead.map((e) => e.state)).toEqual(['dead', 'dead', 'dead']);
    expect(dead.every((e) => e.lastError?.message.includes('Missing Access'))).toBe(true);
    const subscription = await rig.repositories.subscriptions.get(discordKey(A));
    expect(subscription?.paused).toEqual({ code: 'delivery_permanent', reason: 'Cannot post alerts here: the bot cannot see this channel (Missing Access)', at: T0 });

    // An alert queued for the channel after the pause (a poll planned before it) is not sent either.
    rig.clock.advance(60_000);
    await rig.enqueue([alertFor(discordKey(A), 4)]);
    await rig.run();
    expect(postsTo(A)).toHaveLength(1);
    expect((await rig.outbox.list({ channel: discordKey(A) })).map((e) => e.state)).toEqual(['dead', 'dead', 'dead', 'dead']);
  });

  it('a channel failing every time is dead after exactly maxAttempts sends; revive sends it again', async () => {
    rig = await openRig(discordSink(fake.url));
    fake.setChannel(A, 'server_error');
    await rig.enqueue([alertFor(discordKey(A), 1)]);

    await rig.run();
    expect(postsTo(A)).toHaveLength(POLICY.maxAttempts);
    const [entry] = await rig.outbox.list({ channel: discordKey(A) });
    expect(entry).toMatchObject({ state: 'dead', attempts: POLICY.maxAttempts, lastError: { code: 'delivery_transient' } });
    rig.clock.advance(3_600_000);
    await rig.run();
    expect(postsTo(A)).toHaveLength(POLICY.maxAttempts);

    fake.setChannel(A, 'ok');
    expect(await rig.outbox.revive(rig.clock.now())).toBe(1);
    await rig.run();
    expect(postsTo(A)).toHaveLength(POLICY.maxAttempts + 1);
    expect(delivered(A)).toEqual([1]);
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, dead: 0 });
  });

  it.each([
    ['in one claim', 100],
    ['one claim at a time', 1],
  ])('order within a channel survives a failure (%s): alert 1 fails once, 2 and 3 wait, arrivals 1, 2, 3', async (_label, batchSize) => {
    rig = await openRig(discordSink(fake.url), { batchSize });
    fake.setChannel(A, 'server_error');
    await rig.enqueue([1, 2, 3].map((n) => alertFor(discordKey(A), n)));
    // Discord recovers right after the first refusal: only alert 1's backoff stands in the way.
    await rig.run({ afterRound: () => fake.setChannel(A, 'ok') });
    expect(delivered(A)).toEqual([1, 2, 3]);
    expect(postsTo(A)).toHaveLength(4);
    expect(rig.rounds[0]!.round).toMatchObject({ claimed: batchSize === 1 ? 1 : 3, retried: 1 });
  });
});

const OUTLETS = ['InSight Crime', 'Reuters', 'AP', 'El Universal'];
const MENTIONS = '@everyone <@123456789012345678> @here';

/** The n-th story of an event for a channel, from the n-th outlet; the first opened the event, the others joined it. */
function eventAlert(channelId: string, n: number, options: { event?: string; title?: string } = {}): Alert {
  const alert = alertFor(discordKey(channelId), n);
  return {
    ...alert,
    story: { ...alert.story, source: OUTLETS[n - 1] ?? `Outlet ${n}`, ...(options.title ? { title: options.title } : {}) },
    event: { id: options.event ?? 'ev-1', because: n === 1 ? null : { score: 0.8, sharedTerms: ['zambada', 'brooklyn'] } },
  };
}

const embedOf = (message: FakeMessage) => message.embeds[0] as { title?: string; description?: string; fields?: { name: string; value: string }[] };
const coverage = (message: FakeMessage | undefined) => (message ? embedOf(message).fields?.find((f) => f.name === 'Coverage')?.value : undefined);
const threadStarts = () => fake.requests.filter((r) => r.method === 'POST' && /\/messages\/\d+\/threads$/.test(r.path));
const patches = () => fake.requests.filter((r) => r.method === 'PATCH');
const numbers = (messages: FakeMessage[]) => storyNumbers(messages.map((m) => JSON.stringify(m.embeds)));

describe('delivery worker → Discord: one alert per event', () => {
  it('three outlets: one channel message, a thread from it with two follow-ups saying why they joined, the first edited at once and again 5 minutes later', async () => {
    rig = await openRig(discordSink(fake.url), { threads: true });
    const arrivals = arrivalClock();
    await rig.enqueue([1, 2].map((n) => eventAlert(A, n)));
    await rig.run({ afterRound: arrivals.afterRound });

    const [first] = fake.messages(A);
    expect(delivered(A)).toEqual([1]);
    expect(fake.threads(A)).toEqual([expect.objectContaining({ id: first!.id, name: 'Also reported: Story 2 for discord:123456789012345678:234567890123456781', auto_archive_duration: 1440 })]);
    expect(numbers(fake.messages(first!.id))).toEqual([2]);
    expect(fake.editCount(first!.id)).toBe(1);
    expect(coverage(fake.message(A, first!.id))).toBe('Reported by 2 outlets: InSight Crime, Reuters');

    await rig.enqueue([eventAlert(A, 3)]);
    await rig.run({ afterRound: arrivals.afterRound });

    expect(fake.messages(A)).toHaveLength(1);
    const followUps = fake.messages(first!.id);
    expect(numbers(followUps)).toEqual([2, 3]);
    for (const message of followUps) expect(embedOf(message).description).toContain('Same event: shares zambada, brooklyn \\(score 0.80\\)');
    expect(threadStarts()).toHaveLength(1);
    expect(fake.editCount(first!.id)).toBe(2);
    expect(coverage(fake.message(A, first!.id))).toBe('Reported by 3 outlets: InSight Crime, Reuters, AP');
    expect(embedOf(fake.message(A, first!.id)!).title).toBe(embedOf(first!).title);
    // the second edit waited EDIT_INTERVAL_MS after the first
    const patchTimes = fake.requests.flatMap((r, i) => (r.method === 'PATCH' ? [arrivals.times[i]] : []));
    expect(patchTimes).toEqual([T0, T0 + EDIT_INTERVAL_MS]);
    expect(await rig.outbox.stats()).toEqual({ pending: 0, claimed: 0, dead: 0, oldestDueAt: null });
  });

  it('threads refused (403 Missing Permissions): follow-ups are replies to the first alert, one thread start tried, the channel not paused', async () => {
    rig = await openRig(discordSink(fake.url), { threads: true });
    await rig.subscribe(discordKey(A));
    fake.setThreads(A, 'missing_permissions');
    await rig.enqueue([1, 2, 3].map((n) => eventAlert(A, n)));
    await rig.run();

    const [first, ...replies] = fake.messages(A);
    expect(numbers([first!, ...replies])).toEqual([1, 2, 3]);
    for (const reply of replies) {
      expect(reply).toMatchObject({ type: 19, message_reference: { message_id: first!.id, channel_id: A }, allowed_mentions: { parse: [] } });
      expect(embedOf(reply).description).toContain('Same event');
    }
    expect(threadStarts()).toHaveLength(1);
    expect(fake.threads(A)).toEqual([]);
    expect(coverage(fake.message(A, first!.id))).toBe('Reported by 3 outlets: InSight Crime, Reuters, AP');
    expect((await rig.repositories.subscriptions.get(discordKey(A)))?.paused ?? null).toBeNull();
  });

  it('a thread started but not recorded (the post in it failed): the retry finds it (160004) and posts there, one thread, one follow-up', async () => {
    rig = await openRig(discordSink(fake.url), { threads: true });
    await rig.enqueue([eventAlert(A, 1)]);
    await rig.run();
    const [first] = fake.messages(A);
    // The thread started from the first alert will have its id: it fails once.
    fake.setChannel(first!.id, 'server_error');
    await rig.enqueue([eventAlert(A, 2)]);
    await rig.run({ onIdle: () => fake.setChannel(first!.id, 'ok') });

    expect(threadStarts()).toHaveLength(2);
    expect(fake.threads(A)).toHaveLength(1);
    expect(numbers(fake.messages(first!.id))).toEqual([2]);
    expect(fake.messages(A)).toHaveLength(1);
    expect(await rig.outbox.stats()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('the first alert deleted: its edit (404 Unknown Message) dropped, the channel not paused, the next alerts delivered', async () => {
    rig = await openRig(discordSink(fake.url), { threads: true });
    await rig.subscribe(discordKey(A));
    await rig.enqueue([eventAlert(A, 1)]);
    await rig.run();
    const [first] = fake.messages(A);
    fake.deleteMessage(A, first!.id);

    await rig.enqueue([eventAlert(A, 2), eventAlert(A, 3, { event: 'ev-2' })]);
    await rig.run();

    expect(patches()).toHaveLength(1);
    expect(fake.editCount(first!.id)).toBe(0);
    // the follow-up could not hang under a message that is gone: posted in the channel
    expect(numbers(fake.messages(A))).toEqual([2, 3]);
    expect((await rig.repositories.subscriptions.get(discordKey(A)))?.paused ?? null).toBeNull();
    expect(await rig.outbox.stats()).toEqual({ pending: 0, claimed: 0, dead: 0, oldestDueAt: null });

    await rig.enqueue([eventAlert(A, 4, { event: 'ev-3' })]);
    await rig.run();
    expect(numbers(fake.messages(A))).toEqual([2, 3, 4]);
  });

  it('a thread archived and locked: the follow-up replies instead, later ones too, the channel not paused', async () => {
    rig = await openRig(discordSink(fake.url), { threads: true });
    await rig.subscribe(discordKey(A));
    await rig.enqueue([1, 2].map((n) => eventAlert(A, n)));
    await rig.run();
    const [first] = fake.messages(A);
    fake.setThread(first!.id, 'archived_locked');
    rig.clock.advance(EDIT_INTERVAL_MS);
    await rig.enqueue([3, 4].map((n) => eventAlert(A, n)));
    await rig.run();

    expect(numbers(fake.messages(first!.id))).toEqual([2]);
    const replies = fake.messages(A).slice(1);
    expect(numbers(replies)).toEqual([3, 4]);
    for (const reply of replies) expect(reply.message_reference).toEqual({ message_id: first!.id, channel_id: A });
    // 3 tried the thread and replied; 4 went straight to a reply
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${first!.id}/messages`)).toHaveLength(2);
    expect(threadStarts()).toHaveLength(1);
    expect((await rig.repositories.subscriptions.get(discordKey(A)))?.paused ?? null).toBeNull();
  });

  it('mentions in story titles stay inert in the thread’s name, its messages and the edits', async () => {
    rig = await openRig(discordSink(fake.url), { threads: true });
    await rig.enqueue([1, 2, 3].map((n) => eventAlert(A, n, { title: `Story ${n} for ${MENTIONS}` })));
    await rig.run();

    const [first] = fake.messages(A);
    const followUps = fake.messages(first!.id);
    expect(numbers(followUps)).toEqual([2, 3]);
    for (const message of [first!, ...followUps]) {
      expect(message.allowed_mentions).toEqual({ parse: [] });
      expect(JSON.stringify(message.embeds)).not.toMatch(/@everyone|@here|<@/);
    }
    expect(patches().length).toBeGreaterThan(0);
    for (const patch of patches()) {
      expect(patch.body).toMatchObject({ allowed_mentions: { parse: [] } });
      expect(JSON.stringify(patch.body)).not.toMatch(/@everyone|@here|<@/);
    }
    expect(fake.threads(A)[0]!.name).not.toMatch(/@everyone|@here|<@/);
  });

  it('follow-ups off in the channel: nothing posted under the first alert, which is still edited with the count', async () => {
    rig = await openRig(discordSink(fake.url), { threads: true });
    await rig.repositories.subscriptions.put({ channel: discordKey(A), feeds: '*', watchlists: ['cartel_leaders'], createdAt: T0, updatedAt: T0, followUps: false });
    await rig.enqueue([1, 2].map((n) => eventAlert(A, n)));
    await rig.run();

    expect(numbers(fake.messages(A))).toEqual([1]);
    expect(threadStarts()).toHaveLength(0);
    expect(coverage(fake.message(A, fake.messages(A)[0]!.id))).toBe('Reported by 2 outlets: InSight Crime, Reuters');
  });
});
