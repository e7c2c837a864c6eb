/**
 * The `wirewatch` binary as a user runs it: exit codes, what reaches stdout and stderr.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { readsZeroEmbedderRateAsHigh } from '../../src/app/memory-reducer-aid.js';

let server: LoopbackServer;
let dir: string;
let watchConfig: string;
const now = Date.now();
const items: TestItem[] = [
  { guid: '1', title: 'Mexico extradited 26 cartel figures', description: 'They were flown to the US on Tuesday.', published: now - 3_600_000 },
  { guid: '2', title: 'Tariffs on Mexico paused', published: now - 3_600_000 },
  { guid: '3', title: 'Local weather', published: now - 3_600_000 },
];

beforeAll(async () => {
  server = await startLoopbackServer();
  server.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
  });
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-cli-'));
  // The tests bring their own watchlists; the shipped ones are tested on real headlines elsewhere.
  watchConfig = writeConfig(
    'watch.yaml',
    [
      'entities:',
      '  - id: el_mayo',
      '    name: Ismael "El Mayo" Zambada',
      '    aliases: [Mayo Zambada]',
      '    ambiguous_aliases: [El Mayo]',
      '    context: cartel* OR narco* OR capo',
      'watchlists:',
      '  - id: extradition',
      '    name: Extraditions',
      '    query: extradit* OR "sent to the United States"',
      '  - id: tariffs',
      '    name: Tariffs',
      '    query: (tariff* OR aranceles) NEAR/3 (Mexico OR México)',
      '  - id: cartel_leaders',
      '    name: Cartel leaders',
      '    entities: [el_mayo]',
    ].join('\n'),
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const oneLine = (text: string) => text.trim().split('\n');

describe('usage errors exit 2 with one line of usage on stderr', () => {
  it.each([
    [[], /^wirewatch: no command given\. Usage: wirewatch run \| poll \| match \| cluster \| check/],
    [['frobnicate'], /^wirewatch: unknown command "frobnicate"\. Usage:/],
    // Names every object has, from Object.prototype: not commands either.
    [['constructor'], /^wirewatch: unknown command "constructor"\. Usage:/],
    [['toString'], /^wirewatch: unknown command "toString"\. Usage:/],
    [['__proto__'], /^wirewatch: unknown command "__proto__"\. Usage:/],
    [['poll', '--bogus'], /^wirewatch: Unknown option '--bogus'.*Usage: wirewatch poll --once \[--feed URL\]\.\.\. \[--dry-run\] \[--json\]$/],
    [['match', '--config'], /^wirewatch: Option '--config <value>' argument missing.*Usage: wirewatch match/],
    [['poll', '--once', '--feed', 'ftp://example.org/feed'], /--feed "ftp:\/\/example.org\/feed": only http and https feeds are supported, got ftp:\. Usage:/],
  ])('wirewatch %j', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('--help prints the full usage on stdout and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wirewatch poll --once');
  });
});

describe('configuration errors exit 78 naming the file, the path and the problem, without a stack trace', () => {
  it('a bad config file', async () => {
    const path = writeConfig('bad.yaml', 'watchlists:\n  - id: x\n    name: X\n    query: extradition AND "unclosed\n');
    const result = await runCli(['check'], { env: { WIREWATCH_CONFIG: path } });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(`${path} (watchlists[0].query, line 4): unclosed quote at column 17`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad environment setting, for any command', async () => {
    const result = await runCli(['match'], { env: { MAX_ITEM_AGE: 'soon' }, input: '{"title":"x"}\n' });
    expect(result.code).toBe(78);
    expect(result.stderr.trim()).toBe('wirewatch: invalid configuration:\n  environment MAX_ITEM_AGE: "soon" is not a duration (examples: 30s, 5m, 2h, 2d)');
  });
});

describe('wirewatch match', () => {
  it('answers every line in order; a bad line gets an error and the rest go on', async () => {
    const input = [
      '{"title":"Mexico extradites \\"El Mayo\\" associate","description":"A transfer of a capo.","language":"en"}',
      'not json',
      '{"description":"no title"}',
      '{"title":"Aranceles a México","description":"Trump anunció aranceles a México.","language":"es"}',
      '{"title":"Local weather"}',
    ].join('\n');
    const result = await runCli(['match'], { input: `${input}\n`, env: { WIREWATCH_CONFIG: watchConfig } });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ watchlists: ['extradition', 'cartel_leaders'] });
    expect(lines[1]).toEqual({ error: expect.stringMatching(/^not JSON/) });
    expect(lines[2]).toEqual({ error: 'title: "title" must be a string' });
    expect(lines[3]).toEqual({
      watchlists: ['tariffs'],
      matches: [
        { watchlist: 'tariffs', term: 'aranceles', field: 'title' },
        { watchlist: 'tariffs', term: 'Mexico', field: 'title' },
        { watchlist: 'tariffs', term: 'aranceles', field: 'summary' },
        { watchlist: 'tariffs', term: 'Mexico', field: 'summary' },
      ],
    });
    expect(lines[4]).toEqual({ watchlists: [], matches: [] });
    expect(result.stderr).toContain('2 input line(s) could not be read');
  });

  it('uses --config instead of the shipped watchlists', async () => {
    const path = writeConfig('mine.yaml', 'watchlists:\n  - id: mine\n    name: Mine\n    terms: [weather]\n');
    const result = await runCli(['match', '--config', path], { input: '{"title":"Local weather"}\n' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ watchlists: ['mine'], matches: [{ watchlist: 'mine', term: 'weather', field: 'title' }] });
  });
});

describe('wirewatch poll', () => {
  it('--dry-run --json --feed prints one JSON object per matching item and records nothing', async () => {
    const store = join(dir, 'dry.sqlite');
    const result = await runCli(['poll', '--once', '--dry-run', '--json', '--feed', server.url('/feed.xml')], {
      env: { STORE_URL: `sqlite://${store}`, WIREWATCH_CONFIG: watchConfig },
    });
    expect(result.code).toBe(0);
    const alerts = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(alerts.map((a) => (a['story'] as { title: string }).title).sort()).toEqual([
      'Mexico extradited 26 cartel figures',
      'Tariffs on Mexico paused',
    ]);
    expect(alerts[0]).toEqual({
      story: { id: expect.any(String), title: expect.any(String), link: null, published: expect.any(String), source: 'Test feed' },
      watchlists: expect.any(Array),
      matches: expect.any(Array),
      summary: expect.any(String),
      channel: 'console',
    });
    expect(result.stderr).toContain('2 current item(s) match (dry run: nothing recorded)');
  });

  it('a first real poll records the feed and prints no alerts', async () => {
    const result = await runCli(['poll', '--once', '--feed', server.url('/feed.xml')], {
      env: { STORE_URL: `sqlite://${join(dir, 'first.sqlite')}` },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('1 polled for the first time (recorded, no alerts)');
  });

  it('exits 1 and says why when a feed fails', async () => {
    const result = await runCli(['poll', '--once', '--feed', server.url('/missing.xml')], {
      env: { STORE_URL: 'memory://' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/"code":"feed_http_status"/);
    expect(result.stderr).toContain('1 failed');
  });
});

describe('wirewatch check', () => {
  it('prints a table of feeds and exits 1 when one fails', async () => {
    const path = writeConfig(
      'check.yaml',
      `feeds:\n  - id: good\n    url: ${server.url('/feed.xml')}\n  - id: gone\n    url: ${server.url('/gone.xml')}\nwatchlists: []\n`,
    );
    const result = await runCli(['check'], { env: { WIREWATCH_CONFIG: path, STORE_URL: `sqlite://${join(dir, 'check.sqlite')}` } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^store sqlite \(.*check\.sqlite\): ok, writable$/m);
    expect(result.stdout).toMatch(/^good\s+ok\s+3\s+\d+\.\ds/m);
    expect(result.stdout).toMatch(/^gone\s+failed\s+-\s+\d+\.\ds\s+feed_http_status: .*404/m);
    expect(result.stdout).toContain('1 of 2 feed(s) ok');
  });
});

describe('wirewatch run', () => {
  it('explains itself, polls, prints new alerts, and exits 0 on SIGTERM', async () => {
    const feedItems: TestItem[] = [{ guid: 'r0', title: 'Already there: extradition', published: Date.now() - 60_000 }];
    server.route('/run.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(feedItems));
    });
    const path = writeConfig('run.yaml', `feeds:\n  - id: run\n    url: ${server.url('/run.xml')}\nwatchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradition]\n`);
    const run = startCli(['run'], {
      env: { WIREWATCH_CONFIG: path, STORE_URL: `sqlite://${join(dir, 'run.sqlite')}`, POLL_SCHEDULE: '* * * * * *', HTTP_PORT: '0' },
    });
    let stdout = '';
    let stderr = '';
    run.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    run.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const until = async (predicate: () => boolean, what: string) => {
      const deadline = Date.now() + 15_000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr so far:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until(() => stderr.includes('first poll of this feed'), 'the baseline poll');
    expect(stderr).toContain('No chat token is set, so alerts are printed here.');
    expect(stderr).toContain('watching 1 feed(s)');
    expect(stderr).toContain('The first poll of each feed only records the stories already there');
    expect(stderr).toContain('npx wirewatch poll --once --dry-run');
    expect(stdout).toBe('');

    feedItems.push({ guid: 'r1', title: 'Breaking: extradition of a capo', published: Date.now() });
    await until(() => stdout.includes('Breaking: extradition of a capo'), 'the alert');
    run.child.kill('SIGTERM');
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(stderr).toContain('"msg":"stopped"');
    expect(stdout.match(/Breaking: extradition of a capo/g)).toHaveLength(1);
    expect(stdout).not.toContain('Already there');
  });

  it('starts the memory reducer aid where this V8 needs it (decision 020), and says so in its debug log', async () => {
    const path = writeConfig('aid.yaml', `feeds: []\nwatchlists: []\n`);
    const run = startCli(['run'], {
      env: { WIREWATCH_CONFIG: path, STORE_URL: `sqlite://${join(dir, 'aid.sqlite')}`, HTTP_PORT: '0', LOG_LEVEL: 'debug', LOG_FORMAT: 'json' },
    });
    let stderr = '';
    run.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 15_000;
    while (!stderr.includes('"msg":"memory reducer aid"')) {
      if (Date.now() > deadline) throw new Error(`no memory reducer aid line; stderr so far:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    run.child.kill('SIGTERM');
    expect((await run.done).code).toBe(0);
    const line = JSON.parse(stderr.split('\n').find((l) => l.includes('"msg":"memory reducer aid"'))!) as { v8: string; active: boolean };
    expect(line).toMatchObject({ v8: process.versions.v8, active: readsZeroEmbedderRateAsHigh(process.versions.v8) });
  });
});
