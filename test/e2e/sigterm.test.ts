/**
 * Graceful shutdown, as a container runtime asks for it: SIGTERM in the middle of sending a batch
 * of 50 alerts to a fake Discord that lets only a few messages through per second. The service
 * must exit 0 within SHUTDOWN_TIMEOUT, leave nothing claimed (the unsent alerts back to pending,
 * due now), and a second start must send exactly the rest: each story once, oldest first.
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
import { openOutbox } from '../../src/outbox/index.js';

const GUILD = '1123456789012345678';
const CHANNEL = '1198765432109876543';
const STORIES = 50;
const SHUTDOWN_MS = 3000;

let feedServer: LoopbackServer;
let discord: FakeDiscord;
let dir: string;
const items: TestItem[] = [{ guid: 'base', title: 'Baseline story', published: Date.now() - 60_000 }];

function start(): { run: CliRun; log: ServiceLog } {
  const run = startCli(['run'], {
    cwd: dir,
    // The 50 stories arrive in one cycle: above the default burst limit they would be rolled up.
    env: discordRunEnv(
      { config: join(dir, 'config.yaml'), storeUrl: `sqlite://${join(dir, 'store.sqlite')}`, discordUrl: discord.url },
      { BURST_LIMIT: '100', SHUTDOWN_TIMEOUT: `${SHUTDOWN_MS}ms` },
    ),
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
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-sigterm-'));
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

describe('SIGTERM in the middle of a batch', () => {
  it('exits 0 within the deadline with nothing claimed, and the next start sends exactly the rest', async () => {
    const first = start();
    let exitedAfterMs = 0;
    try {
      await until('the baseline poll', () => first.log.lines().some((l) => l['msg'] === 'first poll of this feed: recorded what is already there, no alerts'), first.log);
      const now = Date.now();
      for (let i = 1; i <= STORIES; i++) items.push({ guid: `s${i}`, title: `Suspect ${i} extradited`, link: `https://news.example/${i}`, published: now + i * 1000 });
      await until('some alerts to arrive', () => discord.messages(CHANNEL).length >= 8, first.log);
    } finally {
      const signalled = Date.now();
      first.run.child.kill('SIGTERM');
      const result = await first.run.done;
      exitedAfterMs = Date.now() - signalled;
      expect(result.code).toBe(0);
    }
    expect(exitedAfterMs).toBeLessThan(SHUTDOWN_MS + 2000);
    expect(first.log.lines().some((l) => l['msg'] === 'stopped')).toBe(true);
    const sentBeforeStop = discord.messages(CHANNEL).length;
    expect(sentBeforeStop).toBeLessThan(STORIES);

    // Nothing left claimed: what was not sent is pending and due, for the next start or another replica.
    const outbox = await openOutbox(`sqlite://${join(dir, 'store.sqlite')}`);
    const stats = await outbox.stats();
    await outbox.close();
    expect(stats).toMatchObject({ claimed: 0, dead: 0, pending: STORIES - sentBeforeStop });
    expect(stats.oldestDueAt).toBeLessThanOrEqual(Date.now());

    const second = start();
    try {
      await until('every alert', () => discord.messages(CHANNEL).length >= STORIES, second.log, 40_000);
      const settled = second.log.cycles();
      await until('two more cycles', () => second.log.cycles() >= settled + 2, second.log);
      // Given back, not left to lapse: the second start had no claims to release.
      expect(second.log.lines().some((l) => l['msg'] === 'alerts a previous run had claimed are due again')).toBe(false);
    } finally {
      second.run.child.kill('SIGTERM');
      expect((await second.run.done).code).toBe(0);
    }
    const links = discord.messages(CHANNEL).map((m) => (m.embeds[0] as { url: string }).url);
    expect(links).toEqual(Array.from({ length: STORIES }, (_, i) => `https://news.example/${i + 1}`));
  }, 90_000);
});
