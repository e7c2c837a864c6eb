/**
 * `/wirewatch` in HTTP mode as Slack sees it: signed form POSTs to POST /slack/events on the
 * service's real HTTP server (127.0.0.1), the real Bolt App and Web API client against a fake
 * Slack API, and a double of the command core recording what it was asked.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPlatform, SLACK_MANAGE_PERMISSION } from '../../../src/chat/slack/index.js';
import type { ChatPlatform } from '../../../src/chat/platform.js';
import { manualClock } from '../../../src/clock.js';
import type { AutocompleteRequest, Choice, CommandHandler, CommandReply, CommandRequest } from '../../../src/commands/types.js';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/server.js';
import type { Logger } from '../../../src/log.js';
import { silentLogger } from '../../../src/log.js';
import { SIGNING_SECRET, signedHeaders, slashCommandBody, startFakeSlackCommands, type FakeSlackCommands } from './fake-slack-commands.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const NOW_S = NOW / 1000;

class CoreDouble implements CommandHandler {
  readonly requests: CommandRequest[] = [];
  reply: (request: CommandRequest) => Promise<CommandReply> = (request) => Promise.resolve({ outcome: 'ok', lines: [`ran ${request.command}`] });
  execute(request: CommandRequest): Promise<CommandReply> {
    this.requests.push(request);
    return this.reply(request);
  }
  autocomplete(_request: AutocompleteRequest): Promise<Choice[]> {
    return Promise.resolve([]);
  }
}

function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    logger: pino({ level: 'debug' }, stream),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

let fake: FakeSlackCommands;
let core: CoreDouble;
let logs: ReturnType<typeof capturingLogger>;
let platform: ChatPlatform | undefined;
let server: RunningHttpServer | undefined;

async function start(options: { deferAfterMs?: number; started?: boolean } = {}): Promise<void> {
  platform = createSlackPlatform(
    { botToken: 'xoxb-test', appToken: null, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, adminUsers: ['ULISTED'] },
    {
      commands: core,
      logger: logs.logger,
      clock: manualClock(NOW),
      sink: { name: 'slack-test', deliver: () => Promise.resolve() },
      ...(options.deferAfterMs === undefined ? {} : { deferAfterMs: options.deferAfterMs }),
    },
  );
  if (options.started !== false) await platform.start();
  server = await startHttpServer({ port: 0, host: '127.0.0.1', routes: platform.routes, logger: silentLogger() });
}

interface Answer {
  status: number;
  type: string | null;
  text: string;
  json: unknown;
}

async function post(body: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${server!.port}/slack/events`, { method: 'POST', headers, body });
  const text = await res.text();
  const type = res.headers.get('content-type');
  return { status: res.status, type, text, json: type?.includes('json') ? JSON.parse(text) : null };
}

function command(text: string, fields: { user_id?: string; response_id?: string; timestamp?: number; secret?: string } = {}): Promise<Answer> {
  const body = slashCommandBody({ text, response_url: fake.responseUrl(fields.response_id ?? 'r1'), ...(fields.user_id ? { user_id: fields.user_id } : {}) });
  return post(body, signedHeaders(body, fields.timestamp ?? NOW_S, fields.secret));
}

const usersInfoCalls = () => fake.calls.filter((c) => c.method === 'users.info');

beforeEach(async () => {
  fake = await startFakeSlackCommands();
  core = new CoreDouble();
  logs = capturingLogger();
});

afterEach(async () => {
  await server?.stop();
  await platform?.stop();
  await fake.close();
  server = undefined;
  platform = undefined;
});

describe('Slack slash commands over HTTP', () => {
  it('checks the bot token with auth.test on start and serves only POST /slack/events', async () => {
    await start();
    expect(platform!.prefix).toBe('slack:');
    expect(platform!.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /slack/events']);
    expect(fake.calls.map((c) => [c.method, c.authorization])).toEqual([['auth.test', 'Bearer xoxb-test']]);
  });

  it('answers a signed command inline with the ephemeral reply, mapped to the core request', async () => {
    await start();
    const answer = await command('status');
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('application/json');
    expect(answer.json).toEqual({ response_type: 'ephemeral', text: 'ran status' });
    expect(core.requests).toEqual([
      {
        platform: 'slack',
        tenant: 'slack:T1',
        channel: 'slack:T1:C123',
        actor: { userId: 'UMEMBER', canManage: false, managePermission: SLACK_MANAGE_PERMISSION },
        command: 'status',
        options: {},
      },
    ]);
    expect(usersInfoCalls()).toHaveLength(0);
    expect(logs.lines().find((l) => l['msg'] === 'command answered')).toMatchObject({ team_id: 'T1', channel_id: 'C123', user_id: 'UMEMBER', command: 'status', deferred: false });
  });

  it('refuses a forged signature with 401 and never reaches the core', async () => {
    await start();
    const answer = await command('status', { secret: 'not-the-secret' });
    expect(answer.status).toBe(401);
    expect(core.requests).toHaveLength(0);
  });

  it('refuses a body changed after signing, and missing signature headers', async () => {
    await start();
    const body = slashCommandBody({ text: 'status', response_url: fake.responseUrl('r1') });
    const headers = signedHeaders(body, NOW_S);
    expect((await post(body.replace('status', 'help'), headers)).status).toBe(401);
    expect((await post(body, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(401);
    expect(core.requests).toHaveLength(0);
  });

  it('refuses a timestamp six minutes old with 401', async () => {
    await start();
    const answer = await command('status', { timestamp: NOW_S - 6 * 60 });
    expect(answer.status).toBe(401);
    expect(core.requests).toHaveLength(0);
  });

  it('answers 503 to signed requests before start', async () => {
    await start({ started: false });
    expect(platform!.connected()).toBe(false);
    expect((await command('status')).status).toBe(503);
    expect(core.requests).toHaveLength(0);
  });

  it('counts as connected (for /readyz) once started, and not after stop', async () => {
    await start();
    expect(platform!.connected()).toBe(true);
    await platform!.stop();
    expect(platform!.connected()).toBe(false);
  });

  it('answers the Events API url_verification challenge', async () => {
    await start();
    const body = JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'c-123' });
    const answer = await post(body, { ...signedHeaders(body, NOW_S), 'content-type': 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ challenge: 'c-123' });
  });

  it('acks empty when the core is slow, then posts the reply to response_url', async () => {
    await start({ deferAfterMs: 50 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    core.reply = async (request) => {
      await released;
      return { outcome: 'ok', lines: [`late ${request.command}`] };
    };
    const answer = await command('watch list', { response_id: 'slow-1' });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(fake.responses).toHaveLength(0);
    release();
    await fake.waitForResponses(1);
    expect(fake.responses).toEqual([{ id: 'slow-1', body: { response_type: 'ephemeral', text: 'late watch list', replace_original: false } }]);
    await platform!.stop();
    expect(logs.lines().find((l) => l['msg'] === 'command answered')).toMatchObject({ command: 'watch list', deferred: true });
  });

  it('passes canManage false for a member who is not an admin (users.info is_admin false)', async () => {
    fake.users.set('UMEMBER', { is_admin: false, is_owner: false });
    await start();
    await command('subscribe tariffs');
    expect(core.requests[0]?.command).toBe('subscribe');
    expect(core.requests[0]?.options).toEqual({ watchlists: 'tariffs' });
    expect(core.requests[0]?.actor.canManage).toBe(false);
    expect(usersInfoCalls().map((c) => [c.params['user'], c.authorization])).toEqual([['UMEMBER', 'Bearer xoxb-test']]);
  });

  it('passes canManage true for a user listed in SLACK_ADMIN_USERS, without asking Slack', async () => {
    await start();
    await command('subscribe tariffs', { user_id: 'ULISTED' });
    expect(core.requests[0]?.actor).toEqual({ userId: 'ULISTED', canManage: true, managePermission: SLACK_MANAGE_PERMISSION });
    expect(usersInfoCalls()).toHaveLength(0);
  });

  it('passes canManage true for an owner, and caches the answer', async () => {
    fake.users.set('UOWNER', { is_owner: true });
    await start();
    await command('subscribe tariffs', { user_id: 'UOWNER' });
    await command('unsubscribe', { user_id: 'UOWNER' });
    expect(core.requests.map((r) => r.actor.canManage)).toEqual([true, true]);
    expect(usersInfoCalls()).toHaveLength(1);
  });

  it('passes canManage false for a guest even if flagged admin', async () => {
    fake.users.set('UGUEST', { is_admin: true, is_restricted: true });
    await start();
    await command('feeds add https://news.example/rss', { user_id: 'UGUEST' });
    expect(core.requests[0]?.actor.canManage).toBe(false);
  });

  it('passes canManage false and logs when users.info fails', async () => {
    await start();
    await command('watch create mx tariff* NEAR/5 Mexico', { user_id: 'UNKNOWN' });
    expect(core.requests[0]?.options).toEqual({ id: 'mx', query: 'tariff* NEAR/5 Mexico' });
    expect(core.requests[0]?.actor.canManage).toBe(false);
    expect(logs.lines().find((l) => l['code'] === 'slack_lookup_failed')).toMatchObject({ team_id: 'T1', user_id: 'UNKNOWN', level: 40 });
  });

  it('answers malformed input with one line and the usage, without the core', async () => {
    await start();
    const answer = await command('watch add tariffs');
    expect(answer.json).toEqual({
      response_type: 'ephemeral',
      text: 'watch add needs a term.\nUsage: `/wirewatch watch add &lt;watchlist&gt; &lt;term or query&gt;`',
    });
    expect(core.requests).toHaveLength(0);
  });

  it('renders hostile reply text escaped: no mention, no forged link', async () => {
    await start();
    core.reply = () => Promise.resolve({ outcome: 'ok', lines: [['Added ', { code: '<!channel>' }, ' to <@U123> and <https://evil.example|bank>']] });
    const answer = await command('watch add tariffs <!channel>');
    expect(core.requests[0]?.options).toEqual({ watchlist: 'tariffs', term: '@channel' });
    expect(answer.json).toEqual({
      response_type: 'ephemeral',
      text: 'Added `&lt;!channel&gt;` to &lt;@U123&gt; and &lt;https://evil.example|bank&gt;',
    });
  });

  it('turns a core that throws into a reply with an incident code, and logs it', async () => {
    await start();
    core.reply = () => Promise.reject(new Error('disk on fire'));
    const answer = await command('status');
    const text = (answer.json as { text: string }).text;
    expect(text).toMatch(/^Something went wrong; the operator's logs have code `internal-[0-9a-f]{8}`\.$/);
    expect(text).not.toContain('disk on fire');
    expect(logs.lines().find((l) => l['msg'] === 'command failed')).toMatchObject({ code: 'internal', channel_id: 'C123' });
  });
});
