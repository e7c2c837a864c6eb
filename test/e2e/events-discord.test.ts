/**
 * One alert per event, end to end: `wirewatch run` follows three outlets' feeds (two in English,
 * one in Spanish) for a Discord channel. All three report the same transfer of prisoners to the
 * US in one poll; the channel must get one alert, and the two later outlets' stories as follow-ups
 * in a thread started from it, each saying why it joined; the alert is then edited with the
 * outlet count. Feed text that tries to ping stays inert (allowed_mentions empty everywhere). A
 * different event in the same poll is an alert of its own. Restarted in the middle of the event,
 * the service posts the next report of it in the same thread.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { captureServiceLog, discordRunEnv, until } from '../helpers/service.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { openStore, createRepositories } from '../../src/store/index.js';

const GUILD = '1123456789012345678';
const CHANNEL = '1198765432109876543';
const OUTLETS = ['wire', 'daily', 'diario'];

let feedServer: LoopbackServer;
let discord: FakeDiscord;
let dir: string;
const items = new Map<string, TestItem[]>(OUTLETS.map((outlet) => [outlet, [{ guid: `${outlet}-old`, title: 'Yesterday in brief', published: Date.now() - 3_600_000 }]]));

beforeAll(async () => {
  feedServer = await startLoopbackServer();
  for (const outlet of OUTLETS) {
    feedServer.route(`/${outlet}.xml`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items.get(outlet)!, { title: `The ${outlet}` }));
    });
  }
  discord = await startFakeDiscord();
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-events-'));
  const feeds = OUTLETS.map((outlet) => `  - id: ${outlet}\n    name: The ${outlet}\n    url: ${feedServer.url(`/${outlet}.xml`)}\n`).join('');
  writeFileSync(
    join(dir, 'config.yaml'),
    `feeds:\n${feeds}watchlists:\n  - id: transfers\n    name: Transfers to the US\n    terms: [prisoners, extradited, extradites, reos, narcotraficantes, tariffs, aranceles]\n`,
  );
  const store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  const repositories = createRepositories(store, { seenTtlMs: 86_400_000, deliveryTtlMs: 86_400_000 });
  await repositories.subscriptions.put({ channel: `discord:${GUILD}:${CHANNEL}`, tenant: `discord:${GUILD}`, feeds: '*', watchlists: ['transfers'], createdAt: 0, updatedAt: 0 });
  await store.close();
});

afterAll(async () => {
  await feedServer.close();
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
});

const PING = '@everyone';

function startService() {
  return startCli(['run'], {
    cwd: dir,
    env: discordRunEnv({ config: join(dir, 'config.yaml'), storeUrl: `sqlite://${join(dir, 'store.sqlite')}`, discordUrl: discord.url }),
  });
}

describe('three outlets report one event', () => {
  it('gives one alert, two follow-ups in its thread saying why they joined, the alert edited with the count, and after a restart the next report in the same thread', async () => {
    const run = startService();
    const log = captureServiceLog(run);
    try {
      await until('the baseline poll', () => log.lines().filter((l) => l['msg'] === 'first poll of this feed: recorded what is already there, no alerts').length === 3, log);
      const now = Date.now();
      items.get('wire')!.push({
        guid: 'w1',
        title: `Mexico sends 26 cartel prisoners to the United States ${PING}`,
        description: 'Mexico transferred 26 imprisoned cartel figures to the United States on Tuesday, the second mass transfer this year, officials said.',
        link: 'https://wire.example/mexico-26-prisoners',
        published: now - 120_000,
      });
      items.get('daily')!.push({
        guid: 'd1',
        title: 'Mexico transfers 26 alleged cartel members to US custody',
        description: 'Twenty-six prisoners linked to drug cartels were flown from Mexico to the United States, where they face charges.',
        link: 'https://daily.example/26-transferred',
        published: now - 60_000,
      });
      items.get('diario')!.push({
        guid: 'e1',
        title: 'México envía a Estados Unidos a 26 reos ligados a cárteles',
        description: 'El gobierno de México trasladó a 26 narcotraficantes presos a Estados Unidos, el segundo envío masivo del año.',
        link: 'https://diario.example/26-reos',
        published: now - 30_000,
      });
      // Another event in the same poll: an alert of its own.
      items.get('daily')!.push({
        guid: 'd2',
        title: 'US announces 25% tariffs on Mexican steel',
        description: 'The United States will impose tariffs of 25% on steel imported from Mexico starting next month.',
        link: 'https://daily.example/steel-tariffs',
        published: now - 10_000,
      });

      await until('one alert per event, and the edit', () => discord.messages(CHANNEL).length >= 2 && discord.messages(CHANNEL).some((m) => discord.editCount(m.id) >= 1), log, 30_000);
    } finally {
      run.child.kill('SIGTERM');
      expect((await run.done).code).toBe(0);
    }

    const alerts = discord.messages(CHANNEL);
    const urls = alerts.map((m) => (m.embeds[0] as { url: string }).url);
    expect(urls).toEqual(['https://wire.example/mexico-26-prisoners', 'https://daily.example/steel-tariffs']);

    const first = alerts[0]!;
    const [thread] = discord.threads(CHANNEL);
    expect(thread?.id).toBe(first.id);
    const followUps = discord.messages(first.id);
    expect(followUps.map((m) => (m.embeds[0] as { url: string }).url)).toEqual(['https://daily.example/26-transferred', 'https://diario.example/26-reos']);
    for (const followUp of followUps) expect(JSON.stringify(followUp.embeds)).toMatch(/Same event: shares .+score \d\.\d\d/);

    const edited = discord.message(CHANNEL, first.id)!;
    expect(discord.editCount(first.id)).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(edited.embeds)).toMatch(/Reported by 3 outlets: The wire, The daily, The diario/);

    // Nothing the feed wrote can ping: every message and edit was sent with allowed_mentions empty.
    const sends = discord.requests.filter((r) => r.method !== 'GET' && /\/messages(\/\d+)?$/.test(r.path));
    expect(sends.length).toBeGreaterThanOrEqual(5);
    for (const request of sends) {
      expect((request.body as { allowed_mentions?: unknown }).allowed_mentions, `${request.method} ${request.path}`).toEqual({ parse: [] });
    }
    expect(JSON.stringify(first.embeds)).toContain('Mexico sends 26 cartel prisoners');

    // Restarted in the middle of the event: the next report of it is a follow-up in the same thread, not a new alert.
    items.get('wire')!.push({
      guid: 'w2',
      title: 'Mexico sends 26 prisoners to the US in second mass transfer',
      description: 'The 26 cartel prisoners sent by Mexico to the United States face charges in several states.',
      link: 'https://wire.example/26-prisoners-second-transfer',
      published: Date.now(),
    });
    const again = startService();
    const againLog = captureServiceLog(again);
    try {
      await until('the follow-up after the restart', () => discord.messages(first.id).length >= 3, againLog, 30_000);
    } finally {
      again.child.kill('SIGTERM');
      expect((await again.done).code).toBe(0);
    }
    expect(discord.messages(CHANNEL)).toHaveLength(2);
    expect((discord.messages(first.id)[2]!.embeds[0] as { url: string }).url).toBe('https://wire.example/26-prisoners-second-transfer');
  }, 90_000);
});
