/**
 * The set-up the interruption tests share: one loopback feed whose items a test adds, a fake
 * Discord that lets five messages a second through per channel (a batch of 50 takes about ten
 * seconds), a config watching "extradited", and one channel subscribed as /wirewatch subscribe
 * would have stored it, in a SQLite store in a temporary folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliRun } from '../helpers/cli.js';
import { captureServiceLog, discordRunEnv, type ServiceLog } from '../helpers/service.js';
import { startLoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { openStore, createRepositories } from '../../src/store/index.js';

export const GUILD = '1123456789012345678';
export const CHANNEL = '1198765432109876543';
export const BASELINE_LOG = 'first poll of this feed: recorded what is already there, no alerts';

export interface BurstFixture {
  discord: FakeDiscord;
  dir: string;
  storeUrl: string;
  /** The feed's items; push to publish. */
  items: TestItem[];
  /** `wirewatch run` on the fixture; `extra` adds settings. */
  start(extra?: Record<string, string>): { run: CliRun; log: ServiceLog };
  /** Links of the alerts the channel received, in order. */
  links(): string[];
  close(): Promise<void>;
}

export async function openBurstFixture(name: string): Promise<BurstFixture> {
  const items: TestItem[] = [{ guid: 'base', title: 'Baseline story', published: Date.now() - 60_000 }];
  const feedServer = await startLoopbackServer();
  feedServer.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
  });
  const discord = await startFakeDiscord({ bucketLimit: 5, bucketWindowMs: 1000 });
  const dir = mkdtempSync(join(tmpdir(), `wirewatch-${name}-`));
  const storeUrl = `sqlite://${join(dir, 'store.sqlite')}`;
  writeFileSync(
    join(dir, 'config.yaml'),
    `feeds:\n  - id: wire\n    url: ${feedServer.url('/feed.xml')}\nwatchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited]\n`,
  );
  const store = await openStore(storeUrl);
  const repositories = createRepositories(store, { seenTtlMs: 86_400_000, deliveryTtlMs: 86_400_000 });
  await repositories.subscriptions.put({ channel: `discord:${GUILD}:${CHANNEL}`, tenant: `discord:${GUILD}`, feeds: '*', watchlists: ['extradition'], createdAt: 0, updatedAt: 0 });
  await store.close();
  return {
    discord,
    dir,
    storeUrl,
    items,
    start: (extra = {}) => {
      // The 50 stories arrive in one cycle: above the default burst limit they would be rolled up.
      const run = startCli(['run'], { cwd: dir, env: discordRunEnv({ config: join(dir, 'config.yaml'), storeUrl, discordUrl: discord.url }, { BURST_LIMIT: '100', ...extra }) });
      return { run, log: captureServiceLog(run) };
    },
    links: () => discord.messages(CHANNEL).map((m) => (m.embeds[0] as { url: string }).url),
    close: async () => {
      await feedServer.close();
      await discord.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `count` new matching stories, published a second apart after now, oldest first. */
export function publishStories(items: TestItem[], count: number): void {
  const now = Date.now();
  for (let i = 1; i <= count; i++) items.push({ guid: `s${i}`, title: `Suspect ${i} extradited`, link: `https://news.example/${i}`, published: now + i * 1000 });
}
