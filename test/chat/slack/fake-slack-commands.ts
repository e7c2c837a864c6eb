/**
 * A small fake of the Slack Web API on 127.0.0.1, enough for slash commands: `auth.test`,
 * `users.info` (answers set per user), and `response_url` posts captured under /respond/<id>.
 * Every call is recorded so a test can assert on what the real client sent.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_restricted?: boolean;
}

export interface ApiCall {
  method: string;
  authorization: string | undefined;
  params: Record<string, string>;
}

export interface FakeSlackCommands {
  /** The Web API base URL, ending in "/" (for SLACK_API_URL / clientOptions.slackApiUrl). */
  apiUrl: string;
  /** A response_url on this fake; posts to it land in `responses`. */
  responseUrl(id: string): string;
  /** users.info answers by user id; unknown users get `{ok:false, error:'user_not_found'}`. */
  users: Map<string, FakeUser>;
  /** Web API calls, in order. */
  calls: ApiCall[];
  /** Bodies posted to response URLs, by id. */
  responses: { id: string; body: unknown }[];
  /** Resolves when `count` response_url posts have arrived. */
  waitForResponses(count: number): Promise<void>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export const BOT = { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };

export async function startFakeSlackCommands(): Promise<FakeSlackCommands> {
  const users = new Map<string, FakeUser>();
  const calls: ApiCall[] = [];
  const responses: { id: string; body: unknown }[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const raw = await readBody(req);
      const send = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (path.startsWith('/respond/')) {
        responses.push({ id: path.slice('/respond/'.length), body: JSON.parse(raw) as unknown });
        for (const w of waiters.filter((w) => responses.length >= w.count)) w.resolve();
        return send({ ok: true });
      }
      if (!path.startsWith('/api/')) return res.writeHead(404).end();
      const method = path.slice('/api/'.length);
      const params = req.headers['content-type']?.includes('json')
        ? (JSON.parse(raw) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(raw));
      calls.push({ method, authorization: req.headers.authorization, params });
      if (req.headers.authorization !== 'Bearer xoxb-test') return send({ ok: false, error: 'invalid_auth' });
      if (method === 'auth.test') return send({ ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'wirewatch', ...BOT });
      if (method === 'users.info') {
        const user = users.get(params['user'] ?? '');
        return send(user ? { ok: true, user: { id: params['user'], ...user } } : { ok: false, error: 'user_not_found' });
      }
      return send({ ok: false, error: 'unknown_method' });
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${origin}/api/`,
    responseUrl: (id) => `${origin}/respond/${id}`,
    users,
    calls,
    responses,
    waitForResponses: (count) =>
      responses.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const SIGNING_SECRET = 'test-signing-secret';

/** Slack's request signing: v0 HMAC-SHA256 over `v0:timestamp:body`. */
export function signedHeaders(body: string, timestampSec: number, secret = SIGNING_SECRET): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': signature,
  };
}

/** A slash command's form body as Slack posts it. */
export function slashCommandBody(fields: { text: string; user_id?: string; channel_id?: string; team_id?: string; response_url: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.team_id ?? 'T1',
    team_domain: 'fake',
    channel_id: fields.channel_id ?? 'C123',
    channel_name: 'news',
    user_id: fields.user_id ?? 'UMEMBER',
    user_name: 'someone',
    command: '/wirewatch',
    text: fields.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: '1.2.3',
  }).toString();
}
