/**
 * Gateway mode without a gateway: a real discord.js Client whose REST points at the fake, and
 * interactions delivered the way the gateway's INTERACTION_CREATE handler delivers them.
 */
import { Client, PermissionFlagsBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachGatewayHandler, GATEWAY_INTENTS } from '../../../src/chat/discord/index.js';
import { startFakeDiscord, type FakeDiscord, type ReceivedRequest } from './fake-discord-interactions.js';
import { APP_ID, autocompleteInteraction, capturingLogger, commandInteraction, gate, GUILD_ID, injectInteraction, TestHandler } from './fixtures.js';

let fake: FakeDiscord;
let client: Client;
let handler: TestHandler;
let attached: ReturnType<typeof attachGatewayHandler>;

function attach(deferAfterMs = 2000): void {
  attached = attachGatewayHandler(client, { handler, logger: capturingLogger().logger, deferAfterMs });
}

const callback = (id: string) => (r: ReceivedRequest) => r.method === 'POST' && r.path.startsWith(`/api/v10/interactions/${id}/`);

beforeEach(async () => {
  fake = await startFakeDiscord();
  client = new Client({ intents: [...GATEWAY_INTENTS], rest: { api: fake.api, offset: 0, retries: 1, timeout: 2000 } });
  client.rest.setToken('x');
  handler = new TestHandler();
});

afterEach(async () => {
  await attached.idle();
  attached.detach();
  await client.destroy();
  await fake.close();
});

describe('gateway handler', () => {
  it('replies to a quick command through the interaction callback', async () => {
    attach();
    handler.replies.set('subscribe', async (r) => ({ outcome: 'ok', lines: [['Subscribed to ', { code: r.options.watchlists ?? '' }]] }));
    const raw = commandInteraction(['subscribe'], { watchlists: 'tariffs, extradition' });
    injectInteraction(client, raw);
    const sent = await fake.waitFor(callback(raw.id));
    expect(sent.path).toBe(`/api/v10/interactions/${raw.id}/${raw.token}/callback`);
    expect(sent.body).toEqual({
      type: 4,
      data: expect.objectContaining({ content: 'Subscribed to `tariffs, extradition`', flags: 64, allowed_mentions: { parse: [] } }),
    });
    expect(handler.requests[0]).toMatchObject({ tenant: `discord:${GUILD_ID}`, command: 'subscribe', actor: { canManage: true } });
  });

  it('defers a slow command, then edits the reply', async () => {
    attach(20);
    const slow = gate();
    handler.replies.set('feeds add', async () => {
      await slow.wait;
      return { outcome: 'ok', lines: ['Added <@412345678901234567>'] };
    });
    const raw = commandInteraction(['feeds', 'add'], { url: 'https://example.org/rss.xml' });
    injectInteraction(client, raw);
    const deferred = await fake.waitFor(callback(raw.id));
    expect(deferred.body).toEqual({ type: 5, data: { flags: 64 } });
    slow.open();
    const edit = await fake.waitFor((r) => r.method === 'PATCH');
    expect(edit.path).toBe(`/api/v10/webhooks/${APP_ID}/${raw.token}/messages/@original`);
    expect(edit.body).toMatchObject({ content: 'Added \\<@412345678901234567\\>', allowed_mentions: { parse: [] } });
  });

  it('refuses a DM', async () => {
    attach();
    const raw = commandInteraction(['status'], {}, { dm: true });
    injectInteraction(client, raw);
    const sent = await fake.waitFor(callback(raw.id));
    expect(sent.body).toMatchObject({ type: 4, data: { content: 'This command works in a server channel.', flags: 64 } });
    expect(handler.requests).toEqual([]);
  });

  it('maps a member without Manage Channels to canManage false', async () => {
    attach();
    const raw = commandInteraction(['unsubscribe'], {}, { permissions: PermissionFlagsBits.SendMessages });
    injectInteraction(client, raw);
    await fake.waitFor(callback(raw.id));
    expect(handler.requests[0]?.actor).toEqual({ userId: raw.member!.user.id, canManage: false, managePermission: 'the Manage Channels permission' });
  });

  it('answers autocomplete with the core’s choices', async () => {
    attach();
    handler.choices = [{ name: 'Cartel leaders', value: 'cartel_leaders' }];
    const raw = autocompleteInteraction(['watch', 'list'], 'watchlist', 'car');
    injectInteraction(client, raw);
    const sent = await fake.waitFor(callback(raw.id));
    expect(sent.body).toEqual({ type: 8, data: { choices: [{ name: 'Cartel leaders', value: 'cartel_leaders' }] } });
    expect(handler.autocompletes[0]).toMatchObject({ command: 'watch list', option: 'watchlist', typed: 'car' });
  });
});
