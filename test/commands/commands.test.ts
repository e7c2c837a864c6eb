/**
 * The command core with a real SQLite store: every command's reply as a chat user would read it,
 * the rows it leaves, who may do what, and that tenants never see each other's watchlists.
 * The feed URL check is the fetcher's own guard with a stubbed resolver (no DNS, no connection).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandHandler, type CommandHandler, type CommandName, type CommandReply, type CycleSummary } from '../../src/commands/index.js';
import { checkFeedDestination, type ResolveHost } from '../../src/feeds/fetch/address-guard.js';
import { openStore, createRepositories, type KeyValueStore, type Repositories } from '../../src/store/index.js';
import { manualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { channelQueue, createMemoryOutbox } from '../../src/outbox/index.js';

const outbox = createMemoryOutbox();

const ADDRESSES: Record<string, string[]> = { 'news.example': ['93.184.216.34'], 'intranet.example': ['10.0.0.5'] };
const resolve: ResolveHost = async (hostname) => {
  const answer = ADDRESSES[hostname];
  if (!answer) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return answer;
};

let dir: string;
let store: KeyValueStore;
let repositories: Repositories;
let handler: CommandHandler;
let lastCycle: CycleSummary | null = null;
const clock = manualClock(Date.UTC(2026, 11, 1, 12));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-commands-'));
  store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  repositories = createRepositories(store, { seenTtlMs: 86_400_000, deliveryTtlMs: 86_400_000 });
  handler = createCommandHandler({
    repositories,
    shipped: {
      feeds: [{ id: 'wire', url: 'https://wire.example/rss', name: 'The Wire', language: 'en' }],
      watchlists: [
        { id: 'extradition', name: 'Extraditions', terms: ['extradited', 'extradition'] },
        { id: 'leaders', name: 'Cartel leaders', entities: ['el_mayo'] },
      ],
      entities: [{ id: 'el_mayo', name: 'El Mayo', aliases: ['Mayo Zambada'], ambiguous_aliases: ['El Mayo'], context: 'cartel* OR capo' }],
    },
    checkFeedUrl: (raw) => checkFeedDestination(raw, { resolve, allowPrivate: false }),
    clock,
    logger: silentLogger(),
    lastCycle: () => lastCycle,
    queueOf: (channel: string) => channelQueue(outbox, channel),
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

let channelCounter = 0;
function run(
  command: CommandName,
  options: Record<string, string> = {},
  who: { tenant?: string; channel?: string; manager?: boolean } = {},
): Promise<CommandReply> {
  const tenant = who.tenant ?? 'discord:100000000000000001';
  return handler.execute({
    platform: 'discord',
    tenant,
    channel: who.channel ?? `${tenant}:${200000000000000000 + ++channelCounter}`,
    actor: { userId: '300000000000000001', canManage: who.manager ?? true, managePermission: 'the Manage Channels permission' },
    command,
    options,
  });
}

/** The reply as plain text: spans flattened, code in backticks. */
function text(reply: CommandReply): string {
  return reply.lines
    .map((line) =>
      typeof line === 'string'
        ? line
        : line.map((part) => (typeof part === 'string' ? part : 'code' in part ? `\`${part.code}\`` : 'bold' in part ? part.bold : part.label)).join(''),
    )
    .join('\n');
}

describe('who may do what', () => {
  it.each<[CommandName, Record<string, string>]>([
    ['subscribe', { watchlists: 'extradition' }],
    ['unsubscribe', {}],
    ['watch add', { watchlist: 'extradition', term: 'expelled' }],
    ['watch remove', { watchlist: 'extradition', term: 'extradited' }],
    ['watch create', { id: 'mine', query: 'tariffs' }],
    ['feeds add', { url: 'https://news.example/rss' }],
    ['feeds remove', { feed: 'wire' }],
  ])('refuses %s to a member without Manage Channels, naming the permission', async (command, options) => {
    const reply = await run(command, options, { manager: false });
    expect(reply).toMatchObject({ outcome: 'refused', code: 'command_refused' });
    expect(text(reply)).toMatch(/that needs the Manage Channels permission/);
  });

  it.each<[CommandName, Record<string, string>, RegExp]>([
    ['watch list', {}, /`extradition` — Extraditions \(shipped\)/],
    ['watch test', { text: 'Capo extradited to Texas' }, /Would fire: `extradition`/],
    ['status', {}, /This channel has no subscription/],
    ['help', {}, /subscribe watchlists:<ids>/],
  ])('lets anyone run %s', async (command, options, expected) => {
    const reply = await run(command, options, { manager: false });
    expect(reply.outcome).toBe('ok');
    expect(text(reply)).toMatch(expected);
  });
});

describe('subscribe, unsubscribe, status', () => {
  it('subscribes a channel, shows it in status, and unsubscribes it', async () => {
    const channel = 'discord:100000000000000001:222222222222222222';
    const reply = await run('subscribe', { watchlists: 'extradition, leaders' }, { channel });
    expect(text(reply)).toMatch(/This channel gets alerts for Extraditions \(`extradition`\), Cartel leaders \(`leaders`\)/);
    expect(await repositories.subscriptions.get(channel)).toMatchObject({
      tenant: 'discord:100000000000000001',
      feeds: '*',
      watchlists: ['extradition', 'leaders'],
      paused: null,
    });
    lastCycle = { finishedAt: clock.now(), feeds: 3, failed: 1, alerts: 2 };
    expect(text(await run('status', {}, { channel }))).toMatch(/Watchlists: `extradition`, `leaders`[\s\S]*Last poll: 2026-12-01 12:00 UTC, 3 feed\(s\), 1 failed, 2 alert\(s\)/);
    expect(text(await run('unsubscribe', { watchlists: 'leaders' }, { channel }))).toMatch(/still follows `extradition`/);
    expect(text(await run('unsubscribe', {}, { channel }))).toMatch(/unsubscribed/);
    expect(await repositories.subscriptions.get(channel)).toBeUndefined();
  });

  it('turns follow-ups off and on, and keeps the setting when subscribing again without it', async () => {
    const channel = 'discord:100000000000000001:333333333333333333';
    expect(text(await run('subscribe', { watchlists: 'extradition' }, { channel }))).toMatch(/later outlets' stories of it go in a thread under its alert/);
    expect((await repositories.subscriptions.get(channel))?.followUps).toBe(true);
    expect(text(await run('subscribe', { watchlists: 'extradition', followups: 'off' }, { channel }))).toMatch(/are not posted, only counted on its alert/);
    expect((await repositories.subscriptions.get(channel))?.followUps).toBe(false);
    await run('subscribe', { watchlists: 'leaders' }, { channel });
    expect((await repositories.subscriptions.get(channel))?.followUps).toBe(false);
    await run('subscribe', { watchlists: 'leaders', followups: 'ON' }, { channel });
    expect((await repositories.subscriptions.get(channel))?.followUps).toBe(true);
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ watchlists: 'extradition', followups: 'maybe' }, /followups takes on or off, not "maybe"/],
    [{ watchlists: '' }, /name at least one watchlist/],
    [{ watchlists: 'nope' }, /no watchlist "nope" here; there are extradition and leaders/],
    [{ watchlists: 'extradition', feeds: 'missing' }, /no feed "missing" here/],
  ])('refuses subscribe %j with a clear message', async (options, expected) => {
    const reply = await run('subscribe', options);
    expect(reply).toMatchObject({ outcome: 'user_error', code: 'command_invalid' });
    expect(text(reply)).toMatch(expected);
  });

  it('shows how many of the channel’s alerts wait and how many are dead', async () => {
    const channel = 'discord:100000000000000001:444444444444444444';
    await run('subscribe', { watchlists: 'extradition' }, { channel });
    const now = clock.now();
    await outbox.enqueue(['a', 'b', 'c'].map((storyId) => ({ channel, storyId, order: 0, payload: {}, dueAt: now })), now);
    const [first] = await outbox.claimDue(now, 1, 60_000);
    await outbox.bury(first!.id, { code: 'delivery_transient', message: 'HTTP 500', at: now });
    const shown = text(await run('status', {}, { channel }));
    expect(shown).toMatch(/Alerts waiting to be sent: 2; dead after their last attempt: 1 \(the operator can send them again with wirewatch deliveries retry\)\./);
    expect(shown).toMatch(/Their failures by reason: `delivery_transient` 1\./);
  });

  it('shows a paused subscription and resumes it on subscribe', async () => {
    const channel = 'discord:100000000000000001:333333333333333333';
    await run('subscribe', { watchlists: 'extradition' }, { channel });
    await repositories.subscriptions.update(channel, (s) => (s ? { ...s, paused: { code: 'delivery_permanent', reason: 'Missing Access', at: clock.now() } } : null));
    expect(text(await run('status', {}, { channel }))).toMatch(/Paused since .*`delivery_permanent` Missing Access/);
    await run('subscribe', { watchlists: 'extradition' }, { channel });
    expect((await repositories.subscriptions.get(channel))?.paused).toBeNull();
  });
});

describe('watchlists', () => {
  it.each<[Record<string, string>, RegExp]>([
    [{ id: 'bad', query: 'tariffs NEAR Mexico' }, /^query: NEAR needs a distance at column 9, e\.g\. NEAR\/5$/],
    [{ id: 'bad', query: '"unclosed' }, /^query: unclosed quote at column 1/],
    [{ id: 'bad', query: '@nobody' }, /^query: unknown entity "@nobody" at column 1$/],
    [{ id: 'Bad Id', query: 'x' }, /id: "bad id" may hold lower-case letters/],
    [{ id: 'extradition', query: 'x' }, /"extradition" is a shipped watchlist; use \/wirewatch watch add/],
  ])('refuses watch create %j saying what is wrong', async (options, expected) => {
    const reply = await run('watch create', options);
    expect(reply.outcome).toBe('user_error');
    expect(text(reply)).toMatch(expected);
  });

  it('keeps each tenant’s watchlists to itself, even under the same id', async () => {
    const a = 'discord:100000000000000002';
    const b = 'discord:100000000000000003';
    await run('watch create', { id: 'w1', query: 'tariff* NEAR/5 Mexico' }, { tenant: a });
    await run('watch create', { id: 'w1', query: 'aranceles' }, { tenant: b });
    expect(text(await run('watch list', { watchlist: 'w1' }, { tenant: a }))).toMatch(/query: `tariff\* NEAR\/5 Mexico`/);
    expect(text(await run('watch list', { watchlist: 'w1' }, { tenant: b }))).toMatch(/query: `aranceles`/);
    expect(text(await run('watch test', { text: 'Nuevos aranceles' }, { tenant: a }))).toBe('No watchlist would fire on this text.');
  });

  it('gives a tenant your own copy when it edits a shipped watchlist, leaving the others’ untouched', async () => {
    const a = 'discord:100000000000000004';
    expect(text(await run('watch add', { watchlist: 'extradition', term: 'expelled' }, { tenant: a }))).toMatch(/your own copy/);
    expect(text(await run('watch add', { watchlist: 'extradition', term: 'sent NEAR/4 "United States"' }, { tenant: a }))).toMatch(/Added/);
    const own = (await repositories.watchlists.list(a)).find((w) => w.id === 'extradition');
    expect(own).toMatchObject({ terms: ['extradited', 'extradition', 'expelled'], query: 'sent NEAR/4 "United States"' });
    expect(text(await run('watch test', { text: 'Capo expelled' }, { tenant: a }))).toMatch(/Would fire: `extradition`/);
    expect(text(await run('watch test', { text: 'Capo expelled' }))).toBe('No watchlist would fire on this text.');
    await run('watch remove', { watchlist: 'extradition', term: 'expelled' }, { tenant: a });
    expect(text(await run('watch test', { text: 'Capo expelled' }, { tenant: a }))).toBe('No watchlist would fire on this text.');
    expect(text(await run('watch remove', { watchlist: 'extradition', term: 'nothing' }, { tenant: a }))).toMatch(/"nothing" is not one of the terms of extradition/);
  });

  it('loses no watchlist when two are created at once', async () => {
    const tenant = 'discord:100000000000000005';
    await Promise.all(['one', 'two', 'three'].map((id) => run('watch create', { id, query: id }, { tenant })));
    expect((await repositories.watchlists.list(tenant)).map((w) => w.id).sort()).toEqual(['one', 'three', 'two']);
  });

  it('suggests watchlist ids as they are typed', async () => {
    const choices = await handler.autocomplete({ tenant: 'discord:100000000000000001', channel: 'x', command: 'watch add', option: 'watchlist', typed: 'extr' });
    expect(choices).toEqual([{ name: 'extradition — Extraditions', value: 'extradition' }]);
  });
});

describe('feeds', () => {
  it.each<[string, RegExp, string]>([
    ['file:///etc/passwd', /^only http and https feeds are supported, got file:$/, 'feed_bad_url'],
    ['not a url', /^feed URL is not a valid absolute URL/, 'feed_bad_url'],
    ['http://127.0.0.1:8080/feed', /^refused: 127\.0\.0\.1 is a loopback address$/, 'feed_blocked_address'],
    ['http://[::1]/feed', /^refused: ::1 is a loopback address$/, 'feed_blocked_address'],
    ['http://169.254.169.254/latest/meta-data', /^refused: 169\.254\.169\.254 is/, 'feed_blocked_address'],
    ['https://intranet.example/rss', /^refused: intranet\.example resolves to 10\.0\.0\.5, a private address$/, 'feed_blocked_address'],
    ['https://nowhere.example/rss', /^could not resolve nowhere\.example/, 'feed_dns'],
  ])('refuses feeds add url:%s with why', async (url, expected, errorCode) => {
    const reply = await run('feeds add', { url });
    expect(reply).toMatchObject({ outcome: 'user_error', code: errorCode });
    expect(text(reply)).toMatch(expected);
  });

  it('adds a public feed, lists it with its health, and removes it; config feeds stay', async () => {
    const tenant = 'discord:100000000000000006';
    expect(text(await run('feeds add', { url: 'https://news.example/rss', name: 'News' }, { tenant }))).toMatch(/Added the feed `news.example-rss` \(news.example\)/);
    expect(text(await run('feeds add', { url: 'https://news.example/rss' }, { tenant }))).toMatch(/that feed is already followed here, as "news.example-rss"/);
    const listed = text(await run('feeds list', {}, { tenant }));
    expect(listed).toMatch(/`wire` The Wire \(config file\) — not fetched yet/);
    expect(listed).toMatch(/`news.example-rss` News \(added here\) — not fetched yet/);
    expect(text(await run('feeds remove', { feed: 'wire' }, { tenant }))).toMatch(/comes from the config file/);
    expect(text(await run('feeds remove', { feed: 'news.example-rss' }, { tenant }))).toMatch(/Removed the feed/);
    expect(await repositories.tenantFeeds.list(tenant)).toEqual([]);
  });
});

describe('internal errors', () => {
  it('tells the user only the code, when the store fails', async () => {
    const brokenStore = await openStore('memory://');
    const broken = createCommandHandler({
      repositories: createRepositories(
        { ...brokenStore, get: () => Promise.reject(new Error('disk on fire')) },
        { seenTtlMs: 1, deliveryTtlMs: 1 },
      ),
      shipped: { feeds: [], watchlists: [], entities: [] },
      checkFeedUrl: (raw) => checkFeedDestination(raw, { resolve, allowPrivate: false }),
      clock,
      logger: silentLogger(),
      lastCycle: () => null,
      queueOf: (channel: string) => channelQueue(createMemoryOutbox(), channel),
    });
    const reply = await broken.execute({
      platform: 'discord', tenant: 't', channel: 't:c', command: 'status', options: {},
      actor: { userId: 'u', canManage: true, managePermission: 'the Manage Channels permission' },
    });
    expect(reply).toMatchObject({ outcome: 'internal_error', code: 'internal' });
    expect(text(reply)).toBe('Something went wrong on our side. The operator’s logs have the details under code `internal`.');
    expect(text(reply)).not.toMatch(/disk on fire/);
  });
});

describe('hostile and concurrent command input', () => {
  it('refuses an option longer than its limit before doing any work', async () => {
    const reply = await run('watch create', { id: 'long', query: 'x '.repeat(3000) });
    expect(text(reply)).toMatch(/^query is 5999 characters; the most is 2000$/);
    expect(text(await run('watch test', { text: 'y'.repeat(5000) }))).toMatch(/^text is 5000 characters; the most is 4000$/);
  });

  it('loses no term when two are added to one watchlist at once', async () => {
    const tenant = 'discord:100000000000000009';
    await run('watch create', { id: 'mx', query: 'tariffs' }, { tenant });
    await Promise.all(['steel', 'aluminum', 'tomatoes'].map((term) => run('watch add', { watchlist: 'mx', term }, { tenant })));
    expect((await repositories.watchlists.list(tenant)).find((w) => w.id === 'mx')?.terms?.sort()).toEqual(['aluminum', 'steel', 'tomatoes']);
  });

  it('removes a query term only where watch add put it, never mangling a query written by hand', async () => {
    const tenant = 'discord:100000000000000010';
    await run('watch create', { id: 'hand', query: 'foo OR (bar)' }, { tenant });
    expect(text(await run('watch remove', { watchlist: 'hand', term: 'bar' }, { tenant }))).toMatch(/"bar" is not one of the terms of hand/);
    expect((await repositories.watchlists.list(tenant))[0]?.query).toBe('foo OR (bar)');
    await run('watch add', { watchlist: 'hand', term: 'baz NEAR/3 qux' }, { tenant });
    await run('watch remove', { watchlist: 'hand', term: 'baz NEAR/3 qux' }, { tenant });
    expect((await repositories.watchlists.list(tenant))[0]?.query).toBe('foo OR (bar)');
  });
});
