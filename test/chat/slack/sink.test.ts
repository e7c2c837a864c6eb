/** The Slack sink through the real @slack/web-api WebClient against the fake Slack on 127.0.0.1; assertions on what reached it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackSink, parseSlackChannelKey, slackChannelKey, SLACK_PERMANENT_ERRORS } from '../../../src/chat/slack/sink.js';
import { createSlackWebClient } from '../../../src/chat/slack/web-client.js';
import type { Alert } from '../../../src/alerts/alert.js';
import { createLogger } from '../../../src/log.js';
import { startFakeSlack, type FakeSlack, type SlackErrorCode } from '../../fakes/fake-slack.js';
import { alert, CHANNEL_ID, CHANNEL_KEY, HOSTILE_TITLE, hostileAlert, TEAM_ID, unsafeParts, type BlockLike } from './render-fixtures.js';
import { deliveryError } from '../../helpers/delivery-error.js';

const TOKEN = 'xoxb-0000-test-token';
let fake: FakeSlack;
let logLines: Record<string, unknown>[];

beforeEach(async () => {
  fake = await startFakeSlack({ teamId: TEAM_ID, token: TOKEN });
  logLines = [];
});
afterEach(async () => {
  await fake.close();
});

function sinkFor(client: { timeoutMs?: number; retries?: number } = {}) {
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) } });
  const web = createSlackWebClient({ token: TOKEN, apiUrl: fake.url, timeoutMs: client.timeoutMs ?? 2000, retries: client.retries ?? 2, retryMinTimeoutMs: 10, logger });
  return createSlackSink({ client: web, logger });
}

function posts(): { at: number; body: Record<string, unknown>; headers: Record<string, unknown> }[] {
  return fake.requests.filter((r) => r.path === '/api/chat.postMessage').map((r) => ({ at: r.at, body: r.body as Record<string, unknown>, headers: r.headers }));
}

function inChannel(channelId: string, base: Alert = alert, storyId = base.story.id): Alert {
  return { ...base, channel: slackChannelKey({ teamId: TEAM_ID, channelId }), story: { ...base.story, id: storyId } };
}

describe('Slack sink', () => {
  it('posts a hostile story through the real WebClient as one safe message within every limit', async () => {
    await sinkFor().deliver(hostileAlert);

    expect(posts()).toHaveLength(1);
    const { body, headers } = posts()[0]!;
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(body.channel).toBe(CHANNEL_ID);
    expect(body.unfurl_links).toBe('false');
    expect(body.unfurl_media).toBe('false');
    expect(body.link_names).toBeUndefined();
    expect(body.parse).toBe('none');
    const blocks = body.blocks as BlockLike[];
    const text = body.text as string;
    expect(unsafeParts(blocks, text)).toEqual([]);
    const wire = JSON.stringify(blocks) + text;
    expect(wire).not.toMatch(/<!(channel|here|everyone|subteam)|<@|<#|<https:\/\/evil/);
    expect(text.startsWith(HOSTILE_TITLE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'))).toBe(true);
    expect(fake.messages(CHANNEL_ID)).toHaveLength(1);
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'alert posted to Slack', channel_id: CHANNEL_ID, team_id: TEAM_ID, story_id: hostileAlert.story.id }));
    expect(JSON.stringify(logLines)).not.toContain(TOKEN);
  });

  it('paces one channel at one message per second without holding up another channel', async () => {
    const sink = sinkFor();
    const started = Date.now();
    await Promise.all([
      sink.deliver(inChannel('C0PACED001', alert, 's1')),
      sink.deliver(inChannel('C0PACED001', alert, 's2')),
      sink.deliver(inChannel('C0PACED001', alert, 's3')),
      sink.deliver(inChannel('C0OTHER001', alert, 's4')),
    ]);
    const paced = fake.messages('C0PACED001');
    const other = fake.messages('C0OTHER001');
    expect(paced).toHaveLength(3);
    expect(other).toHaveLength(1);
    // arrival order kept, each at least 1 s after the one before was answered (a few ms of timer slack)
    expect(paced.map((m) => m.args.text)).toEqual([alert.story.title, alert.story.title, alert.story.title].map((t) => `${t} — ${alert.story.source}`));
    const gaps = paced.slice(1).map((m, i) => m.at - paced[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);
    // the other channel went straight away, before the paced channel's second message
    expect(other[0]!.at - started).toBeLessThan(500);
    expect(other[0]!.at).toBeLessThan(paced[1]!.at);
  });

  it.each([...SLACK_PERMANENT_ERRORS.keys()].filter((code) => ['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'token_revoked', 'missing_scope', 'restricted_action'].includes(code)))(
    '%s is permanent, with the reason, and is not retried',
    async (code) => {
      fake.setChannel(CHANNEL_ID, { error: code as SlackErrorCode });
      const error = await deliveryError(sinkFor().deliver(alert));
      expect(error.failure).toBe('permanent');
      expect(error.code).toBe('delivery_permanent');
      expect(error.details).toEqual({ slack_error: code });
      expect(error.message).toContain(`(${code})`);
      expect(posts()).toHaveLength(1);
      expect(fake.messages(CHANNEL_ID)).toHaveLength(0);
    },
  );

  it('covers every permanent code the brief names', () => {
    for (const code of ['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'token_revoked', 'missing_scope', 'restricted_action']) {
      expect(SLACK_PERMANENT_ERRORS.has(code), code).toBe(true);
    }
  });

  it('turns HTTP 500 into transient after the client’s bounded retries', async () => {
    fake.setChannel(CHANNEL_ID, 'server_error');
    const error = await deliveryError(sinkFor({ retries: 2 }).deliver(alert));
    expect(error.failure).toBe('transient');
    expect(error.code).toBe('delivery_transient');
    expect(error.details).toEqual({ status: 500 });
    expect(posts()).toHaveLength(3);
  });

  it('turns a request that never answers into transient once the timeout and retries are spent', async () => {
    fake.setChannel(CHANNEL_ID, 'hang');
    const error = await deliveryError(sinkFor({ timeoutMs: 200, retries: 1 }).deliver(alert));
    expect(error.failure).toBe('transient');
    expect(error.message).toBe('Slack did not answer in time');
    expect(posts()).toHaveLength(2);
  });

  it('turns a 429 into rate_limited with Retry-After in milliseconds at once, and logs it with the channel', async () => {
    fake.setChannel(CHANNEL_ID, { rateLimited: { retryAfterSeconds: 30, times: 1 } });
    const started = Date.now();
    const error = await deliveryError(sinkFor().deliver(alert));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.failure).toBe('rate_limited');
    expect(error.code).toBe('delivery_rate_limited');
    expect(error.retryAfterMs).toBe(30_000);
    expect(posts()).toHaveLength(1);
    expect(logLines).toContainEqual(expect.objectContaining({ component: 'slack-web-api', method: 'chat.postMessage', channel_id: CHANNEL_ID, retry_after_s: 30 }));
  });

  it('delivers once a 429 has cleared: the next attempt goes through', async () => {
    fake.setChannel(CHANNEL_ID, { rateLimited: { retryAfterSeconds: 0, times: 1 } });
    const sink = sinkFor();
    await expect(sink.deliver(alert)).rejects.toMatchObject({ failure: 'rate_limited', retryAfterMs: 0 });
    await sink.deliver(alert);
    expect(fake.messages(CHANNEL_ID)).toHaveLength(1);
    expect(posts()).toHaveLength(2);
  });

  it('treats Slack’s own internal_error as transient, without a minimal retry', async () => {
    fake.setChannel(CHANNEL_ID, { error: 'internal_error' });
    const error = await deliveryError(sinkFor().deliver(alert));
    expect(error.failure).toBe('transient');
    expect(error.details).toEqual({ slack_error: 'internal_error' });
    expect(posts()).toHaveLength(1);
  });

  it('answers invalid_blocks by logging the code and posting the minimal message once', async () => {
    fake.setChannel(CHANNEL_ID, { error: 'invalid_blocks', times: 1 });
    await sinkFor().deliver(alert);

    expect(posts()).toHaveLength(2);
    const [full, minimal] = posts();
    expect((full!.body.blocks as BlockLike[])[0]!.accessory).toBeDefined();
    const blocks = minimal!.body.blocks as BlockLike[];
    expect(blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(blocks[0]!.accessory).toBeUndefined();
    expect(blocks[0]!.text?.text).toBe('*<https://example.org/el-mayo|El Mayo pleads guilty in Brooklyn>*');
    expect(minimal!.body.text).toBe('El Mayo pleads guilty in Brooklyn — InSight Crime');
    expect(fake.messages(CHANNEL_ID)).toHaveLength(1);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'error', slack_error: 'invalid_blocks', channel_id: CHANNEL_ID }));
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'minimal alert posted to Slack' }));
    // the minimal post waited its turn like any other post to the channel
    expect(minimal!.at - full!.at).toBeGreaterThanOrEqual(990);
  });

  it('gives up with transient when Slack refuses the minimal message too', async () => {
    fake.setChannel(CHANNEL_ID, { error: 'invalid_blocks' });
    const error = await deliveryError(sinkFor().deliver(alert));
    expect(error.failure).toBe('transient');
    expect(error.details).toEqual({ slack_error: 'invalid_blocks' });
    expect(posts()).toHaveLength(2);
  });

  it.each(['slack:T0TEST001', 'slack:T0TEST001:C0NEWS0001:extra', 'discord:T0TEST001:C0NEWS0001', 'slack:t0test001:C0NEWS0001', 'slack:T0TEST001:U0USER0001', 'console'])(
    'refuses the channel key %j as permanent without a request',
    async (channel) => {
      const error = await deliveryError(sinkFor().deliver({ ...alert, channel }));
      expect(error.failure).toBe('permanent');
      expect(fake.requests).toHaveLength(0);
    },
  );

  it('reads and writes channel keys', () => {
    expect(parseSlackChannelKey(CHANNEL_KEY)).toEqual({ teamId: TEAM_ID, channelId: CHANNEL_ID });
    expect(parseSlackChannelKey('slack:E0ORG0001:G0PRIV001')).toEqual({ teamId: 'E0ORG0001', channelId: 'G0PRIV001' });
    expect(slackChannelKey({ teamId: TEAM_ID, channelId: CHANNEL_ID })).toBe(CHANNEL_KEY);
  });
});
