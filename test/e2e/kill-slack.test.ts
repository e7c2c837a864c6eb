/**
 * Crash safety on Slack, which has no idempotency key: `wirewatch run` is killed with SIGKILL
 * while it sends 12 alerts (paced at one per second per channel) to a fake Slack; started again,
 * it sends the rest. Every story arrives, and at most one arrives twice — the one whose post may
 * have gone out just before the kill, before it was recorded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliRun } from '../helpers/cli.js';
import { captureServiceLog, until, type ServiceLog } from '../helpers/service.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { openStore, createRepositories } from '../../src/store/index.js';

const TEAM = 'T0TEST001';
const CHANNEL = 'C0NEWS0001';
const STORIES = 12;

let feedServer: LoopbackServer;
let slack: FakeSlack;
let dir: string;
const items: TestItem[] = [{ guid: 'base', title: 'Baseline story', published: Date.now() - 60_000 }];

function start(): { run: CliRun; log: ServiceLog } {
  const run = startCli(['run'], {
    cwd: dir,
    env: {
      WIREWATCH_CONFIG: join(dir, 'config.yaml'),
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
      POLL_SCHEDULE: '*/1 * * * * *',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_API_URL: slack.url,
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      BURST_LIMIT: '100',
    },
  });
  return { run, log: captureServiceLog(run) };
}

/** The story links that reached the channel, in arrival order. */
const linksPosted = () => slack.messages(CHANNEL).map((message) => /news\.example\/(\d+)/.exec(JSON.stringify(message.blocks))?.[1] ?? '?');

beforeAll(async () => {
  feedServer = await startLoopbackServer();
  feedServer.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
  });
  slack = await startFakeSlack({ teamId: TEAM });
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-kill-slack-'));
  writeFileSync(
    join(dir, 'config.yaml'),
    `feeds:\n  - id: wire\n    url: ${feedServer.url('/feed.xml')}\nwatchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited]\n`,
  );
  const store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  const repositories = createRepositories(store, { seenTtlMs: 86_400_000, deliveryTtlMs: 86_400_000 });
  await repositories.subscriptions.put({ channel: `slack:${TEAM}:${CHANNEL}`, tenant: `slack:${TEAM}`, feeds: '*', watchlists: ['extradition'], createdAt: 0, updatedAt: 0 });
  await store.close();
});

afterAll(async () => {
  await feedServer.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SIGKILL in the middle of a batch, on Slack', () => {
  it('delivers every story after a restart, at most one of them twice', async () => {
    const first = start();
    try {
      await until('the baseline poll', () => first.log.lines().some((l) => l['msg'] === 'first poll of this feed: recorded what is already there, no alerts'), first.log);
      const now = Date.now();
      for (let i = 1; i <= STORIES; i++) items.push({ guid: `s${i}`, title: `Suspect ${i} extradited`, link: `https://news.example/${i}`, published: now + i * 1000 });
      await until('some alerts to arrive', () => slack.messages(CHANNEL).length >= 3, first.log);
    } finally {
      first.run.child.kill('SIGKILL');
      await first.run.done;
    }
    expect(slack.messages(CHANNEL).length).toBeLessThan(STORIES);

    const second = start();
    try {
      await until('every story', () => new Set(linksPosted()).size >= STORIES, second.log, 40_000);
      const settled = second.log.cycles();
      await until('two more cycles', () => second.log.cycles() >= settled + 2, second.log);
    } finally {
      second.run.child.kill('SIGTERM');
      await second.run.done;
    }
    const links = linksPosted();
    expect(new Set(links)).toEqual(new Set(Array.from({ length: STORIES }, (_, i) => String(i + 1))));
    expect(links.length).toBeGreaterThanOrEqual(STORIES);
    expect(links.length).toBeLessThanOrEqual(STORIES + 1);
  }, 90_000);
});
