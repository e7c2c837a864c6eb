/**
 * The HTTP interactions endpoint as Discord sees it: signed POSTs to the service's real HTTP
 * server on 127.0.0.1, inline answers, and deferred replies edited through the real REST client
 * on a fake Discord.
 */
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/clock.js';
import { discordInteractionsRoute, type DiscordInteractionsRoute } from '../../../src/chat/discord/index.js';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/server.js';
import { silentLogger } from '../../../src/log.js';
import { startFakeDiscord, type FakeDiscord } from './fake-discord-interactions.js';
import {
  APP_ID,
  autocompleteInteraction,
  capturingLogger,
  commandInteraction,
  gate,
  newSigner,
  TestHandler,
  type Signer,
} from './fixtures.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const NOW_S = NOW / 1000;

let fake: FakeDiscord;
let server: RunningHttpServer | undefined;
let route: DiscordInteractionsRoute | undefined;
let handler: TestHandler;
let signer: Signer;
let logs: ReturnType<typeof capturingLogger>;

async function start(deferAfterMs = 2000): Promise<void> {
  route = discordInteractionsRoute({
    publicKey: signer.publicKeyHex,
    rest: new REST({ api: fake.api, offset: 0, retries: 1, timeout: 2000 }),
    clock: manualClock(NOW),
    handler,
    logger: logs.logger,
    deferAfterMs,
    incidentCode: (code) => `${code}-0badc0de`,
  });
  server = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [route], logger: silentLogger() });
}

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; type: string | null; json: unknown }> {
  const res = await fetch(`http://127.0.0.1:${server!.port}/discord/interactions`, { method: 'POST', headers, body });
  const text = await res.text();
  const type = res.headers.get('content-type');
  return { status: res.status, type, json: type?.includes('json') ? JSON.parse(text) : text };
}

function signed(payload: unknown, timestamp = NOW_S) {
  const body = JSON.stringify(payload);
  return post(body, signer.headers(body, timestamp));
}

beforeEach(async () => {
  fake = await startFakeDiscord();
  handler = new TestHandler();
  signer = newSigner();
  logs = capturingLogger();
});

afterEach(async () => {
  await route?.idle();
  await server?.stop();
  await fake.close();
  route = undefined;
  server = undefined;
});

describe('signature and PING', () => {
  beforeEach(() => start());

  it('answers a signed PING with PONG as JSON', async () => {
    const res = await signed({ type: 1, id: '1350000000000000001', application_id: APP_ID, token: 't', version: 1 });
    expect(res).toEqual({ status: 200, type: 'application/json', json: { type: 1 } });
  });

  it('refuses a signature made with another key', async () => {
    const body = JSON.stringify({ type: 1 });
    const res = await post(body, newSigner().headers(body, NOW_S));
    expect(res.status).toBe(401);
  });

  it('refuses a request without signature headers', async () => {
    const res = await post(JSON.stringify({ type: 1 }), { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
  });

  it('refuses a timestamp 6 minutes old, or 6 minutes ahead', async () => {
    expect((await signed({ type: 1 }, NOW_S - 360)).status).toBe(401);
    expect((await signed({ type: 1 }, NOW_S + 360)).status).toBe(401);
    expect((await signed({ type: 1 }, NOW_S - 240)).status).toBe(200);
  });

  it('refuses a tampered body', async () => {
    const body = JSON.stringify(commandInteraction(['status']));
    const headers = signer.headers(body, NOW_S);
    const res = await post(body.replace('"status"', '"help"'), headers);
    expect(res.status).toBe(401);
    expect(handler.requests).toEqual([]);
  });

  it('refuses a signature over another timestamp', async () => {
    const body = JSON.stringify({ type: 1 });
    const headers = { ...signer.headers(body, NOW_S), 'x-signature-timestamp': String(NOW_S + 1) };
    expect((await post(body, headers)).status).toBe(401);
  });
});

describe('commands', () => {
  it('answers a quick command inline: type 4, ephemeral, no mentions', async () => {
    await start();
    handler.replies.set('watch add', async (r) => ({ outcome: 'ok', lines: [['Added ', { code: r.options.term ?? '' }, ' to ', { bold: 'cartel_leaders' }]] }));
    const res = await signed(commandInteraction(['watch', 'add'], { watchlist: 'cartel_leaders', term: 'El Mencho' }));
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.json).toEqual({
      type: 4,
      data: { content: 'Added `El Mencho` to **cartel\\_leaders**', flags: 64, allowed_mentions: { parse: [] } },
    });
    expect(handler.requests[0]?.command).toBe('watch add');
    expect(fake.received).toEqual([]);
  });

  it('defers a slow command (type 5), then edits the original response through REST', async () => {
    await start(20);
    const slow = gate();
    handler.replies.set('status', async () => {
      await slow.wait;
      return { outcome: 'ok', lines: ['3 watchlists, 12 feeds @here'] };
    });
    const raw = commandInteraction(['status']);
    const res = await signed(raw);
    expect(res.json).toEqual({ type: 5, data: { flags: 64 } });
    expect(fake.received).toEqual([]);
    slow.open();
    const edit = await fake.waitFor((r) => r.method === 'PATCH');
    expect(edit.path).toBe(`/api/v10/webhooks/${APP_ID}/${raw.token}/messages/@original`);
    expect(edit.body).toEqual({ content: '3 watchlists, 12 feeds @\u200bhere', allowed_mentions: { parse: [] } });
    expect(edit.headers.authorization).toBeUndefined();
  });

  it('answers an unknown subcommand with a clear ephemeral reply', async () => {
    await start();
    const res = await signed(commandInteraction(['watch', 'rename'], { watchlist: 'x' }));
    expect(res.json).toEqual({
      type: 4,
      data: { content: 'Unknown command `/wirewatch watch rename`. Try `/wirewatch help`.', flags: 64, allowed_mentions: { parse: [] } },
    });
    expect(handler.requests).toEqual([]);
  });

  it('refuses a DM', async () => {
    await start();
    const res = await signed(commandInteraction(['status'], {}, { dm: true }));
    expect(res.json).toEqual({ type: 4, data: { content: 'This command works in a server channel.', flags: 64, allowed_mentions: { parse: [] } } });
    expect(handler.requests).toEqual([]);
  });

  it('shows only an incident code when the core throws; the log has the code and the error', async () => {
    await start();
    handler.replies.set('feeds list', async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/secret.db');
    });
    const res = await signed(commandInteraction(['feeds', 'list']));
    expect(res.json).toEqual({
      type: 4,
      data: { content: "Something went wrong; the operator's logs have code `internal-0badc0de`.", flags: 64, allowed_mentions: { parse: [] } },
    });
    const line = logs.lines().find((l) => l.msg === 'command failed');
    expect(line).toMatchObject({ incident: 'internal-0badc0de', code: 'internal', command: 'feeds list', channel_id: expect.any(String) });
    expect(JSON.stringify(line)).toContain('SQLITE_CORRUPT');
  });

  it('renders hostile reply text safely', async () => {
    await start();
    handler.replies.set('watch list', async () => ({
      outcome: 'ok',
      lines: ['@everyone <@&1123456789012345678> [Verify here](https://evil.example) **now**'],
    }));
    const res = await signed(commandInteraction(['watch', 'list']));
    expect(res.json).toEqual({
      type: 4,
      data: {
        content: '@\u200beveryone \\<@&1123456789012345678\\> \\[Verify here\\]\\(https://evil.example\\) \\*\\*now\\*\\*',
        flags: 64,
        allowed_mentions: { parse: [] },
      },
    });
  });
});

describe('autocomplete', () => {
  it('answers type 8 with at most 25 choices', async () => {
    await start();
    handler.choices = Array.from({ length: 30 }, (_, i) => ({ name: `Cartel list ${i}`, value: `cartel_${i}` }));
    const res = await signed(autocompleteInteraction(['watch', 'add'], 'watchlist', 'cart'));
    expect(res.status).toBe(200);
    const json = res.json as { type: number; data: { choices: { name: string; value: string }[] } };
    expect(json.type).toBe(8);
    expect(json.data.choices).toHaveLength(25);
    expect(json.data.choices[0]).toEqual({ name: 'Cartel list 0', value: 'cartel_0' });
    expect(handler.autocompletes).toEqual([expect.objectContaining({ command: 'watch add', option: 'watchlist', typed: 'cart' })]);
  });
});

describe('configuration', () => {
  it('rejects a public key that is not 64 hex characters', () => {
    expect(() =>
      discordInteractionsRoute({
        publicKey: 'not-a-key',
        rest: new REST({ api: 'http://127.0.0.1:9/api' }),
        clock: manualClock(NOW),
        handler: new TestHandler(),
        logger: silentLogger(),
      }),
    ).toThrow(expect.objectContaining({ code: 'config_invalid' }));
  });
});
