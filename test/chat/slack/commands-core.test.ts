/**
 * `/wirewatch` from Slack through to the real command core on a real SQLite store: signed POSTs
 * to our HTTP server, the real Bolt App against the fake Slack API, the reply as Slack shows it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackPlatform } from '../../../src/chat/slack/index.js';
import type { ChatPlatform } from '../../../src/chat/platform.js';
import { manualClock } from '../../../src/clock.js';
import { createCommandHandler } from '../../../src/commands/index.js';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/server.js';
import { silentLogger } from '../../../src/log.js';
import { createRepositories, openStore, type KeyValueStore } from '../../../src/store/index.js';
import { signedHeaders, slashCommandBody, startFakeSlackCommands, type FakeSlackCommands } from './fake-slack-commands.js';
import { channelQueue, createMemoryOutbox } from '../../../src/outbox/index.js';

const outbox = createMemoryOutbox();

const NOW = Date.parse('2026-12-01T12:00:00Z');
const clock = manualClock(NOW);

let dir: string;
let store: KeyValueStore;
let fake: FakeSlackCommands;
let platform: ChatPlatform;
let server: RunningHttpServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-slack-commands-'));
  store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  const repositories = createRepositories(store, { seenTtlMs: 86_400_000, deliveryTtlMs: 86_400_000 });
  const commands = createCommandHandler({
    repositories,
    shipped: {
      feeds: [{ id: 'wire', url: 'https://wire.example/rss', name: 'The Wire', language: 'en' }],
      watchlists: [
        { id: 'extradition', name: 'Extraditions', terms: ['extradited', 'extradition'] },
        { id: 'tariffs', name: 'Tariffs & <trade>', terms: ['tariff'] },
      ],
      entities: [],
    },
    checkFeedUrl: () => Promise.reject(new Error('no feed URLs in this test')),
    clock,
    logger: silentLogger(),
    lastCycle: () => null,
    queueOf: (channel: string) => channelQueue(outbox, channel),
  });
  fake = await startFakeSlackCommands();
  fake.users.set('UMEMBER', { is_admin: false });
  platform = createSlackPlatform(
    { botToken: 'xoxb-test', appToken: null, signingSecret: 'core-secret', apiUrl: fake.apiUrl, adminUsers: ['UEDITOR'] },
    { commands, logger: silentLogger(), clock, sink: { name: 'slack-test', deliver: () => Promise.resolve() } },
  );
  await platform.start();
  server = await startHttpServer({ port: 0, host: '127.0.0.1', routes: platform.routes, logger: silentLogger() });
});

afterAll(async () => {
  await server.stop();
  await platform.stop();
  await fake.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function slash(text: string, user_id = 'UMEMBER'): Promise<string> {
  const body = slashCommandBody({ text, user_id, team_id: 'T42', response_url: fake.responseUrl('core') });
  const res = await fetch(`http://127.0.0.1:${server.port}/slack/events`, { method: 'POST', headers: signedHeaders(body, NOW / 1000, 'core-secret'), body });
  expect(res.status).toBe(200);
  const reply = (await res.json()) as { response_type: string; text: string };
  expect(reply.response_type).toBe('ephemeral');
  return reply.text;
}

describe('Slack commands with the real command core', () => {
  it('/wirewatch watch list lists the watchlists this workspace sees, escaped for mrkdwn', async () => {
    expect(await slash('watch list')).toBe(
      ['Watchlists here (2):', '`extradition` — Extraditions (shipped)', '`tariffs` — Tariffs &amp; &lt;trade&gt; (shipped)'].join('\n'),
    );
  });

  it('refuses a change by a member, naming who may', async () => {
    const text = await slash('subscribe extradition');
    expect(text).toMatch(/^you cannot change this channel’s alerts: that needs /);
    expect(text).toContain('a workspace admin or owner, or a user listed in SLACK_ADMIN_USERS');
  });

  it('lets a listed user add a quoted phrase, which stays one term', async () => {
    expect(await slash('watch add tariffs "steel quota"', 'UEDITOR')).toContain('Added `"steel quota"` to `tariffs`.');
    expect(await slash('watch list tariffs')).toContain('terms: `tariff, steel quota`');
  });
});
