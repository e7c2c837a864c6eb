/**
 * The poll keeps its schedule while the chat API is slow: the real pipeline (openRuntime,
 * runPollCycle, a SQLite store and outbox) with the real Discord sink pointed at a fake that never
 * answers. A delivery round hangs on its first post; poll cycles still finish and queue their
 * alerts. Counts are asserted, not durations.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { manualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { openRuntime } from '../../src/app/runtime.js';
import { buildTargets, runPollCycle } from '../../src/pipeline/poll-cycle.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { discordKey, discordSink, T0 } from './worker-fixtures.js';

const packageRoot = resolve(import.meta.dirname, '../..');
const CHANNEL = '234567890123456789';

let server: LoopbackServer;
let fake: FakeDiscord;
let dir: string;
beforeEach(async () => {
  server = await startLoopbackServer();
  fake = await startFakeDiscord();
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-slow-chat-'));
});
afterEach(async () => {
  await server.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a poll cycle finishes and queues its alerts while a delivery round hangs on a chat API that never answers', async () => {
  const items: TestItem[] = [{ guid: 'old', title: 'Weather in Oaxaca', published: T0 - 3_600_000 }];
  server.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(rss(items));
  });
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, `feeds:\n  - id: feed0\n    url: ${server.url('/feed.xml')}\nwatchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited, extradition]\n`);
  const config = loadConfig({ env: { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}` }, packageRoot, configFile });
  const clock = manualClock(T0);
  fake.setChannel(CHANNEL, 'hang');
  // A client timeout far longer than the test: only closing the fake ends the hung post.
  const runtime = await openRuntime(config, { logger: silentLogger(), stdout: new PassThrough(), outputFormat: 'json', clock, sink: discordSink(fake.url, { timeoutMs: 600_000 }) });
  const targets = buildTargets(config.feeds, [{ channel: discordKey(CHANNEL), feeds: '*', watchlists: ['extradition'] }]);
  const poll = () => runPollCycle(targets, runtime.pollContext, { dryRun: false, ignoreBackoff: false });
  const addStories = (...guids: string[]) => {
    clock.advance(5 * 60_000);
    for (const guid of guids) items.push({ guid, title: `Cartel figure ${guid} extradited to the US`, published: clock.now() - 60_000 });
  };

  try {
    expect((await poll()).alerts).toBe(0); // the baseline
    addStories('a1', 'a2');
    expect((await poll()).alerts).toBe(2);

    let settled = false;
    const round = runtime.delivery.deliverDue().finally(() => (settled = true));
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 10));

    addStories('b1', 'b2', 'b3');
    const report = await poll();
    expect(report.alerts).toBe(3);
    expect(report.feeds[0]).toMatchObject({ status: 'polled', alerts: 3 });
    expect(settled).toBe(false);
    expect(await runtime.outbox.stats()).toMatchObject({ claimed: 2, pending: 3, dead: 0 });
    expect(fake.messages(CHANNEL)).toHaveLength(0);
    expect(fake.requests).toHaveLength(1);

    await fake.close(); // the hung post fails; the round ends and puts its claims back
    expect(await round).toMatchObject({ claimed: 2, delivered: 0, retried: 1 });
    expect(await runtime.outbox.stats()).toMatchObject({ claimed: 0, pending: 5 });
  } finally {
    await fake.close().catch(() => undefined); // already closed when the test got that far
    fake = await startFakeDiscord(); // for afterEach
    await runtime.close();
  }
});
