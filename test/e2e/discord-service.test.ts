/**
 * The whole service as a user meets it: `wirewatch run` as a child process with Discord HTTP
 * interactions, a fake Discord (REST) and a loopback feed. Slash commands arrive as signed POSTs;
 * alerts must reach the fake as exactly one embed per story, only in the channels whose
 * subscription was accepted, and a channel Discord refuses for good is paused and says so.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionFlagsBits, type APIChatInputApplicationCommandInteraction } from 'discord.js';
import { startCli, type CliRun } from '../helpers/cli.js';
import { captureServiceLog, discordRunEnv, httpPortOf, until, type ServiceLog } from '../helpers/service.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { APP_ID, GUILD_ID, commandInteraction, newSigner, type Signer } from '../chat/discord/fixtures.js';

const CHANNEL = '1198765432109876543';
const REFUSED_CHANNEL = '1198765432109876544';
const GONE_CHANNEL = '1198765432109876545';

let feedServer: LoopbackServer;
let discord: FakeDiscord;
let dir: string;
let service: CliRun;
let signer: Signer;
let interactionsUrl: string;
let log: ServiceLog;
const items: TestItem[] = [{ guid: 'old', title: 'An old extradition story already in the feed', published: Date.now() - 60_000 }];




/** Sends a slash command as Discord would and returns the reply text the user sees. */
async function command(interaction: APIChatInputApplicationCommandInteraction): Promise<string> {
  const body = JSON.stringify(interaction);
  const response = await fetch(interactionsUrl, { method: 'POST', body, headers: signer.headers(body, Math.floor(Date.now() / 1000)) });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { type: number; data?: { content?: string; flags?: number; allowed_mentions?: unknown } };
  if (answer.type === 4) {
    expect(answer.data?.flags).toBe(64);
    expect(answer.data?.allowed_mentions).toEqual({ parse: [] });
    return answer.data?.content ?? '';
  }
  // Deferred: the reply arrives as an edit of the original message.
  expect(answer.type).toBe(5);
  const edit = await until(
    'the deferred reply',
    () => discord.requests.find((r) => r.method === 'PATCH' && r.path.includes(interaction.token)),
    log,
  );
  return (edit.body as { content: string }).content;
}

beforeAll(async () => {
  feedServer = await startLoopbackServer();
  feedServer.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
  });
  discord = await startFakeDiscord({ bucketLimit: 50 });
  discord.setChannel(GONE_CHANNEL, 'missing_access');
  signer = newSigner();
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-e2e-'));
  writeFileSync(
    join(dir, 'config.yaml'),
    ['feeds: []', 'watchlists:', '  - id: extradition', '    name: Extraditions', '    terms: [extradited, extradition]'].join('\n'),
  );
  service = startCli(['run'], {
    cwd: dir,
    // The feed is on this machine's loopback address: only an operator may allow that (the helper does).
    env: discordRunEnv(
      { config: join(dir, 'config.yaml'), storeUrl: `sqlite://${join(dir, 'store.sqlite')}`, discordUrl: discord.url },
      { DISCORD_APPLICATION_ID: APP_ID, DISCORD_PUBLIC_KEY: signer.publicKeyHex, LOG_LEVEL: 'info' },
    ),
  });
  log = captureServiceLog(service);
  interactionsUrl = `http://127.0.0.1:${await httpPortOf(log)}/discord/interactions`;
}, 30_000);

afterAll(async () => {
  if (service.child.exitCode === null) service.child.kill('SIGKILL');
  await feedServer.close();
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('wirewatch run with Discord', () => {
  it('takes commands, posts one safe embed per new matching story to subscribed channels only, pauses a refused channel, and stops on SIGTERM', async () => {
    expect(await command(commandInteraction(['feeds', 'add'], { url: feedServer.url('/feed.xml'), name: 'Local wire' }))).toMatch(/Added the feed `127\.0\.0\.1\\?-feed\.xml`/);
    expect(await command(commandInteraction(['subscribe'], { watchlists: 'extradition' }, { channelId: CHANNEL }))).toMatch(/This channel gets alerts for \*\*Extraditions\*\*/);
    const refused = await command(commandInteraction(['subscribe'], { watchlists: 'extradition' }, { channelId: REFUSED_CHANNEL, permissions: PermissionFlagsBits.SendMessages }));
    expect(refused).toMatch(/you cannot change this channel’s alerts: that needs the Manage Channels permission/);
    expect(await command(commandInteraction(['subscribe'], { watchlists: 'extradition' }, { channelId: GONE_CHANNEL }))).toMatch(/gets alerts/);

    // The feed's first poll only records what is there.
    await until('the feed to be polled', () => feedServer.requests.some((r) => r.path === '/feed.xml'), log);
    const afterBaseline = log.cycles();
    await until('another cycle', () => log.cycles() > afterBaseline, log);
    expect(discord.messages(CHANNEL)).toHaveLength(0);

    items.push(
      { guid: 'n1', title: 'Capo extradited to Texas @everyone', description: 'He was extradited overnight. <@&123456789012345678> [click](https://evil.example)', link: 'https://news.example/1', published: Date.now() },
      { guid: 'n2', title: 'Second extradition this week', link: 'https://news.example/2', published: Date.now() },
      { guid: 'n3', title: 'Weather in Oaxaca', link: 'https://news.example/3', published: Date.now() },
    );
    await until('two alerts', () => discord.messages(CHANNEL).length >= 2, log);
    const settled = log.cycles();
    await until('two more cycles', () => log.cycles() >= settled + 2, log);

    const posted = discord.messages(CHANNEL);
    expect(posted).toHaveLength(2);
    const posts = discord.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${CHANNEL}/messages`);
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      const body = post.body as { allowed_mentions: unknown; nonce: string; enforce_nonce: boolean; embeds: { title: string; url: string; description: string }[] };
      expect(body.allowed_mentions).toEqual({ parse: [] });
      expect(body.enforce_nonce).toBe(true);
      expect(body.nonce.length).toBeLessThanOrEqual(25);
      expect(body.embeds).toHaveLength(1);
    }
    const embeds = posts.map((post) => (post.body as { embeds: { title: string; url: string; description: string }[] }).embeds[0]!);
    expect(embeds.map((embed) => embed.url).sort()).toEqual(['https://news.example/1', 'https://news.example/2']);
    const first = embeds.find((embed) => embed.url === 'https://news.example/1')!;
    expect(first.title).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(first.description).not.toMatch(/<@&\d+>/);
    expect(first.description).not.toMatch(/\[click\]\(https:\/\/evil\.example\)/);

    expect(discord.messages(REFUSED_CHANNEL)).toHaveLength(0);
    const gonePosts = discord.requests.filter((r) => r.path === `/api/v10/channels/${GONE_CHANNEL}/messages`);
    expect(gonePosts).toHaveLength(1); // refused once, then paused: no more requests
    expect(await command(commandInteraction(['status'], {}, { channelId: GONE_CHANNEL }))).toMatch(/Paused since .*delivery\\?_permanent/);
    const channelStatus = await command(commandInteraction(['status'], {}, { channelId: CHANNEL }));
    expect(channelStatus).toMatch(/Last alert delivered: [\d\\-]+ \d\d:\d\d UTC, \d+ s after it matched\./);

    service.child.kill('SIGTERM');
    const exited = await service.done;
    expect(exited.code).toBe(0);
  }, 60_000);
});

describe('wirewatch discord register', () => {
  it('registers the command in one server through the REST API, and explains a missing token', async () => {
    const env = { DISCORD_TOKEN: 'test-bot-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: discord.url, WIREWATCH_CONFIG: join(dir, 'config.yaml') };
    const registered = await startCli(['discord', 'register', '--guild', GUILD_ID], { env, cwd: dir }).done;
    expect(registered.stderr).toBe('');
    expect(registered.stdout).toBe(`Registered /wirewatch in server ${GUILD_ID}; it is available there now.\n`);
    expect(registered.code).toBe(0);
    const put = discord.requests.find((r) => r.method === 'PUT' && r.path === `/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    expect(put?.headers['authorization']).toBe('Bot test-bot-token');
    expect(put?.body).toEqual([expect.objectContaining({ name: 'wirewatch', contexts: [0], default_member_permissions: '16' })]);

    const noToken = await startCli(['discord', 'register'], { env: { WIREWATCH_CONFIG: join(dir, 'config.yaml') }, cwd: dir }).done;
    expect(noToken.code).toBe(78);
    expect(noToken.stderr).toMatch(/DISCORD_TOKEN: is needed to register the command/);
    const usage = await startCli(['discord', 'frobnicate'], { env, cwd: dir }).done;
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^wirewatch: unknown discord subcommand "frobnicate"\. Usage: wirewatch discord register \[--guild ID\]$/m);
  });
});
