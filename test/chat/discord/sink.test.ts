import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordRest } from '../../../src/chat/discord/rest.js';
import { alertNonce } from '../../../src/chat/discord/render-alert.js';
import { createDiscordSink, parseDiscordChannelKey } from '../../../src/chat/discord/sink.js';
import { createLogger } from '../../../src/log.js';
import { startFakeDiscord, type ChannelBehaviour, type FakeDiscord } from '../../fakes/fake-discord.js';
import { alert, CHANNEL_ID, CHANNEL_KEY, GUILD_ID, hostileAlert, unsafeParts, type EmbedLike } from './render-fixtures.js';
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

function sinkFor(rest: REST = testRest()) {
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) } });
  return createDiscordSink({ rest, logger });
}

function testRest(options: { timeout?: number } = {}): REST {
  return new REST({ api: fake.url, offset: 0, retries: 1, timeout: options.timeout ?? 2000 }).setToken('fake');
}

function posts(): { path: string; body: Record<string, unknown> }[] {
  return fake.requests.filter((r) => r.method === 'POST').map((r) => ({ path: r.path, body: r.body as Record<string, unknown> }));
}

describe('Discord sink', () => {
  it('posts a hostile story through the real REST client as one safe message within every limit', async () => {
    await sinkFor().deliver(hostileAlert);

    const [post] = posts();
    expect(posts()).toHaveLength(1);
    expect(post!.path).toBe(`/api/v10/channels/${CHANNEL_ID}/messages`);
    const body = post!.body;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.nonce).toBe(alertNonce(hostileAlert.story.id, CHANNEL_KEY));
    expect(String(body.nonce).length).toBeLessThanOrEqual(25);
    expect(body.enforce_nonce).toBe(true);
    expect(body.content).toBeUndefined();
    const embeds = body.embeds as EmbedLike[];
    expect(embeds).toHaveLength(1);
    expect(unsafeParts(embeds[0]!)).toEqual([]);
    expect(JSON.stringify(body)).not.toMatch(/@everyone|@here|<@|<#|<t:/);
    expect(fake.messages(CHANNEL_ID)).toHaveLength(1);
    expect(fake.requests[0]!.headers.authorization).toBe('Bot fake');
    expect(logLines).toContainEqual(expect.objectContaining({ channel_id: CHANNEL_ID, guild_id: GUILD_ID, story_id: hostileAlert.story.id, message_id: expect.any(String) }));
  });

  it('sends the same alert twice as the same nonce, and Discord keeps one message', async () => {
    const sink = sinkFor();
    await sink.deliver(alert);
    await sink.deliver(alert);
    expect(posts()).toHaveLength(2);
    expect(posts()[0]!.body.nonce).toBe(posts()[1]!.body.nonce);
    expect(fake.messages(CHANNEL_ID)).toHaveLength(1);
  });

  it.each<[ChannelBehaviour, number, number]>([
    ['missing_access', 403, 50001],
    ['missing_permissions', 403, 50013],
    ['unknown_channel', 404, 10003],
  ])('%s: a permanent failure naming what Discord said, not retried', async (behaviour, status, code) => {
    fake.setChannel(CHANNEL_ID, behaviour);
    const error = await deliveryError(sinkFor().deliver(alert));
    expect(error.failure).toBe('permanent');
    expect(error.code).toBe('delivery_permanent');
    expect(error.details).toMatchObject({ status, discord_code: code });
    expect(error.message).toMatch(/Missing Access|Missing Permissions|Unknown Channel/);
    expect(posts()).toHaveLength(1);
    expect(logLines).toContainEqual(expect.objectContaining({ channel_id: CHANNEL_ID, story_id: alert.story.id, discord_status: status, discord_code: code }));
  });

  it('a server error is transient, after the client retried it', async () => {
    fake.setChannel(CHANNEL_ID, 'server_error');
    const error = await deliveryError(sinkFor().deliver(alert));
    expect(error.failure).toBe('transient');
    expect(error.code).toBe('delivery_transient');
    expect(error.details).toMatchObject({ status: 500 });
    expect(posts()).toHaveLength(2); // retries: 1
    expect(fake.messages(CHANNEL_ID)).toHaveLength(0);
  });

  it('waits out a 429 (Retry-After 0.3) and then posts the message once', async () => {
    fake.setChannel(CHANNEL_ID, { rateLimited: { retryAfterSeconds: 0.3, times: 1 } });
    await sinkFor().deliver(alert);
    expect(posts()).toHaveLength(2);
    expect(fake.messages(CHANNEL_ID)).toHaveLength(1);
  });

  it('reports a rate limit longer than the client may wait as rate_limited, with the wait', async () => {
    fake.setChannel(CHANNEL_ID, { rateLimited: { retryAfterSeconds: 30, times: 1 } });
    const rest = createDiscordRest({ token: 'fake', apiUrl: fake.url, retries: 1, timeoutMs: 2000, maxRateLimitWaitMs: 1000 });
    const error = await deliveryError(sinkFor(rest).deliver(alert));
    expect(error.failure).toBe('rate_limited');
    expect(error.code).toBe('delivery_rate_limited');
    expect(error.retryAfterMs).toBeGreaterThan(1000);
    expect(fake.messages(CHANNEL_ID)).toHaveLength(0);
  });

  it('a server that does not answer in time is transient', async () => {
    fake.setChannel(CHANNEL_ID, 'hang');
    const error = await deliveryError(sinkFor(testRest({ timeout: 200 })).deliver(alert));
    expect(error.failure).toBe('transient');
    expect(error.details).toMatchObject({ error: 'AbortError' });
  });

  it('a server that cannot be reached is transient', async () => {
    const rest = testRest();
    await fake.close();
    const error = await deliveryError(sinkFor(rest).deliver(alert));
    expect(error.failure).toBe('transient');
    fake = await startFakeDiscord(); // for afterEach
  });

  it('when Discord refuses the message as invalid, posts the minimal version instead and logs the response', async () => {
    fake.setChannel(CHANNEL_ID, { invalidBody: { times: 1 } });
    await sinkFor().deliver(alert);
    expect(posts()).toHaveLength(2);
    const [message] = fake.messages(CHANNEL_ID);
    const [embed] = message!.embeds as EmbedLike[];
    expect(embed!.title).toBe(alert.story.title);
    expect(embed!.description).toBeUndefined();
    expect(logLines).toContainEqual(expect.objectContaining({ discord_status: 400, discord_code: 50035, discord_error: expect.objectContaining({ errors: expect.any(Object) }) }));
  });

  it('when Discord refuses the minimal version too, the failure is transient: the channel is not at fault', async () => {
    fake.setChannel(CHANNEL_ID, { invalidBody: { times: 2 } });
    const error = await deliveryError(sinkFor().deliver(alert));
    expect(error.failure).toBe('transient');
    expect(error.details).toMatchObject({ status: 400, discord_code: 50035 });
    expect(fake.messages(CHANNEL_ID)).toHaveLength(0);
  });

  it.each(['console', 'discord:123', `discord:${CHANNEL_ID}`, `discord:abc:${CHANNEL_ID}`, `discord:${GUILD_ID}:${CHANNEL_ID}:x`, `slack:${GUILD_ID}:${CHANNEL_ID}`, `discord:${GUILD_ID}:12345`])(
    'refuses the channel key %j as permanent without a request',
    async (channel) => {
      const error = await deliveryError(sinkFor().deliver({ ...alert, channel }));
      expect(error.failure).toBe('permanent');
      expect(fake.requests).toHaveLength(0);
    },
  );

  it('reads the guild and channel ids from a channel key', () => {
    expect(parseDiscordChannelKey(CHANNEL_KEY)).toEqual({ guildId: GUILD_ID, channelId: CHANNEL_ID });
  });
});
