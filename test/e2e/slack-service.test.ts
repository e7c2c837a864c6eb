/**
 * `wirewatch run` with Slack in HTTP mode, as a workspace meets it: signed slash commands on
 * POST /slack/events of the service's HTTP server, the real Bolt and Web API clients talking to a
 * fake Slack, a loopback feed. Exactly one Block Kit message per matching story reaches the
 * subscribed channel, and no mention from feed text survives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliRun } from '../helpers/cli.js';
import { captureServiceLog, httpPortOf, until, type ServiceLog } from '../helpers/service.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { SIGNING_SECRET, signedHeaders, slashCommandBody } from '../chat/slack/fake-slack-commands.js';

const TEAM = 'T0TEST001';
const CHANNEL = 'C0NEWS0001';
const ADMIN = 'U0ADMIN001';
const MEMBER = 'U0MEMBER01';

let feedServer: LoopbackServer;
let slack: FakeSlack;
let dir: string;
let service: CliRun;
let eventsUrl: string;
let log: ServiceLog;
let responseCount = 0;
const items: TestItem[] = [{ guid: 'old', title: 'Tariffs on Mexico: an old story', published: Date.now() - 60_000 }];




/** Posts `/wirewatch <text>` as Slack would; returns the HTTP status and the reply text the user sees. */
async function slash(text: string, options: { user?: string; timestamp?: number; secret?: string } = {}): Promise<{ status: number; reply: string }> {
  const responseId = `r${++responseCount}`;
  const body = slashCommandBody({ text, user_id: options.user ?? ADMIN, channel_id: CHANNEL, team_id: TEAM, response_url: slack.responseUrl(responseId) });
  const response = await fetch(eventsUrl, { method: 'POST', body, headers: signedHeaders(body, options.timestamp ?? Math.floor(Date.now() / 1000), options.secret ?? SIGNING_SECRET) });
  if (response.status !== 200) return { status: response.status, reply: await response.text() };
  const inline = await response.text();
  if (inline) return { status: 200, reply: (JSON.parse(inline) as { text: string }).text };
  // Slower than Slack's 3 s: acknowledged empty, answered through response_url.
  const later = await until('the deferred reply', () => slack.responses(responseId)[0], log);
  return { status: 200, reply: (later as { text: string }).text };
}

beforeAll(async () => {
  feedServer = await startLoopbackServer();
  feedServer.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
  });
  slack = await startFakeSlack({ teamId: TEAM });
  slack.setUser(MEMBER, { is_admin: false, name: 'member' });
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-e2e-slack-'));
  writeFileSync(join(dir, 'config.yaml'), ['feeds: []', 'watchlists:', '  - id: tariffs', '    name: Tariffs', '    query: tariff* NEAR/5 Mexico'].join('\n'));
  service = startCli(['run'], {
    cwd: dir,
    env: {
      WIREWATCH_CONFIG: join(dir, 'config.yaml'),
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
      POLL_SCHEDULE: '*/1 * * * * *',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      SLACK_ADMIN_USERS: ADMIN,
      ALLOW_PRIVATE_FEEDS: 'true',
    },
  });
  log = captureServiceLog(service);
  eventsUrl = `http://127.0.0.1:${await httpPortOf(log)}/slack/events`;
}, 30_000);

afterAll(async () => {
  if (service.child.exitCode === null) service.child.kill('SIGKILL');
  await feedServer.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('wirewatch run with Slack', () => {
  it('refuses forged, stale and unauthorised commands, then posts one safe message per new matching story', async () => {
    expect((await slash('status', { secret: 'wrong-secret' })).status).toBe(401);
    expect((await slash('status', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    const refused = await slash('subscribe tariffs', { user: MEMBER });
    expect(refused.reply).toMatch(/you cannot change this channel’s alerts: that needs a workspace admin or owner, or a user listed in SLACK_ADMIN_USERS/);
    expect((await slash('feeds add file:///etc/passwd')).reply).toMatch(/only http and https feeds are supported, got file:/);

    expect((await slash(`feeds add ${feedServer.url('/feed.xml')} Local wire`)).reply).toMatch(/Added the feed `127\.0\.0\.1-feed\.xml`/);
    expect((await slash('subscribe tariffs')).reply).toMatch(/This channel gets alerts for \*Tariffs\* \(`tariffs`\)/);

    await until('the feed to be polled', () => feedServer.requests.some((r) => r.path === '/feed.xml'), log);
    const afterBaseline = log.cycles();
    await until('another cycle', () => log.cycles() > afterBaseline, log);
    expect(slack.messages(CHANNEL)).toHaveLength(0);

    items.push(
      { guid: 'n1', title: 'Trump sets new tariffs on Mexico <!channel>', description: 'Steel tariffs on Mexico rise. <@U12345> <https://evil.example|Bank> & co', link: 'https://news.example/1', published: Date.now() },
      { guid: 'n2', title: 'Weather in Oaxaca', link: 'https://news.example/2', published: Date.now() },
    );
    await until('the alert', () => slack.messages(CHANNEL).length >= 1, log);
    const settled = log.cycles();
    await until('two more cycles', () => log.cycles() >= settled + 2, log);

    const messages = slack.messages(CHANNEL);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    const everything = JSON.stringify(message!.blocks) + message!.text;
    expect(everything).toContain('news.example/1');
    expect(everything).not.toMatch(/<!channel>|<@U12345>|<https:\/\/evil\.example\|Bank>/);
    expect(message!.args['unfurl_links']).toBe('false');
    expect(message!.args['unfurl_media']).toBe('false');
    expect(message!.args['link_names']).toBeUndefined();
    expect(message!.text).toMatch(/Trump sets new tariffs on Mexico/);

    service.child.kill('SIGTERM');
    expect((await service.done).code).toBe(0);
  }, 60_000);
});
