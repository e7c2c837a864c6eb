import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, feedIdFromUrl } from '../../src/config/index.js';
import { parseByteSize, parseDuration } from '../../src/config/durations.js';
import { WirewatchError } from '../../src/errors.js';

const packageRoot = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wirewatch-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WirewatchError);
    expect((error as WirewatchError).code).toBe('config_invalid');
    return (error as WirewatchError).details?.['problems'] as string[];
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('loads the shipped defaults with no environment at all', () => {
    const config = loadConfig({ env: {}, packageRoot });
    expect(config.configFile).toBe(join(packageRoot, 'config/default.yaml'));
    expect(config.watchlists.map((w) => w.id)).toEqual(['extradition', 'tariffs', 'cartel_leaders']);
    expect(config.feeds.length).toBeGreaterThanOrEqual(6);
    expect(config.store.url).toBe('sqlite://./data/wirewatch.sqlite');
    expect(config.poll).toEqual({
      schedule: '*/5 * * * *',
      maxItemAgeMs: 2 * 86_400_000,
      seenTtlMs: 30 * 86_400_000,
      deliveryTtlMs: 30 * 86_400_000,
      leaseTtlMs: 30_000,
    });
    expect(config.delivery.claimTtlMs).toBe(5 * 60_000);
    expect(config.fetch).toMatchObject({ maxBytes: 5 * 1024 * 1024, maxRedirects: 5, allowPrivate: false });
    expect(config.delivery.burstLimit).toBe(10);
    expect(config.fetch.userAgent).toMatch(/^wirewatch\/\d+\.\d+\.\d+ \(\+https?:\/\/.+\)$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads settings from the environment, treating empty values as unset', () => {
    const config = loadConfig({
      env: { POLL_SCHEDULE: '*/30 * * * * *', MAX_ITEM_AGE: '6h', ALLOW_PRIVATE_FEEDS: 'true', FETCH_MAX_BYTES: '512KB', LOG_LEVEL: '' },
      packageRoot,
    });
    expect(config.poll.schedule).toBe('*/30 * * * * *');
    expect(config.poll.maxItemAgeMs).toBe(6 * 3_600_000);
    expect(config.fetch.allowPrivate).toBe(true);
    expect(config.fetch.maxBytes).toBe(512 * 1024);
    expect(config.log.level).toBe('info');
    expect(loadConfig({ env: { BURST_LIMIT: '25' }, packageRoot }).delivery.burstLimit).toBe(25);
    const replicas = loadConfig({ env: { POLL_LEASE_TTL: '2s', DELIVERY_CLAIM_TTL: '45s' }, packageRoot });
    expect(replicas.poll.leaseTtlMs).toBe(2000);
    expect(replicas.delivery.claimTtlMs).toBe(45_000);
  });

  it('lists every bad environment setting at once', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          POLL_SCHEDULE: 'every five minutes',
          MAX_ITEM_AGE: 'soon',
          ALLOW_PRIVATE_FEEDS: 'maybe',
          STORE_URL: 'mysql://db',
          FETCH_CONCURRENCY: '0',
          LOG_LEVEL: 'loud',
        },
        packageRoot,
      }),
    );
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/environment POLL_SCHEDULE: "every five minutes" is not a cron expression/);
    expect(problems.join('\n')).toMatch(/environment MAX_ITEM_AGE: "soon" is not a duration/);
    expect(problems.join('\n')).toMatch(/environment ALLOW_PRIVATE_FEEDS: must be true or false/);
    expect(problems.join('\n')).toMatch(/environment STORE_URL: must start with sqlite:\/\/, redis:\/\//);
    expect(problems.join('\n')).toMatch(/environment FETCH_CONCURRENCY: must be at least 1/);
    expect(problems.join('\n')).toMatch(/environment LOG_LEVEL:/);
  });

  it.each([
    ['FETCH_TIMEOUT', '0s', /environment FETCH_TIMEOUT: "0s" is out of range: must be between 1s and 10m/],
    ['FETCH_TIMEOUT', '999999999d', /environment FETCH_TIMEOUT: "999999999d" is out of range/],
    ['FETCH_CONNECT_TIMEOUT', '0', /environment FETCH_CONNECT_TIMEOUT: "0" is out of range: must be between 1s and 10m/],
    ['SHUTDOWN_TIMEOUT', '30d', /environment SHUTDOWN_TIMEOUT: "30d" is out of range: must be between 0s and 10m/],
    ['MAX_ITEM_AGE', '999999999d', /environment MAX_ITEM_AGE: "999999999d" is out of range: must be between 1m and 365d/],
    ['SEEN_TTL', '10s', /environment SEEN_TTL: "10s" is out of range: must be between 1h and 365d/],
    ['DELIVERY_TTL', '1000d', /environment DELIVERY_TTL: "1000d" is out of range/],
    ['FEED_BACKOFF_BASE', '0s', /environment FEED_BACKOFF_BASE: "0s" is out of range: must be between 1s and 1d/],
    ['FEED_BACKOFF_MAX', '100d', /environment FEED_BACKOFF_MAX: "100d" is out of range: must be between 1m and 30d/],
    ['FETCH_MAX_BYTES', '10GB', /environment FETCH_MAX_BYTES: "10GB" is out of range: must be between 1KB and 256MB/],
    ['FETCH_MAX_BYTES', '12', /environment FETCH_MAX_BYTES: "12" is out of range/],
    ['BURST_LIMIT', '0', /environment BURST_LIMIT: must be at least 1/],
    ['BURST_LIMIT', '101', /environment BURST_LIMIT: must be at most 100/],
    ['BURST_LIMIT', '2.5', /environment BURST_LIMIT: must be a whole number/],
  ])('refuses %s=%s with the allowed range', (name, value, message) => {
    const problems = problemsOf(() => loadConfig({ env: { [name]: value }, packageRoot }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reads the Discord settings, and refuses incomplete or malformed ones', () => {
    const config = loadConfig({
      env: { DISCORD_TOKEN: 'bot-token', DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_PUBLIC_KEY: 'ab'.repeat(32), HTTP_PORT: '0' },
      packageRoot,
    });
    expect(config.discord).toEqual({ token: 'bot-token', applicationId: '123456789012345678', publicKey: 'ab'.repeat(32), apiUrl: 'https://discord.com/api' });
    expect(config.http).toEqual({ port: 0, host: '0.0.0.0' });
    expect(loadConfig({ env: {}, packageRoot }).discord).toBeNull();
    expect(problemsOf(() => loadConfig({ env: { DISCORD_TOKEN: 'x', DISCORD_PUBLIC_KEY: 'zz', HTTP_PORT: '99999' }, packageRoot }))).toEqual([
      'environment HTTP_PORT: must be a port number',
      'environment DISCORD_PUBLIC_KEY: the application public key: 64 hex characters',
      'environment DISCORD_APPLICATION_ID: is needed with DISCORD_TOKEN (the application id from the developer portal)',
    ]);
    expect(problemsOf(() => loadConfig({ env: { DISCORD_TOKEN: 'x' }, packageRoot }))).toEqual([
      'environment DISCORD_APPLICATION_ID: is needed with DISCORD_TOKEN (the application id from the developer portal)',
    ]);
  });

  it('reads the Slack settings, and refuses incomplete or malformed ones', () => {
    const config = loadConfig({
      env: { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'http://127.0.0.1:9/api', SLACK_ADMIN_USERS: 'U123, W456' },
      packageRoot,
    });
    expect(config.slack).toEqual({ botToken: 'xoxb-1', appToken: 'xapp-1', signingSecret: null, apiUrl: 'http://127.0.0.1:9/api/', adminUsers: ['U123', 'W456'] });
    expect(loadConfig({ env: {}, packageRoot }).slack).toBeNull();
    expect(problemsOf(() => loadConfig({ env: { SLACK_BOT_TOKEN: 'xoxb-1' }, packageRoot }))).toEqual([
      'environment SLACK_SIGNING_SECRET: is needed with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
    expect(problemsOf(() => loadConfig({ env: { SLACK_BOT_TOKEN: 'nope', SLACK_APP_TOKEN: 'xapp-1', SLACK_ADMIN_USERS: 'alice' }, packageRoot }))).toEqual([
      'environment SLACK_BOT_TOKEN: a bot token, starting xoxb-',
      'environment SLACK_ADMIN_USERS: Slack user ids (U…), separated by commas or spaces',
    ]);
  });

  it('refuses settings that contradict each other, naming the one to change', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: { FETCH_TIMEOUT: '5s', FETCH_CONNECT_TIMEOUT: '10s', FEED_BACKOFF_BASE: '2h', FEED_BACKOFF_MAX: '1h', MAX_ITEM_AGE: '40d', SEEN_TTL: '30d' },
        packageRoot,
      }),
    );
    expect(problems).toEqual([
      'environment FETCH_CONNECT_TIMEOUT: must not exceed FETCH_TIMEOUT (the connect time is part of the total)',
      'environment FEED_BACKOFF_BASE: must not exceed FEED_BACKOFF_MAX (the first wait is the shortest)',
      'environment MAX_ITEM_AGE: must not exceed SEEN_TTL (a story forgotten while still young enough to alert would alert again)',
      'environment MAX_ITEM_AGE: must not exceed DELIVERY_TTL (a delivery forgotten while its story could still alert could be posted again)',
    ]);
  });

  it('refuses a YAML alias bomb and an oversized file as configuration errors naming the file', () => {
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    const names = 'bcdefghi'.split('');
    names.forEach((name, index) => lines.push(`${name}: &${name} [${Array(9).fill(`*${index === 0 ? 'a' : names[index - 1]}`).join(', ')}]`));
    lines.push('watchlists: *i');
    const bomb = file('bomb.yaml', `${lines.join('\n')}\n`);
    expect(problemsOf(() => loadConfig({ env: {}, packageRoot, configFile: bomb }))).toEqual([
      `${bomb}: YAML aliases expand too much (more than 1000 expansions): write the values out instead of nesting aliases of aliases`,
    ]);
    const huge = file('huge.yaml', `# ${'x'.repeat(5 * 1024 * 1024)}\nfeeds: []\n`);
    expect(problemsOf(() => loadConfig({ env: {}, packageRoot, configFile: huge }))[0]).toMatch(
      /huge\.yaml: the file is \d+ bytes; a config file may be at most 4194304 bytes/,
    );
  });

  it('refuses entities nested deeper than the limit, at the deepest one, without overflowing the stack', () => {
    const chain = (length: number) =>
      ['entities:', ...Array.from({ length }, (_, i) => `  - id: e${i}\n    name: E${i}\n    aliases: [alias${i}]\n${i + 1 < length ? `    context: "@e${i + 1}"\n` : ''}`)].join('\n');
    expect(() => loadConfig({ env: {}, packageRoot, configFile: file('chain-ok.yaml', chain(20)) })).not.toThrow();
    const deep = file('chain-deep.yaml', chain(1500));
    const problems = problemsOf(() => loadConfig({ env: {}, packageRoot, configFile: deep }));
    expect(problems).toEqual([`${deep} (entities[0].context, line 5): entity references nest 1500 deep from here (an entity naming an entity naming …); at most 20`]);
  });

  it('still expands a modest use of YAML aliases', () => {
    const path = file(
      'aliases.yaml',
      'watchlists:\n  - id: w\n    name: W\n    terms: [tariffs]\n    languages: &langs [en, es]\n  - id: v\n    name: V\n    terms: [extradition]\n    languages: *langs\n',
    );
    expect(loadConfig({ env: {}, packageRoot, configFile: path }).watchlists.map((w) => w.languages)).toEqual([['en', 'es'], ['en', 'es']]);
  });

  it('names the file, the path inside it and the line of each problem', () => {
    const path = file(
      'bad.yaml',
      [
        'feeds:',
        '  - url: ftp://example.org/feed',
        '  - url: https://example.org/rss',
        '    colour: blue',
        'watchlists:',
        '  - id: Bad Id',
        '    name: x',
        '    query: tariffs NEAR Mexico',
        '  - id: dup',
        '    name: one',
        '    terms: [a]',
        '  - id: dup',
        '    name: two',
        '    terms: [b]',
      ].join('\n'),
    );
    const problems = problemsOf(() => loadConfig({ env: { WIREWATCH_CONFIG: path }, packageRoot }));
    const text = problems.join('\n');
    expect(text).toContain(`${path} (feeds[0].url, line 2): must be an http:// or https:// URL`);
    expect(text).toMatch(new RegExp(`${path} \\(feeds\\[1\\], line 3\\): Unrecognized key: "colour"`));
    expect(text).toContain(`${path} (watchlists[0].id, line 6): lower-case letters`);
    expect(text).toContain(`${path} (watchlists[0].query, line 8): NEAR needs a distance at column 9, e.g. NEAR/5`);
    expect(text).toContain(`${path} (watchlists[2].id, line 12): duplicate watchlist id "dup"`);
  });

  it('reports YAML syntax errors with their line, and a missing file', () => {
    const broken = file('broken.yaml', 'feeds:\n  - url: "unterminated\nwatchlists: []\n');
    expect(problemsOf(() => loadConfig({ env: {}, packageRoot, configFile: broken })).join('\n')).toMatch(
      new RegExp(`${broken} \\(line \\d+\\): YAML syntax`),
    );
    expect(problemsOf(() => loadConfig({ env: {}, packageRoot, configFile: join(dir, 'nope.yaml') }))).toEqual([
      `${join(dir, 'nope.yaml')}: file not found`,
    ]);
  });

  it('names unknown entity references, and validates entities', () => {
    const path = file(
      'entities.yaml',
      [
        'entities:',
        '  - id: el_mayo',
        '    name: El Mayo',
        '    ambiguous_aliases: [El Mayo]',
        'watchlists:',
        '  - id: w',
        '    name: W',
        '    query: "@el_mayo OR @la_tuta"',
        '    entities: [nobody]',
      ].join('\n'),
    );
    const text = problemsOf(() => loadConfig({ env: {}, packageRoot, configFile: path })).join('\n');
    expect(text).toContain(`${path} (entities[0].context, line 2): ambiguous aliases need a context query that must also match`);
    expect(text).toContain(`${path} (watchlists[0].query, line 8): unknown entity "@la_tuta" at column 13`);
    expect(text).toContain(`${path} (watchlists[0].entities[0], line 9): unknown entity "nobody"`);
  });

  it('reports environment and file problems together', () => {
    const path = file('one.yaml', 'feeds: 3\n');
    const problems = problemsOf(() => loadConfig({ env: { MAX_ITEM_AGE: 'x', WIREWATCH_CONFIG: path }, packageRoot }));
    expect(problems).toHaveLength(2);
  });

  it('derives readable, unique feed ids from URLs', () => {
    const path = file('ids.yaml', 'feeds:\n  - url: https://www.example.org/rss.xml\n  - url: https://www.example.org/rss.xml?x=1\n');
    const config = loadConfig({ env: {}, packageRoot, configFile: path });
    expect(config.feeds.map((f) => f.id)).toEqual(['example.org-rss.xml', 'example.org-rss.xml-2']);
    expect(feedIdFromUrl('https://news.google.com/rss/search?q=x')).toBe('news.google.com-rss-search');
  });
});

describe('durations and sizes', () => {
  it.each([
    ['2d', 172_800_000],
    ['30 days', 2_592_000_000],
    ['5m', 300_000],
    ['1500', 1500],
    ['soon', null],
  ])('parseDuration(%s) = %s', (raw, ms) => expect(parseDuration(raw)).toBe(ms));

  it.each([
    ['5MB', 5 * 1024 * 1024],
    ['512kb', 512 * 1024],
    ['2048', 2048],
    ['1.5 MB', 1572864],
    ['lots', null],
  ])('parseByteSize(%s) = %s', (raw, bytes) => expect(parseByteSize(raw)).toBe(bytes));
});
