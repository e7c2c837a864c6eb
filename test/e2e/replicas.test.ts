/**
 * Two replicas of `wirewatch run` on one real Redis, posting to one fake Discord, as compose's
 * `--scale wirewatch=2` runs them. Over several cycles with new matching stories, each alert must
 * reach the channel exactly once and each feed must be fetched once per tick, not once per
 * replica. Then the replica in the middle of a cycle is killed (SIGKILL): the other takes the next
 * ticks once the dead one's lease has lapsed, and the stories of the interrupted cycle still
 * arrive, once.
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
import { startThrowawayRedis, type ThrowawayRedis } from '../helpers/throwaway-redis.js';
import { openStore, createRepositories } from '../../src/store/index.js';

const GUILD = '1123456789012345678';
const CHANNEL = '1198765432109876543';
const FEEDS = ['one', 'two', 'three', 'four'];
/** A tick every 2 s; a replica that dies frees the poll after 2 s without renewal. */
const SCHEDULE = '*/2 * * * * *';

let redis: ThrowawayRedis | null = null;
let skipReason = '';
let feedServer: LoopbackServer;
let discord: FakeDiscord;
let dir: string;
const items = new Map<string, TestItem[]>(FEEDS.map((feed) => [feed, [{ guid: `${feed}-base`, title: 'Baseline story', published: Date.now() - 60_000 }]]));
/** When each feed was fetched (ms), and how many fetches are in flight. */
const fetchedAt = new Map<string, number[]>(FEEDS.map((feed) => [feed, []]));
let inFlight = 0;
let responseDelayMs = 0;

interface Replica {
  name: string;
  run: CliRun;
  log: ServiceLog;
}

function startReplica(name: string): Replica {
  const run = startCli(['run'], {
    cwd: dir,
    env: discordRunEnv(
      { config: join(dir, 'config.yaml'), storeUrl: redis!.url, discordUrl: discord.url, schedule: SCHEDULE },
      // The lease's "poll cycle started" and "poll tick skipped" lines are debug.
      { POLL_LEASE_TTL: '2s', DELIVERY_CLAIM_TTL: '5s', SHUTDOWN_TIMEOUT: '3s', BURST_LIMIT: '100', LOG_LEVEL: 'debug' },
    ),
  });
  return { name, run, log: captureServiceLog(run) };
}

const count = (log: ServiceLog, msg: string) => log.lines().filter((line) => line['msg'] === msg).length;
const cyclesOf = (replicas: Replica[]) => replicas.reduce((sum, replica) => sum + replica.log.cycles(), 0);
const links = () => discord.messages(CHANNEL).map((message) => (message.embeds[0] as { url: string }).url);

let storyNumber = 0;
/** One new matching story in every feed; returns their links. */
function addStories(): string[] {
  const added: string[] = [];
  for (const feed of FEEDS) {
    storyNumber++;
    const link = `https://news.example/${feed}/${storyNumber}`;
    items.get(feed)!.push({ guid: `${feed}-${storyNumber}`, title: `Suspect ${storyNumber} extradited`, link, published: Date.now() });
    added.push(link);
  }
  return added;
}

beforeAll(async () => {
  const started = await startThrowawayRedis();
  if ('skip' in started) {
    skipReason = started.skip;
    return;
  }
  redis = started;
  feedServer = await startLoopbackServer();
  for (const feed of FEEDS) {
    feedServer.route(`/${feed}.xml`, (_req, res) => {
      fetchedAt.get(feed)!.push(Date.now());
      inFlight++;
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items.get(feed)!));
      }, responseDelayMs);
    });
  }
  discord = await startFakeDiscord();
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-replicas-'));
  const feeds = FEEDS.map((feed) => `  - id: ${feed}\n    url: ${feedServer.url(`/${feed}.xml`)}\n`).join('');
  writeFileSync(join(dir, 'config.yaml'), `feeds:\n${feeds}watchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited]\n`);
  const store = await openStore(redis.url);
  const repositories = createRepositories(store, { seenTtlMs: 86_400_000, deliveryTtlMs: 86_400_000 });
  await repositories.subscriptions.put({ channel: `discord:${GUILD}:${CHANNEL}`, tenant: `discord:${GUILD}`, feeds: '*', watchlists: ['extradition'], createdAt: 0, updatedAt: 0 });
  await store.close();
});

afterAll(async () => {
  if (!redis) return;
  await feedServer.close();
  await discord.close();
  redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('two replicas on one Redis', () => {
  it('fetch each feed once per tick, deliver each alert once, and carry on when one dies mid-cycle', async (context) => {
    if (!redis) {
      context.skip(skipReason);
      return;
    }
    const replicas = [startReplica('a'), startReplica('b')];
    const [a, b] = replicas as [Replica, Replica];
    const expected: string[] = [];
    try {
      await until('the baseline poll', () => cyclesOf(replicas) >= 1, a.log);

      // Three rounds of news, a tick or more apart.
      for (let round = 0; round < 3; round++) {
        expected.push(...addStories());
        await until(`round ${round + 1}'s alerts`, () => links().length >= expected.length && links(), a.log, 20_000);
      }
      const settled = cyclesOf(replicas);
      await until('two more ticks', () => cyclesOf(replicas) >= settled + 2, a.log);

      // Each tick ran on one replica: every feed was fetched once per cycle run, never twice in a tick.
      const cycles = cyclesOf(replicas);
      for (const feed of FEEDS) {
        const times = fetchedAt.get(feed)!;
        // A cycle that has started but not yet finished has fetched already: at most one more.
        expect(times.length, `fetches of ${feed}`).toBeGreaterThanOrEqual(cycles);
        expect(times.length, `fetches of ${feed}`).toBeLessThanOrEqual(cycles + 1);
        // Two replicas running one tick would fetch a feed within milliseconds of each other. Cycle
        // starts are at least the lease's hold apart (half a period, 1 s), but a start-up cycle is
        // not on a tick, and it reaches its first fetch later than a warm cycle does, so two
        // fetches of a feed can be a little under 1 s apart without any tick running twice.
        for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, `gap between fetches of ${feed}`).toBeGreaterThan(500);
      }
      // Both replicas were there for those ticks: the one without the lease skipped them.
      expect(count(a.log, 'poll tick skipped: another replica is polling') + count(b.log, 'poll tick skipped: another replica is polling')).toBeGreaterThan(0);

      // Kill whichever replica is in the middle of a cycle, with fetches in flight.
      responseDelayMs = 1500;
      expected.push(...addStories());
      const victim = await until(
        'a replica in the middle of a cycle',
        () => inFlight > 0 && replicas.find((replica) => count(replica.log, 'poll cycle started') > replica.log.cycles()),
        a.log,
      );
      victim.run.child.kill('SIGKILL');
      await victim.run.done;
      responseDelayMs = 0;
      const survivor = victim === a ? b : a;

      const survivorCycles = survivor.log.cycles();
      await until('every alert, through the survivor', () => links().length >= expected.length && links(), survivor.log, 30_000);
      expected.push(...addStories());
      await until('the next round, through the survivor', () => links().length >= expected.length && links(), survivor.log, 20_000);
      expect(survivor.log.cycles()).toBeGreaterThan(survivorCycles);
    } finally {
      for (const replica of replicas) if (replica.run.child.exitCode === null && replica.run.child.signalCode === null) replica.run.child.kill('SIGTERM');
      await Promise.all(replicas.map((replica) => replica.run.done));
    }
    expect(links().sort()).toEqual([...expected].sort());
  }, 120_000);
});
