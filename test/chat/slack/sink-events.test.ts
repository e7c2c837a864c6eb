/**
 * The Slack sink's follow-ups (replies under the event's first alert) and edits of the first
 * alert, through the real WebClient against the fake Slack; assertions on what reached it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/alert.js';
import type { EventEdit } from '../../../src/alerts/event-thread.js';
import { renderAlertMessage } from '../../../src/chat/slack/render-alert.js';
import { createSlackSink } from '../../../src/chat/slack/sink.js';
import { createSlackWebClient } from '../../../src/chat/slack/web-client.js';
import { createLogger } from '../../../src/log.js';
import { startFakeSlack, type FakeSlack, type SlackErrorCode } from '../../fakes/fake-slack.js';
import { alert, CHANNEL_ID, CHANNEL_KEY, hostileAlert, TEAM_ID, unsafeParts, type BlockLike } from './render-fixtures.js';
import { deliveryError } from '../../helpers/delivery-error.js';

const TOKEN = 'xoxb-0000-test-token';
const PINGS = /<!(channel|here|everyone|subteam)|<@|<#|<https:\/\/evil/;
let fake: FakeSlack;
let logLines: Record<string, unknown>[];

beforeEach(async () => {
  fake = await startFakeSlack({ teamId: TEAM_ID, token: TOKEN });
  logLines = [];
});
afterEach(async () => {
  await fake.close();
});

function sinkFor(channelIntervalMs = 0) {
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) } });
  const web = createSlackWebClient({ token: TOKEN, apiUrl: fake.url, timeoutMs: 2000, retries: 0, retryMinTimeoutMs: 10, logger });
  return createSlackSink({ client: web, logger, channelIntervalMs });
}

const calls = (method: string) => fake.requests.filter((r) => r.path === `/api/${method}`).map((r) => ({ at: r.at, body: r.body as Record<string, unknown> }));

const because = { score: 0.74, sharedTerms: ['el mayo', 'brooklyn'] };
const first: Alert = { ...alert, event: { id: 'ev1', because: null } };
const later = (firstRef: string, base: Alert = alert): Alert => ({
  ...base,
  story: { ...base.story, id: 'later0000000000000001', source: 'Reuters' },
  event: { id: 'ev1', because },
  thread: { firstRef, threadRef: null },
});
const editOf = (firstRef: string, outlets: string[], firstAlert: Alert = first): EventEdit => ({
  kind: 'event-edit',
  id: 'edit:ev1',
  channel: CHANNEL_KEY,
  eventId: 'ev1',
  firstRef,
  first: firstAlert,
  outlets,
});

async function postFirst(sink = sinkFor()): Promise<string> {
  const sent = await sink.deliver(first);
  expect(sent).toEqual({ ref: expect.any(String) as unknown });
  return (sent as { ref: string }).ref;
}

describe('Slack sink: follow-ups', () => {
  it('posts a follow-up as a reply under the first alert, not broadcast, with the alert’s safety settings, and returns the reply’s ts', async () => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    const sent = await sink.deliver(later(firstTs));

    const [reply] = fake.replies(CHANNEL_ID, firstTs);
    expect(sent).toEqual({ ref: reply!.ts });
    expect(fake.topLevel(CHANNEL_ID).map((m) => m.ts)).toEqual([firstTs]);
    const body = calls('chat.postMessage')[1]!.body;
    expect(body).toMatchObject({ channel: CHANNEL_ID, thread_ts: firstTs, reply_broadcast: 'false', unfurl_links: 'false', unfurl_media: 'false', parse: 'none' });
    expect(body.link_names).toBeUndefined();
    const texts = (body.blocks as BlockLike[]).map((b) => b.text?.text ?? b.elements?.[0]?.text);
    expect(texts.at(-1)).toBe('Same event: shares el mayo, brooklyn (score 0.74)');
    expect(texts.at(-2)).toMatch(/^Reuters · <!date\^/);
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'follow-up posted to Slack under the event’s first alert', channel_id: CHANNEL_ID, event_id: 'ev1', thread_ts: firstTs }));
  });

  it('escapes a hostile follow-up like an alert', async () => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    const hostile: Alert = { ...later(firstTs, hostileAlert), event: { id: 'ev1', because: { score: 1, sharedTerms: ['<!channel>', '<@U123>', 'AT&T'] } } };
    await sink.deliver(hostile);
    const [reply] = fake.replies(CHANNEL_ID, firstTs);
    expect(unsafeParts(reply!.blocks as BlockLike[], reply!.text)).toEqual([]);
    expect(JSON.stringify(reply!.blocks) + reply!.text).not.toMatch(PINGS);
    expect(JSON.stringify(reply!.blocks)).toContain('Same event: shares &lt;!channel&gt;, &lt;@U123&gt;, AT&amp;T');
  });

  it.each(['thread_not_found', 'message_not_found'] as const)('%s for the parent: posted as an alert in the channel instead, the channel not refused', async (code) => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    fake.setChannel(CHANNEL_ID, { error: code, times: 1 }, 'chat.postMessage');
    const sent = await sink.deliver(later(firstTs));

    const messages = fake.topLevel(CHANNEL_ID);
    expect(messages).toHaveLength(2);
    expect(sent).toEqual({ ref: messages[1]!.ts, rerooted: true });
    expect(messages[1]!.args.thread_ts).toBeUndefined();
    // the whole alert: there is no first one left to read it under
    expect(messages[1]!.blocks).toEqual(renderAlertMessage(later(firstTs)).blocks);
    expect(fake.replies(CHANNEL_ID, firstTs)).toEqual([]);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'warn', slack_error: code, thread_ts: firstTs }));
  });

  it('a first alert deleted in the channel: the follow-up arrives in the channel', async () => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    fake.deleteMessage(CHANNEL_ID, firstTs);
    await sink.deliver(later(firstTs));
    expect(fake.topLevel(CHANNEL_ID).map((m) => m.text)).toEqual(['El Mayo pleads guilty in Brooklyn — Reuters']);
  });

  it.each([
    ['not_in_channel', 'permanent'],
    ['channel_not_found', 'permanent'],
    ['internal_error', 'transient'],
  ] as const)('a reply refused with %s is %s, as an alert would be', async (code, failure) => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    fake.setChannel(CHANNEL_ID, { error: code as SlackErrorCode });
    const error = await deliveryError(sink.deliver(later(firstTs)));
    expect(error.failure).toBe(failure);
    expect(error.details).toEqual({ slack_error: code });
    expect(calls('chat.postMessage')).toHaveLength(2);
  });

  it('a reply refused as invalid_blocks: the minimal reply, still in the thread', async () => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    fake.setChannel(CHANNEL_ID, { error: 'invalid_blocks', times: 1 });
    await sink.deliver(later(firstTs));
    const [reply] = fake.replies(CHANNEL_ID, firstTs);
    expect((reply!.blocks as BlockLike[]).map((b) => b.type)).toEqual(['section', 'context']);
    expect(reply!.args).toMatchObject({ thread_ts: firstTs, reply_broadcast: 'false' });
  });

  it('a 429 on a reply is rate_limited with Retry-After', async () => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    fake.setChannel(CHANNEL_ID, { rateLimited: { retryAfterSeconds: 12, times: 1 } });
    const error = await deliveryError(sink.deliver(later(firstTs)));
    expect(error).toMatchObject({ failure: 'rate_limited', retryAfterMs: 12_000 });
  });
});

describe('Slack sink: edits of the first alert', () => {
  it('updates the first alert’s ts with the alert rendered again and the outlet count, text fallback included', async () => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    const posted = fake.messages(CHANNEL_ID)[0]!;
    const originalBlocks = structuredClone(posted.blocks);
    expect(await sink.deliver(editOf(firstTs, ['InSight Crime', 'Reuters']))).toBeUndefined();

    const [update] = calls('chat.update');
    expect(update!.body).toMatchObject({ channel: CHANNEL_ID, ts: firstTs, parse: 'none' });
    expect(update!.body.link_names).toBeUndefined();
    const [message] = fake.messages(CHANNEL_ID);
    expect(fake.editCount(CHANNEL_ID, firstTs)).toBe(1);
    expect(message!.blocks.slice(0, -1)).toEqual(originalBlocks);
    expect(message!.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Reported by 2 outlets: InSight Crime, Reuters', verbatim: true }] });
    expect(message!.text).toBe('El Mayo pleads guilty in Brooklyn — InSight Crime · Reported by 2 outlets: InSight Crime, Reuters');
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'first alert of the event edited in Slack with its outlet count', message_ts: firstTs, outlets: 2, event_id: 'ev1' }));
  });

  it('escapes hostile outlet names and a hostile first alert in the edit', async () => {
    const sink = sinkFor();
    const { ref } = (await sink.deliver({ ...hostileAlert, event: { id: 'ev1', because: null } })) as { ref: string };
    await sink.deliver(editOf(ref, ['<!channel> Wire', '<!everyone>', '<@U123> & co'], hostileAlert));
    const [message] = fake.messages(CHANNEL_ID);
    expect(unsafeParts(message!.blocks as BlockLike[], message!.text)).toEqual([]);
    expect(JSON.stringify(message!.blocks) + message!.text).not.toMatch(PINGS);
    expect(message!.text).toContain('Reported by 3 outlets: &lt;!channel&gt; Wire, &lt;!everyone&gt;, &lt;@U123&gt; &amp; co');
  });

  it.each([
    ['message_not_found', null],
    ['cant_update_message', 'cant_update_message'],
    ['edit_window_closed', 'edit_window_closed'],
  ] as const)('%s is permanent, with no minimal retry', async (code, set) => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    if (set) fake.setChannel(CHANNEL_ID, { error: set }, 'chat.update');
    const error = await deliveryError(sink.deliver(editOf(set ? firstTs : '1.999999', ['A', 'B'])));
    expect(error).toMatchObject({ failure: 'permanent', code: 'delivery_permanent', details: { slack_error: code } });
    expect(error.message).toContain(`(${code})`);
    expect(calls('chat.update')).toHaveLength(1);
    expect(fake.editCount(CHANNEL_ID, firstTs)).toBe(0);
  });

  it.each([
    [{ error: 'internal_error' as const }, 'transient'],
    ['server_error' as const, 'transient'],
    [{ rateLimited: { retryAfterSeconds: 3, times: 1 } }, 'rate_limited'],
    [{ error: 'channel_not_found' as const }, 'permanent'],
  ])('an edit answered %j is %s', async (behaviour, failure) => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    fake.setChannel(CHANNEL_ID, behaviour, 'chat.update');
    const error = await deliveryError(sink.deliver(editOf(firstTs, ['A', 'B'])));
    expect(error.failure).toBe(failure);
    expect(fake.editCount(CHANNEL_ID, firstTs)).toBe(0);
  });

  it('an edit refused as invalid_blocks: the minimal first alert with the count', async () => {
    const sink = sinkFor();
    const firstTs = await postFirst(sink);
    fake.setChannel(CHANNEL_ID, { error: 'invalid_blocks', times: 1 }, 'chat.update');
    await sink.deliver(editOf(firstTs, ['A', 'B']));
    expect(calls('chat.update')).toHaveLength(2);
    const [message] = fake.messages(CHANNEL_ID);
    expect((message!.blocks as BlockLike[]).map((b) => b.type)).toEqual(['section', 'context', 'context']);
    expect((message!.blocks as BlockLike[])[0]!.accessory).toBeUndefined();
    expect(fake.editCount(CHANNEL_ID, firstTs)).toBe(1);
  });
});

describe('Slack sink: pacing of replies and edits', () => {
  it('a post, a reply and an edit to one channel go one second apart; another channel does not wait', async () => {
    const sink = sinkFor(1000);
    const firstTs = await postFirst(sink);
    const other: Alert = { ...alert, channel: `slack:${TEAM_ID}:C0OTHER001` };
    await Promise.all([sink.deliver(later(firstTs)), sink.deliver(editOf(firstTs, ['InSight Crime', 'Reuters'])), sink.deliver(other)]);

    const toChannel = fake.requests.filter((r) => (r.body as { channel?: unknown }).channel === CHANNEL_ID);
    expect(toChannel.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/chat.postMessage', '/api/chat.update']);
    const gaps = toChannel.slice(1).map((r, i) => r.at - toChannel[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);
    const otherAt = fake.requests.find((r) => (r.body as { channel?: unknown }).channel === 'C0OTHER001')!.at;
    expect(otherAt).toBeLessThan(toChannel[2]!.at);
  });
});
