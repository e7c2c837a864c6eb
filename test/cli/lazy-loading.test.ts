/**
 * A command loads only the code it needs. `match` and `cluster` read JSON lines and answer from
 * the configuration: no network, store or chat package may load (each costs start-up time and
 * memory, and the Redis client slows the matcher by a third or more: see BENCHMARKS.md).
 * `check --offline` on SQLite opens the store but no Redis client, and no chat SDK without its
 * token. Redis code loads for redis:// URLs, chat SDKs when their tokens are set, pino-pretty only
 * when log lines are made readable. The built CLI
 * runs with a module-loading hook that records every module the process loads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCliRecordingLoads } from '../helpers/loaded-packages.js';

const NETWORK_STORE_AND_CHAT = [
  'undici',
  '@redis/client',
  '@keyv/redis',
  'discord.js',
  '@slack/bolt',
  '@slack/web-api',
  'prom-client',
  'sqlite3',
  '@keyv/sqlite',
];
const REDIS_AND_CHAT = ['@redis/client', '@keyv/redis', 'discord.js', '@slack/bolt', '@slack/web-api', 'prom-client'];

/** The forbidden packages among those loaded, with every @discordjs/* and @slack/* package counted. */
function loadedOf(packages: Set<string>, forbidden: readonly string[]): string[] {
  return [...packages].filter((name) => forbidden.includes(name) || (forbidden.includes('discord.js') && name.startsWith('@discordjs/')) || (forbidden.includes('@slack/bolt') && name.startsWith('@slack/'))).sort();
}

let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-lazy-'));
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'feeds:',
      '  - id: local',
      '    url: http://127.0.0.1:9/feed.xml',
      'watchlists:',
      '  - id: extradition',
      '    name: Extraditions',
      '    terms: [extradited]',
    ].join('\n'),
  );
  env = { WIREWATCH_CONFIG: join(dir, 'config.yaml'), STORE_URL: `sqlite://${join(dir, 'store.sqlite')}` };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const story = { title: 'Suspect extradited to France', description: 'The court agreed.', language: 'en', published: '2025-08-12T14:00:00Z' };

describe('what each command loads', () => {
  it('match loads no network, store or chat code', async () => {
    const result = await runCliRecordingLoads(['match'], { env, cwd: dir, input: `${JSON.stringify(story)}\n` });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ watchlists: ['extradition'] });
    // The recorder sees packages at all: the configuration is read with yaml and zod.
    expect(result.packages).toContain('yaml');
    expect(result.packages).toContain('zod');
    expect(loadedOf(result.packages, NETWORK_STORE_AND_CHAT)).toEqual([]);
  });

  it('cluster loads no network, store or chat code', async () => {
    const result = await runCliRecordingLoads(['cluster'], { env, cwd: dir, input: `${JSON.stringify(story)}\n` });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ new: true });
    expect(result.packages).toContain('zod');
    expect(loadedOf(result.packages, NETWORK_STORE_AND_CHAT)).toEqual([]);
  });

  it('check --offline on SQLite loads SQLite but no Redis client, metrics or chat SDK', async () => {
    const result = await runCliRecordingLoads(['check', '--offline'], { env, cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.packages).toContain('sqlite3');
    expect(loadedOf(result.packages, REDIS_AND_CHAT)).toEqual([]);
  });

  it('poll loads only the parts of undici the fetcher uses: not its index, fetch, WebSocket, caches or mocks', async () => {
    const result = await runCliRecordingLoads(['poll', '--once'], { env: { ...env, LOG_LEVEL: 'error' }, cwd: dir });
    const undiciFiles = result.modules.filter((url) => url.includes('/node_modules/undici/')).map((url) => url.slice(url.indexOf('/node_modules/undici/') + '/node_modules/undici/'.length));
    // The fetcher ran: its dispatcher and request code loaded.
    expect(undiciFiles).toContain('lib/dispatcher/agent.js');
    expect(undiciFiles).toContain('lib/api/api-request.js');
    expect(undiciFiles.filter((file) => file === 'index.js' || /^lib\/(web|mock|cache)\//.test(file))).toEqual([]);
    // The feed answered nothing (nothing listens on port 9): no document, so no feed parser.
    expect(result.packages).not.toContain('rss-parser');
  });

  it('loads pino-pretty only for readable log lines: not when stderr is a pipe, and when LOG_FORMAT=pretty', async () => {
    const piped = await runCliRecordingLoads(['check', '--offline'], { env, cwd: dir });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.packages).toContain('pino');
    expect(piped.packages).not.toContain('pino-pretty');
    const readable = await runCliRecordingLoads(['check', '--offline'], { env: { ...env, LOG_FORMAT: 'pretty' }, cwd: dir });
    expect(readable.code, readable.stderr).toBe(0);
    expect(readable.packages).toContain('pino-pretty');
  });

  it('check --offline loads the chat SDKs when their tokens are set', async () => {
    const tokens = {
      DISCORD_TOKEN: 'token-for-a-test',
      DISCORD_APPLICATION_ID: '123456789012345678',
      SLACK_BOT_TOKEN: 'xoxb-token-for-a-test',
      SLACK_SIGNING_SECRET: 'secret-for-a-test',
    };
    const result = await runCliRecordingLoads(['check', '--offline'], { env: { ...env, ...tokens }, cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.packages).toContain('discord.js');
    expect(result.packages).toContain('@slack/bolt');
  });

  const redisUrl = inject('redisUrl');
  it.skipIf(redisUrl === null)(`check --offline on redis:// loads the Redis client${redisUrl === null ? ` (skipped: ${inject('redisSkipReason')})` : ''}`, async () => {
    const result = await runCliRecordingLoads(['check', '--offline'], { env: { ...env, STORE_URL: redisUrl! }, cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.packages).toContain('@redis/client');
    expect(result.packages).toContain('@keyv/redis');
    expect(result.packages).not.toContain('sqlite3');
  });
});
