/**
 * The Discord sink's follow-ups and edits, through the real REST client against the fake: where
 * each follow-up lands (a thread started from the first alert, a known thread, a reply), what the
 * sink reports back, and which refusals are answered another way rather than failing the channel.
 */
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/alert.js';
import type { EventEdit, SentMessage, ThreadTarget } from '../../../src/alerts/event-thread.js';
import { createDiscordSink } from '../../../src/chat/discord/sink.js';
import { createLogger } from '../../../src/log.js';
import { startFakeDiscord, type FakeDiscord, type ThreadRefusal } from '../../fakes/fake-discord.js';
import { alert, CHANNEL_ID, unsafeParts, type EmbedLike } from './render-fixtures.js';
import { deliveryError } from '../../helpers/delivery-error.js';

let fake: FakeDiscord;
let logLines: Record<string, unknown>[];

beforeEach(async () => {
  fake = await startFakeDiscord();
  logLines = [];
});
afterEach(async () => {
  await fake.close();
});

function sinkFor() {
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) } });
  return createDiscordSink({ rest: new REST({ api: fake.url, offset: 0, retries: 0, timeout: 2000 }).setToken('fake'), logger });
}

const first: Alert = { ...alert, event: { id: 'ev-1', because: null } };

function followUp(n: number, thread: ThreadTarget): Alert {
  return {
    ...alert,
    story: { ...alert.story, id: `fu${n}`, title: `Follow-up ${n} @everyone <@123456789012345678>`, source: `Outlet ${n}`, link: `https://example.org/fu${n}` },
    event: { id: 'ev-1', because: { score: 0.75, sharedTerms: ['zambada', 'brooklyn'] } },
    thread,
  };
}

/** Posts the first alert; its message id. */
async function postFirst(sink = sinkFor()): Promise<string> {
  const sent = (await sink.deliver(first)) as SentMessage;
  return sent.ref;
}

const requests = (method: string, suffix: RegExp) => fake.requests.filter((r) => r.method === method && suffix.test(r.path));
const threadStarts = () => requests('POST', /\/messages\/\d+\/threads$/);
const bodyOf = (message: { embeds: unknown[] }) => message.embeds[0] as EmbedLike;

describe('Discord sink: follow-ups', () => {
  it('no thread yet: starts one from the first alert (named, archived after a day) and posts the follow-up in it', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    const sent = await sink.deliver(followUp(2, { firstRef, threadRef: null }));

    expect(fake.threads(CHANNEL_ID)).toEqual([{ id: firstRef, parent_id: CHANNEL_ID, name: expect.stringMatching(/^Also reported: Follow-up 2 /), auto_archive_duration: 1440, type: 11 }]);
    const [posted] = fake.messages(firstRef);
    expect(sent).toEqual({ ref: posted!.id, threadRef: firstRef });
    expect(fake.messages(CHANNEL_ID)).toHaveLength(1);
    expect(bodyOf(posted!).description).toContain('Same event: shares zambada, brooklyn');
    expect(posted!.allowed_mentions).toEqual({ parse: [] });
    expect(unsafeParts(bodyOf(posted!))).toEqual([]);
    expect(fake.threads(CHANNEL_ID)[0]!.name).not.toMatch(/@everyone|<@/);
  });

  it('a known thread: posted straight into it, no thread started', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    const sent = await sink.deliver(followUp(3, { firstRef, threadRef: firstRef }));
    expect(threadStarts()).toHaveLength(1);
    expect(fake.messages(firstRef).map((m) => bodyOf(m).title)).toEqual([expect.stringMatching(/^Follow-up 2/), expect.stringMatching(/^Follow-up 3/)]);
    expect(sent).toMatchObject({ threadRef: firstRef });
  });

  it('a thread already started (160004) where none was recorded: the follow-up goes into it, once, however often it is repeated', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    // A repeat after a crash before the thread was recorded: the thread exists, the nonce matches.
    const again = await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    expect(threadStarts()).toHaveLength(2);
    expect(fake.threads(CHANNEL_ID)).toHaveLength(1);
    expect(fake.messages(firstRef)).toHaveLength(1);
    expect(again).toEqual({ ref: fake.messages(firstRef)[0]!.id, threadRef: firstRef });
  });

  it.each<[ThreadRefusal, number, number]>([
    ['missing_permissions', 403, 50013],
    ['missing_access', 403, 50001],
    ['wrong_channel_type', 400, 50024],
  ])('threads refused (%s): a reply to the first alert, and `replies` from then on', async (refusal, status, code) => {
    fake.setThreads(CHANNEL_ID, refusal);
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    const sent = await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    const later = await sink.deliver(followUp(3, { firstRef, threadRef: 'replies' }));

    const [, reply2, reply3] = fake.messages(CHANNEL_ID);
    expect(sent).toEqual({ ref: reply2!.id, threadRef: 'replies' });
    expect(later).toEqual({ ref: reply3!.id, threadRef: 'replies' });
    for (const reply of [reply2!, reply3!]) {
      expect(reply).toMatchObject({ type: 19, message_reference: { message_id: firstRef, channel_id: CHANNEL_ID }, allowed_mentions: { parse: [] } });
      expect(bodyOf(reply).description).toContain('Same event');
    }
    expect(requests('POST', /\/messages$/).at(-1)!.body).toMatchObject({ message_reference: { message_id: firstRef, fail_if_not_exists: false } });
    expect(threadStarts()).toHaveLength(1);
    expect(logLines).toContainEqual(expect.objectContaining({ discord_status: status, discord_code: code, msg: 'cannot start a thread here; replying to the first alert instead' }));
  });

  it('a reply refused for want of Read Message History (160002): posted without the reference', async () => {
    fake.setThreads(CHANNEL_ID, 'missing_permissions');
    fake.setReplies(CHANNEL_ID, 'no_read_history');
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    const sent = await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    const [, plain] = fake.messages(CHANNEL_ID);
    expect(plain).toMatchObject({ type: 0 });
    expect(plain!.message_reference).toBeUndefined();
    expect(sent).toEqual({ ref: plain!.id, threadRef: 'replies' });
  });

  it('the thread was deleted (Unknown Channel on it): a new thread from the first alert, the channel not failed', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    fake.setThread(firstRef, 'deleted');
    const sent = await sink.deliver(followUp(3, { firstRef, threadRef: firstRef }));
    expect(sent).toMatchObject({ threadRef: firstRef });
    expect(threadStarts()).toHaveLength(2);
    expect(fake.messages(firstRef).map((m) => bodyOf(m).title)).toEqual([expect.stringMatching(/^Follow-up 3/)]);
  });

  it('the thread archived and locked (50083): a reply instead, and `replies` from then on', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    fake.setThread(firstRef, 'archived_locked');
    const sent = await sink.deliver(followUp(3, { firstRef, threadRef: firstRef }));
    expect(sent).toMatchObject({ threadRef: 'replies' });
    expect(fake.messages(CHANNEL_ID).at(-1)).toMatchObject({ type: 19, message_reference: { message_id: firstRef } });
    expect(threadStarts()).toHaveLength(1);
  });

  it('the first alert deleted before a thread was started (10008): the follow-up posted in the channel, not failed', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    fake.deleteMessage(CHANNEL_ID, firstRef);
    const sent = await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    const [posted] = fake.messages(CHANNEL_ID);
    expect(sent).toEqual({ ref: posted!.id, threadRef: 'replies' });
    expect(posted!.message_reference).toBeUndefined();
  });

  it('refused as invalid in the thread: the minimal follow-up posted there', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    fake.setChannel(firstRef, { invalidBody: { times: 1 } });
    await sink.deliver(followUp(3, { firstRef, threadRef: firstRef }));
    const last = fake.messages(firstRef).at(-1)!;
    expect(bodyOf(last).title).toMatch(/^Follow-up 3/);
    expect(bodyOf(last).description).toBeUndefined();
  });

  it.each([
    ['the channel is gone (Unknown Channel on the thread start and the reply)', 'unknown_channel' as const],
    ['the bot lost the channel (Missing Access)', 'missing_access' as const],
  ])('%s: permanent, as for an alert', async (_name, behaviour) => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    fake.setChannel(CHANNEL_ID, behaviour);
    const error = await deliveryError(sink.deliver(followUp(2, { firstRef, threadRef: null })));
    expect(error.failure).toBe('permanent');
  });

  it('a server error in the thread is transient (retried later), not a reason to reply', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    await sink.deliver(followUp(2, { firstRef, threadRef: null }));
    fake.setChannel(firstRef, 'server_error');
    const error = await deliveryError(sink.deliver(followUp(3, { firstRef, threadRef: firstRef })));
    expect(error.failure).toBe('transient');
    expect(fake.messages(CHANNEL_ID)).toHaveLength(1);
  });
});

describe('Discord sink: edits of the first alert', () => {
  function editOf(firstRef: string, outlets: string[]): EventEdit {
    return { kind: 'event-edit', id: 'edit:ev-1', channel: first.channel, eventId: 'ev-1', firstRef, first, outlets };
  }

  it('PATCHes the first alert with its outlets, no ping', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    const sent = await sink.deliver(editOf(firstRef, ['InSight Crime', '@everyone Daily', 'AP']));
    expect(sent).toEqual({ ref: firstRef });
    const message = fake.message(CHANNEL_ID, firstRef)!;
    expect(fake.editCount(firstRef)).toBe(1);
    expect(bodyOf(message).fields?.at(-1)).toEqual({ name: 'Coverage', value: 'Reported by 3 outlets: InSight Crime, @\u200beveryone Daily, AP' });
    expect(bodyOf(message).title).toBe(first.story.title);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    const [patch] = requests('PATCH', /\/messages\/\d+$/);
    expect(patch!.path).toBe(`/api/v10/channels/${CHANNEL_ID}/messages/${firstRef}`);
    expect(patch!.body).not.toHaveProperty('nonce');
  });

  it('the first alert deleted (404 Unknown Message): permanent, saying so', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    fake.deleteMessage(CHANNEL_ID, firstRef);
    const error = await deliveryError(sink.deliver(editOf(firstRef, ['A', 'B'])));
    expect(error).toMatchObject({ failure: 'permanent', message: 'The first alert of the event no longer exists (Unknown Message)', details: { discord_code: 10008 } });
  });

  it('a server error is transient', async () => {
    const sink = sinkFor();
    const firstRef = await postFirst(sink);
    fake.setChannel(CHANNEL_ID, 'server_error');
    expect((await deliveryError(sink.deliver(editOf(firstRef, ['A', 'B'])))).failure).toBe('transient');
  });
});
