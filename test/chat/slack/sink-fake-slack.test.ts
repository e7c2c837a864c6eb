/** The fake Slack answers the methods the service uses, in Slack's shapes, to the real WebClient, and refuses what Slack refuses. */
import { WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../fakes/fake-slack.js';

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await startFakeSlack({ teamId: 'T0TEST001', botUserId: 'U0BOT0001', botId: 'B0BOT0001' });
  client = new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 }, timeout: 2000, rejectRateLimitedCalls: true });
});
afterEach(async () => {
  await fake.close();
});

async function platformError(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebAPIPlatformError);
  return (error as WebAPIPlatformError).data.error;
}

const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });

describe('fake Slack', () => {
  it('answers auth.test with the bot and team ids', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, team_id: 'T0TEST001', user_id: 'U0BOT0001', bot_id: 'B0BOT0001' });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/api/auth.test' });
  });

  it('answers users.info with the roles a test set, and user_not_found otherwise', async () => {
    fake.setUser('U0ADMIN01', { is_admin: true });
    fake.setUser('U0GUEST01', { is_restricted: true });
    const admin = await client.users.info({ user: 'U0ADMIN01' });
    const guest = await client.users.info({ user: 'U0GUEST01' });
    expect(admin.user).toMatchObject({ id: 'U0ADMIN01', is_admin: true, is_owner: false, is_restricted: false });
    expect(guest.user).toMatchObject({ is_admin: false, is_restricted: true });
    expect(await platformError(client.users.info({ user: 'U0NOBODY1' }))).toBe('user_not_found');
  });

  it('answers conversations.info from the channel behaviour', async () => {
    fake.setChannel('C0GONE001', { error: 'channel_not_found' });
    fake.setChannel('C0OLD0001', { error: 'is_archived' });
    expect((await client.conversations.info({ channel: 'C0NEWS0001' })).channel).toMatchObject({ id: 'C0NEWS0001', is_archived: false, is_member: true });
    expect((await client.conversations.info({ channel: 'C0OLD0001' })).channel).toMatchObject({ is_archived: true });
    expect(await platformError(client.conversations.info({ channel: 'C0GONE001' }))).toBe('channel_not_found');
  });

  it('records what is posted to a response_url', async () => {
    const url = fake.responseUrl('abc');
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', text: 'done' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ ok: true });
    expect(fake.responses('abc')).toEqual([{ response_type: 'ephemeral', text: 'done' }]);
    expect(fake.responses('other')).toEqual([]);
  });

  it('takes chat.postMessage as JSON too, and refuses a request without a token', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${fake.url}chat.postMessage`, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify({ channel: 'C0NEWS0001', text: 'hi', blocks: [section('hi')] }) });
    expect(await (await post({ Authorization: 'Bearer xoxb-test' })).json()).toMatchObject({ ok: true, channel: 'C0NEWS0001' });
    expect(await (await post({})).json()).toEqual({ ok: false, error: 'not_authed' });
    expect(fake.messages('C0NEWS0001')).toEqual([expect.objectContaining({ text: 'hi', blocks: [section('hi')] })]);
  });

  it.each([
    ['more than 50 blocks', { blocks: Array.from({ length: 51 }, () => section('x')) }, 'invalid_blocks'],
    ['a section over 3000', { blocks: [section('x'.repeat(3001))] }, 'invalid_blocks'],
    ['a header over 150', { blocks: [{ type: 'header' as const, text: { type: 'plain_text' as const, text: 'x'.repeat(151) } }] }, 'invalid_blocks'],
    ['12 000 characters of block text', { blocks: Array.from({ length: 5 }, () => section('x'.repeat(2500))) }, 'msg_blocks_too_long'],
    ['no text and no blocks', { text: '' }, 'no_text'],
  ])('refuses %s as Slack does', async (_name, args, code) => {
    expect(await platformError(client.chat.postMessage({ channel: 'C0NEWS0001', text: 'fallback', ...args }))).toBe(code);
    expect(fake.messages('C0NEWS0001')).toEqual([]);
  });

  it('stores a reply with thread_ts under its parent, and answers thread_not_found for a parent that is not in the channel', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0NEWS0001', text: 'first', blocks: [section('first')] });
    const reply = await client.chat.postMessage({ channel: 'C0NEWS0001', text: 'second', thread_ts: parent.ts!, reply_broadcast: false });
    expect(reply.message).toMatchObject({ thread_ts: parent.ts });
    // a reply's ts names its thread, as on Slack
    await client.chat.postMessage({ channel: 'C0NEWS0001', text: 'third', thread_ts: reply.ts! });
    expect(fake.topLevel('C0NEWS0001').map((m) => m.text)).toEqual(['first']);
    expect(fake.replies('C0NEWS0001', parent.ts!).map((m) => [m.text, m.threadTs])).toEqual([
      ['second', parent.ts],
      ['third', parent.ts],
    ]);
    expect(fake.messages('C0NEWS0001')).toHaveLength(3);

    expect(await platformError(client.chat.postMessage({ channel: 'C0OTHER01', text: 'x', thread_ts: parent.ts! }))).toBe('thread_not_found');
    expect(fake.deleteMessage('C0NEWS0001', parent.ts!)).toBe(true);
    expect(await platformError(client.chat.postMessage({ channel: 'C0NEWS0001', text: 'x', thread_ts: parent.ts! }))).toBe('thread_not_found');
    expect(fake.replies('C0NEWS0001', parent.ts!)).toHaveLength(2);
  });

  it('replaces a message on chat.update and counts the edits; message_not_found for an unknown ts; limits as for posts', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C0NEWS0001', text: 'v1', blocks: [section('v1')] });
    expect(fake.editCount('C0NEWS0001', ts!)).toBe(0);
    const answer = await client.chat.update({ channel: 'C0NEWS0001', ts: ts!, text: 'v2', blocks: [section('v2')] });
    expect(answer).toMatchObject({ ok: true, channel: 'C0NEWS0001', ts, text: 'v2' });
    await client.chat.update({ channel: 'C0NEWS0001', ts: ts!, text: 'v3' });
    const [message] = fake.messages('C0NEWS0001');
    // blocks left out of an update stay, as on Slack
    expect(message).toMatchObject({ text: 'v3', blocks: [section('v2')], edits: 2, args: expect.objectContaining({ text: 'v1' }) as unknown });
    expect(fake.editCount('C0NEWS0001', ts!)).toBe(2);

    expect(await platformError(client.chat.update({ channel: 'C0NEWS0001', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    expect(await platformError(client.chat.update({ channel: 'C0OTHER01', ts: ts!, text: 'x' }))).toBe('message_not_found');
    expect(await platformError(client.chat.update({ channel: 'C0NEWS0001', ts: ts!, text: 'x', blocks: [section('x'.repeat(3001))] }))).toBe('invalid_blocks');
    expect(fake.editCount('C0NEWS0001', ts!)).toBe(2);
  });

  it('applies a channel behaviour to both methods, or to the one it was set for', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C0NEWS0001', text: 'a' });
    fake.setChannel('C0NEWS0001', { error: 'edit_window_closed' }, 'chat.update');
    expect(await platformError(client.chat.update({ channel: 'C0NEWS0001', ts: ts!, text: 'b' }))).toBe('edit_window_closed');
    await client.chat.postMessage({ channel: 'C0NEWS0001', text: 'c' });
    fake.setChannel('C0NEWS0002', { error: 'not_in_channel' });
    expect(await platformError(client.chat.postMessage({ channel: 'C0NEWS0002', text: 'd' }))).toBe('not_in_channel');
    expect(await platformError(client.chat.update({ channel: 'C0NEWS0002', ts: ts!, text: 'e' }))).toBe('not_in_channel');
    expect(fake.messages('C0NEWS0001').map((m) => [m.text, m.edits])).toEqual([
      ['a', 0],
      ['c', 0],
    ]);
  });

  it('sends 429 with an integer Retry-After, then lets the post through', async () => {
    fake.setChannel('C0NEWS0001', { rateLimited: { retryAfterSeconds: 7, times: 1 } });
    await expect(client.chat.postMessage({ channel: 'C0NEWS0001', text: 'a' })).rejects.toMatchObject({ retryAfter: 7 });
    await client.chat.postMessage({ channel: 'C0NEWS0001', text: 'b' });
    expect(fake.messages('C0NEWS0001').map((m) => m.text)).toEqual(['b']);
  });
});
