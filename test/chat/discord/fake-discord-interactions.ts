/**
 * A small fake of Discord's REST API on 127.0.0.1, for the interaction side: interaction
 * callbacks, edits of the original response, follow-ups and command registration. It records
 * every request so tests assert on what reached "Discord".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path without the query, @ decoded (`/api/v10/webhooks/…/messages/@original`). */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeDiscord {
  /** The `api` option for REST / Client (`http://127.0.0.1:PORT/api`). */
  api: string;
  received: ReceivedRequest[];
  /** The first request (already received or still to come) matching `match`. */
  waitFor(match: (r: ReceivedRequest) => boolean): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

const SNOWFLAKE = '(\\d{17,19})';
const CALLBACK = new RegExp(`^/api/v10/interactions/${SNOWFLAKE}/([^/]+)/callback$`);
const ORIGINAL = new RegExp(`^/api/v10/webhooks/${SNOWFLAKE}/([^/]+)/messages/@original$`);
const FOLLOW_UP = new RegExp(`^/api/v10/webhooks/${SNOWFLAKE}/([^/]+)$`);
const COMMANDS = new RegExp(`^/api/v10/applications/${SNOWFLAKE}(?:/guilds/${SNOWFLAKE})?/commands$`);

let nextId = 1_300_000_000_000_000_000n;
const snowflake = () => String(nextId++);

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function message(applicationId: string, body: unknown): Record<string, unknown> {
  const content = typeof body === 'object' && body !== null && 'content' in body ? body.content : '';
  return {
    id: snowflake(),
    channel_id: '1100000000000000002',
    type: 0,
    content,
    author: { id: applicationId, username: 'wirewatch', discriminator: '0000', avatar: null, bot: true, global_name: null },
    timestamp: new Date(0).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    flags: 64,
    webhook_id: applicationId,
  };
}

function route(req: ReceivedRequest, res: ServerResponse): void {
  if (req.method === 'POST' && CALLBACK.test(req.path)) return void res.writeHead(204).end();
  const original = ORIGINAL.exec(req.path);
  if (original && (req.method === 'PATCH' || req.method === 'GET')) return json(res, 200, message(original[1]!, req.body));
  const followUp = FOLLOW_UP.exec(req.path);
  if (followUp && req.method === 'POST') return json(res, 200, message(followUp[1]!, req.body));
  const commands = COMMANDS.exec(req.path);
  if (commands && req.method === 'PUT' && Array.isArray(req.body)) {
    const registered = (req.body as Record<string, unknown>[]).map((c) => ({
      ...c,
      id: snowflake(),
      application_id: commands[1],
      ...(commands[2] ? { guild_id: commands[2] } : {}),
      version: snowflake(),
    }));
    return json(res, 200, registered);
  }
  json(res, 404, { message: '404: Not Found', code: 0 });
}

export async function startFakeDiscord(): Promise<FakeDiscord> {
  const received: ReceivedRequest[] = [];
  const waiters: { match: (r: ReceivedRequest) => boolean; resolve: (r: ReceivedRequest) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body: text.length > 0 && /json/.test(req.headers['content-type'] ?? '') ? JSON.parse(text) : text,
      };
      received.push(request);
      route(request, res);
      for (const waiter of waiters.filter((w) => w.match(request))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api: `http://127.0.0.1:${port}/api`,
    received,
    waitFor: (match) => {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
