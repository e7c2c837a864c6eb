/**
 * Crash safety, as an operator would meet it: `wirewatch run` (SQLite store, Discord) is killed
 * with SIGKILL in the middle of sending a batch of 50 alerts to a fake Discord that lets only a
 * few messages through per second; started again, it sends the rest. The fake must hold each of
 * the 50 stories exactly once: queued alerts survive the kill, and the one possible repeat (sent,
 * killed before recorded) is answered by Discord's nonce check with the message already there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliRun } from '../helpers/cli.js';
import { captureServiceLog, discordRunEnv, until, type ServiceLog } from '../helpers/service.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { openStore, createRepositories } from '../../src/store/index.js';

const GUILD = '1123456789012345678';
const CHANNEL = '1198765432109876543';
const STORIES = 50;

let feedServer: LoopbackServer;
let discord: FakeDiscord;
let dir: string;
const items: TestItem[] = [{ guid: 'base', title: 'Baseline story', published: Date.now() - 60_000 }];

function start(): { run: CliRun; log: ServiceLog } {
  const run = startCli(['run'], {
    cwd: dir,
    // The 50 stories arrive in one cycle: above the default burst limit they would be rolled up.
    env: discordRunEnv({ config: join(dir, 'config.yaml'), storeUrl: `sqlite://${join(dir, 'store.sqlite')}`, discordUrl: discord.url }, { BURST_LIMIT: '100' }),
  });
  return { run, log: captureServiceLog(run) };
}

beforeAll(async () => {
  feedServer = await startLoopbackServer();
  feedServer.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
  });
  // Five messages per second per channel: a batch of 50 takes about ten seconds to send.
  discord = await startFakeDiscord({ bucketLimit: 5, bucketWindowMs: 1000 });
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-kill-'));
  writeFileSync(
    join(dir, 'config.yaml'),
    `feeds:\n  - id: wire\n    url: ${feedServer.url('/feed.xml')}\nwatchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited]\n`,
  );
  // The channel's subscription, as /wirewatch subscribe would have stored it.
  const store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  const repositories = createRepositories(store, { seenTtlMs: 86_400_000, deliveryTtlMs: 86_400_000 });
  const channel = `discord:${GUILD}:${CHANNEL}`;
  await repositories.subscriptions.put({ channel, tenant: `discord:${GUILD}`, feeds: '*', watchlists: ['extradition'], createdAt: 0, updatedAt: 0 });
  await store.close();
});

afterAll(async () => {
  await feedServer.close();
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SIGKILL in the middle of a batch', () => {
  it('delivers each of 50 queued alerts exactly once after a restart', async () => {
    const first = start();
    try {
      await until('the baseline poll', () => first.log.lines().some((l) => l['msg'] === 'first poll of this feed: recorded what is already there, no alerts'), first.log);
      const now = Date.now();
      for (let i = 1; i <= STORIES; i++) items.push({ guid: `s${i}`, title: `Suspect ${i} extradited`, link: `https://news.example/${i}`, published: now + i * 1000 });
      await until('some alerts to arrive', () => discord.messages(CHANNEL).length >= 8, first.log);
    } finally {
      first.run.child.kill('SIGKILL');
      await first.run.done;
    }
    const beforeRestart = discord.messages(CHANNEL).length;
    expect(beforeRestart).toBeLessThan(STORIES);

    const second = start();
    try {
      await until('every alert', () => discord.messages(CHANNEL).length >= STORIES, second.log, 40_000);
      const settled = second.log.cycles();
      await until('two more cycles', () => second.log.cycles() >= settled + 2, second.log);
    } finally {
      second.run.child.kill('SIGTERM');
      await second.run.done;
    }
    const links = discord.messages(CHANNEL).map((m) => (m.embeds[0] as { url: string }).url);
    expect(links).toHaveLength(STORIES);
    expect(new Set(links).size).toBe(STORIES);
    // Oldest story first: the order of publication.
    expect(links).toEqual(Array.from({ length: STORIES }, (_, i) => `https://news.example/${i + 1}`));
  }, 90_000);
});
