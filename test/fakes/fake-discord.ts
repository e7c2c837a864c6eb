/**
 * A small Discord API on 127.0.0.1 for tests: the real @discordjs/rest client talks to it as it
 * would to Discord. JSON responses with `Content-Type: application/json`, X-RateLimit-* headers
 * on message posts, 429s with a `Retry-After` header (the only thing the client reads), Discord's
 * error shapes and codes, embed limits checked as Discord does (400 Invalid Form Body), and
 * `enforce_nonce` returning the first message for a repeated nonce (per channel; a thread is a
 * channel). Stricter than Discord in one way, the project's rule: a channel message or edit
 * without `allowed_mentions: { parse: [] }` is refused as an invalid body.
 *
 * Threads as Discord starts them from a message: the thread's id is the message's, a second start
 * answers 160004, messages posted to the thread's id are stored under it; a channel can refuse
 * threads (403 50001/50013, 400 50024), a thread can be archived and locked (400 50083) or
 * deleted (404 10003). Replies keep their `message_reference` (refused with 400 160002 where the
 * bot is set to lack Read Message History); edits replace the message's embeds and are counted.
 * Thread starts and edits have no rate-limit bucket here.
 *
 * Routes (under /api/v10):
 *   POST  /channels/:id/messages                      (a channel's or a thread's)
 *   POST  /channels/:id/messages/:message/threads
 *   PATCH /channels/:id/messages/:message
 *   POST  /interactions/:id/:token/callback
 *   PATCH /webhooks/:app/:token/messages/@original
 *   POST  /webhooks/:app/:token
 *   PUT   /applications/:app/commands, /applications/:app/guilds/:guild/commands
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  /** As received, e.g. /api/v10/channels/123…/messages */
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON, or the raw text when it is not JSON, or null when empty. */
  body: unknown;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  nonce?: string | number;
  author: { id: string; username: string; bot: true };
  timestamp: string;
  edited_timestamp: string | null;
  /** 0 a message, 19 a reply. */
  type: 0 | 19;
  /** As sent: what the message may ping. */
  allowed_mentions?: unknown;
  /** A reply's reference to the message it answers. */
  message_reference?: { message_id: string; channel_id: string };
  /** The thread started from this message. */
  thread?: FakeThread;
}

export interface FakeThread {
  id: string;
  parent_id: string;
  name: string;
  auto_archive_duration: number | undefined;
  /** 11: a public thread. */
  type: 11;
}

/** How a channel answers a thread start (`ok` unless set). */
export type ThreadRefusal =
  | 'ok'
  | 'missing_access' // 403, code 50001
  | 'missing_permissions' // 403, code 50013 (no Create Public Threads)
  | 'wrong_channel_type'; // 400, code 50024 (a voice channel's text, say)

/** What became of a thread since it was started. */
export type ThreadState = 'open' | 'archived_locked' | 'deleted';

/** How a channel answers message posts. */
export type ChannelBehaviour =
  | 'ok'
  | 'missing_access' // 403, code 50001
  | 'missing_permissions' // 403, code 50013
  | 'unknown_channel' // 404, code 10003
  | 'server_error' // 500, every time
  | 'hang' // never answers (for client timeouts)
  | { rateLimited: { retryAfterSeconds: number; times: number } } // 429 this many times, then ok
  | { invalidBody: { times: number } }; // 400 Invalid Form Body (50035) this many times, then ok

export interface FakeDiscordOptions {
  /** Message posts allowed per channel per window (default 5 per 1 s). */
  bucketLimit?: number;
  bucketWindowMs?: number;
}

export interface FakeDiscord {
  /** The base to give the REST client as `api`: http://127.0.0.1:PORT/api */
  url: string;
  /** Messages created in a channel (or a thread: its id), in order, as they are now. */
  messages(channelId: string): FakeMessage[];
  /** One message as it is now (edits applied), or undefined. */
  message(channelId: string, messageId: string): FakeMessage | undefined;
  /** Times a message was edited. */
  editCount(messageId: string): number;
  /** Threads started from messages of a channel, in order (deleted ones left out). */
  threads(channelId: string): FakeThread[];
  setThreads(channelId: string, refusal: ThreadRefusal): void;
  setThread(threadId: string, state: ThreadState): void;
  /** Replies in this channel refused as without Read Message History (400 160002), or allowed again. */
  setReplies(channelId: string, replies: 'ok' | 'no_read_history'): void;
  /** As a moderator would: the message is gone (edits of it answer Unknown Message). */
  deleteMessage(channelId: string, messageId: string): void;
  /** Every request, in arrival order. */
  requests: FakeRequest[];
  setChannel(channelId: string, behaviour: ChannelBehaviour): void;
  close(): Promise<void>;
}

const EMBED_TOTAL = 6000;
const APPLICATION_USER = { id: '1100000000000000001', username: 'wirewatch', bot: true as const };

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const bucketLimit = options.bucketLimit ?? 5;
  const bucketWindowMs = options.bucketWindowMs ?? 1000;
  const requests: FakeRequest[] = [];
  const messagesByChannel = new Map<string, FakeMessage[]>();
  const behaviours = new Map<string, ChannelBehaviour>();
  const buckets = new Map<string, { remaining: number; resetAt: number }>();
  const nonces = new Map<string, FakeMessage>();
  const threads = new Map<string, FakeThread & { state: ThreadState }>();
  const threadRefusals = new Map<string, ThreadRefusal>();
  const edits = new Map<string, number>();
  const replyRefusals = new Set<string>();
  let nextId = 1300000000000000000n;
  const snowflake = (): string => String((nextId += 1n));

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (status === 204) {
      res.writeHead(204, headers).end();
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  function createMessage(channelId: string, body: Record<string, unknown>): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      channel_id: channelId,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? (body.embeds as unknown[]) : [],
      author: APPLICATION_USER,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      type: 0,
    };
    if (typeof body.nonce === 'string' || typeof body.nonce === 'number') message.nonce = body.nonce;
    if ('allowed_mentions' in body) message.allowed_mentions = body.allowed_mentions;
    return message;
  }

  const findMessage = (channelId: string, messageId: string) => messagesByChannel.get(channelId)?.find((m) => m.id === messageId);

  /** A refusal every route of a channel answers (a thread's own state included); true when answered. */
  function refused(res: ServerResponse, channelId: string, behaviour: ChannelBehaviour, headers: Record<string, string> = {}): boolean {
    switch (behaviour) {
      case 'missing_access':
        json(res, 403, { message: 'Missing Access', code: 50001 }, headers);
        return true;
      case 'missing_permissions':
        json(res, 403, { message: 'Missing Permissions', code: 50013 }, headers);
        return true;
      case 'unknown_channel':
        json(res, 404, { message: 'Unknown Channel', code: 10003 }, headers);
        return true;
      case 'server_error':
        json(res, 500, { message: '500: Internal Server Error', code: 0 }, headers);
        return true;
      default:
        break;
    }
    const thread = threads.get(channelId);
    if (thread?.state === 'deleted') {
      json(res, 404, { message: 'Unknown Channel', code: 10003 }, headers);
      return true;
    }
    if (thread?.state === 'archived_locked') {
      json(res, 400, { message: 'Thread is archived', code: 50083 }, headers);
      return true;
    }
    return false;
  }

  function invalidBody(res: ServerResponse, problems: string[], headers: Record<string, string> = {}): void {
    json(res, 400, { message: 'Invalid Form Body', code: 50035, errors: Object.fromEntries(problems.map((p) => [p, { _errors: [{ code: 'BASE_TYPE_INVALID', message: p }] }])) }, headers);
  }

  /** A reply's reference, checked as Discord does: an unknown message fails unless `fail_if_not_exists: false`. */
  function replyReference(channelId: string, body: Record<string, unknown>): FakeMessage['message_reference'] | 'unknown' | undefined {
    if (body.message_reference === undefined) return undefined;
    const reference = asObject(body.message_reference);
    const messageId = typeof reference.message_id === 'string' ? reference.message_id : '';
    if (findMessage(channelId, messageId)) return { message_id: messageId, channel_id: channelId };
    return reference.fail_if_not_exists === false ? undefined : 'unknown';
  }

  function postMessage(res: ServerResponse, channelId: string, body: unknown): void {
    const now = Date.now();
    const bucket = buckets.get(channelId) ?? { remaining: bucketLimit, resetAt: now + bucketWindowMs };
    if (now >= bucket.resetAt) Object.assign(bucket, { remaining: bucketLimit, resetAt: now + bucketWindowMs });
    buckets.set(channelId, bucket);
    const rateHeaders = (remaining: number): Record<string, string> => ({
      'X-RateLimit-Limit': String(bucketLimit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset-After': ((bucket.resetAt - now) / 1000).toFixed(3),
      'X-RateLimit-Bucket': `messages-${channelId}`,
    });

    const behaviour = behaviours.get(channelId) ?? 'ok';
    if (behaviour === 'hang') return;
    if (typeof behaviour === 'object' && 'rateLimited' in behaviour && behaviour.rateLimited.times > 0) {
      behaviour.rateLimited.times -= 1;
      const after = String(behaviour.rateLimited.retryAfterSeconds);
      json(res, 429, { message: 'You are being rate limited.', retry_after: behaviour.rateLimited.retryAfterSeconds, global: false }, {
        ...rateHeaders(0),
        'X-RateLimit-Reset-After': after,
        'Retry-After': after,
        'X-RateLimit-Scope': 'user',
      });
      return;
    }
    if (bucket.remaining <= 0) {
      const after = ((bucket.resetAt - now) / 1000).toFixed(3);
      json(res, 429, { message: 'You are being rate limited.', retry_after: Number(after), global: false }, { ...rateHeaders(0), 'Retry-After': after, 'X-RateLimit-Scope': 'user' });
      return;
    }
    if (refused(res, channelId, behaviour)) return;
    bucket.remaining -= 1;
    const forced = typeof behaviour === 'object' && 'invalidBody' in behaviour && behaviour.invalidBody.times > 0;
    if (forced) behaviour.invalidBody.times -= 1;
    const message = asObject(body);
    const reference = replyReference(channelId, message);
    const problems = forced ? ['embeds.0'] : [...invalidMessage(body), ...(reference === 'unknown' ? ['message_reference'] : [])];
    if (problems.length > 0) {
      invalidBody(res, problems, rateHeaders(bucket.remaining));
      return;
    }
    if (message.message_reference !== undefined && replyRefusals.has(channelId)) {
      json(res, 400, { message: 'Cannot reply without permission to read message history', code: 160002 }, rateHeaders(bucket.remaining));
      return;
    }
    const nonce = nonceOf(message.nonce);
    const nonceKey = message.enforce_nonce === true && nonce !== null ? `${channelId}:${nonce}` : null;
    const earlier = nonceKey ? nonces.get(nonceKey) : undefined;
    if (earlier) {
      json(res, 200, earlier, rateHeaders(bucket.remaining));
      return;
    }
    const created = createMessage(channelId, message);
    if (reference && reference !== 'unknown') Object.assign(created, { message_reference: reference, type: 19 });
    if (nonceKey) nonces.set(nonceKey, created);
    const list = messagesByChannel.get(channelId) ?? [];
    list.push(created);
    messagesByChannel.set(channelId, list);
    json(res, 200, created, rateHeaders(bucket.remaining));
  }

  function startThread(res: ServerResponse, channelId: string, messageId: string, body: unknown): void {
    const behaviour = behaviours.get(channelId) ?? 'ok';
    if (behaviour === 'hang' || refused(res, channelId, behaviour)) return;
    switch (threadRefusals.get(channelId) ?? 'ok') {
      case 'missing_access':
        return json(res, 403, { message: 'Missing Access', code: 50001 });
      case 'missing_permissions':
        return json(res, 403, { message: 'Missing Permissions', code: 50013 });
      case 'wrong_channel_type':
        return json(res, 400, { message: 'Cannot execute action on this channel type', code: 50024 });
      case 'ok':
        break;
    }
    const message = findMessage(channelId, messageId);
    if (!message) return json(res, 404, { message: 'Unknown Message', code: 10008 });
    const existing = threads.get(messageId);
    if (existing && existing.state !== 'deleted') return json(res, 400, { message: 'A thread has already been created for this message', code: 160004 });
    const { name, auto_archive_duration: archive } = asObject(body);
    const problems: string[] = [];
    if (typeof name !== 'string' || [...name.trim()].length < 1 || [...name].length > 100) problems.push('name');
    if (archive !== undefined && ![60, 1440, 4320, 10080].includes(archive as number)) problems.push('auto_archive_duration');
    if (problems.length > 0) return invalidBody(res, problems);
    // A thread started from a message has the message's id; a deleted one's messages went with it.
    const thread: FakeThread = { id: messageId, parent_id: channelId, name: name as string, auto_archive_duration: archive as number | undefined, type: 11 };
    threads.set(messageId, { ...thread, state: 'open' });
    messagesByChannel.delete(messageId);
    for (const key of nonces.keys()) if (key.startsWith(`${messageId}:`)) nonces.delete(key);
    message.thread = thread;
    json(res, 201, thread);
  }

  function editMessage(res: ServerResponse, channelId: string, messageId: string, body: unknown): void {
    const behaviour = behaviours.get(channelId) ?? 'ok';
    if (behaviour === 'hang' || refused(res, channelId, behaviour)) return;
    const message = findMessage(channelId, messageId);
    if (!message) return json(res, 404, { message: 'Unknown Message', code: 10008 });
    const problems = invalidMessage(body);
    if (problems.length > 0) return invalidBody(res, problems);
    const edit = asObject(body);
    if ('embeds' in edit) message.embeds = Array.isArray(edit.embeds) ? (edit.embeds as unknown[]) : [];
    if ('content' in edit) message.content = typeof edit.content === 'string' ? edit.content : '';
    message.allowed_mentions = edit.allowed_mentions;
    message.edited_timestamp = new Date().toISOString();
    edits.set(messageId, (edits.get(messageId) ?? 0) + 1);
    json(res, 200, message);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      requests.push({ method, path, headers: req.headers, body });
      route(res, method, path.split('?')[0] ?? '/', body, req.headers);
    });
  });

  function route(res: ServerResponse, method: string, path: string, body: unknown, headers: IncomingMessage['headers']): void {
    let m: RegExpMatchArray | null;
    const authed = typeof headers.authorization === 'string' && headers.authorization.startsWith('Bot ');
    if (method === 'POST' && (m = path.match(/^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      return json(res, 204, null);
    }
    if (method === 'PATCH' && (m = path.match(/^\/api\/v10\/webhooks\/(\d+)\/([^/]+)\/messages\/(?:@|%40)original$/))) {
      return json(res, 200, createMessage('1200000000000000001', asObject(body)));
    }
    if (method === 'POST' && (m = path.match(/^\/api\/v10\/webhooks\/(\d+)\/([^/]+)$/))) {
      return json(res, 200, createMessage('1200000000000000001', asObject(body)));
    }
    if (!authed) return json(res, 401, { message: '401: Unauthorized', code: 0 });
    if (method === 'POST' && (m = path.match(/^\/api\/v10\/channels\/(\d+)\/messages$/))) {
      return postMessage(res, m[1]!, body);
    }
    if (method === 'POST' && (m = path.match(/^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)\/threads$/))) {
      return startThread(res, m[1]!, m[2]!, body);
    }
    if (method === 'PATCH' && (m = path.match(/^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)$/))) {
      return editMessage(res, m[1]!, m[2]!, body);
    }
    if (method === 'PUT' && (m = path.match(/^\/api\/v10\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) {
      const [, app, guild] = m;
      const commands = Array.isArray(body) ? (body as unknown[]) : [];
      return json(
        res,
        200,
        commands.map((command) => ({ ...asObject(command), id: snowflake(), application_id: app, ...(guild ? { guild_id: guild } : {}), version: snowflake() })),
      );
    }
    json(res, 404, { message: '404: Not Found', code: 0 });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    messages: (channelId) => [...(messagesByChannel.get(channelId) ?? [])],
    message: findMessage,
    editCount: (messageId) => edits.get(messageId) ?? 0,
    threads: (channelId) => [...threads.values()].filter((t) => t.parent_id === channelId && t.state !== 'deleted').map(({ state: _state, ...thread }) => thread),
    setThreads: (channelId, refusal) => void threadRefusals.set(channelId, refusal),
    setThread: (threadId, state) => {
      const thread = threads.get(threadId);
      if (!thread) throw new Error(`no thread ${threadId}`);
      thread.state = state;
    },
    setReplies: (channelId, replies) => void (replies === 'ok' ? replyRefusals.delete(channelId) : replyRefusals.add(channelId)),
    deleteMessage: (channelId, messageId) => {
      const list = messagesByChannel.get(channelId) ?? [];
      messagesByChannel.set(channelId, list.filter((m) => m.id !== messageId));
    },
    requests,
    setChannel: (channelId, behaviour) => {
      // a copy: the counters inside are used up by requests
      behaviours.set(channelId, typeof behaviour === 'object' ? (structuredClone(behaviour)) : behaviour);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function nonceOf(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** `{ parse: [] }` and nothing that names users or roles to ping. */
function inertMentions(value: unknown): boolean {
  const mentions = asObject(value);
  const parse = mentions.parse;
  const none = (list: unknown) => list === undefined || (Array.isArray(list) && list.length === 0);
  return value !== undefined && Array.isArray(parse) && parse.length === 0 && none(mentions.users) && none(mentions.roles) && mentions.replied_user !== true;
}

/** What Discord would refuse in a message body (and, stricter, a body that could ping): the paths of the offending fields. */
function invalidMessage(body: unknown): string[] {
  const message = asObject(body);
  const problems: string[] = [];
  const content = typeof message.content === 'string' ? message.content : '';
  const embeds = Array.isArray(message.embeds) ? (message.embeds as unknown[]).map(asObject) : [];
  if (content.length > 2000) problems.push('content');
  if (!content && embeds.length === 0) problems.push('content');
  if (embeds.length > 10) problems.push('embeds');
  if (message.nonce !== undefined && (nonceOf(message.nonce) ?? 'x'.repeat(26)).length > 25) problems.push('nonce');
  if (!inertMentions(message.allowed_mentions)) problems.push('allowed_mentions');
  let total = 0;
  const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
  embeds.forEach((embed, i) => {
    const check = (path: string, value: unknown, max: number): void => {
      const length = [...text(value)].length;
      total += length;
      if (length > max) problems.push(`embeds.${i}.${path}`);
    };
    check('title', embed.title, 256);
    check('description', embed.description, 4096);
    check('footer.text', asObject(embed.footer).text, 2048);
    check('author.name', asObject(embed.author).name, 256);
    const fields = Array.isArray(embed.fields) ? (embed.fields as unknown[]).map(asObject) : [];
    if (fields.length > 25) problems.push(`embeds.${i}.fields`);
    fields.forEach((field, j) => {
      check(`fields.${j}.name`, field.name, 256);
      check(`fields.${j}.value`, field.value, 1024);
      if (!text(field.name) || !text(field.value)) problems.push(`embeds.${i}.fields.${j}`);
    });
    for (const key of ['url', 'thumbnail', 'image']) {
      const url = key === 'url' ? embed.url : asObject(embed[key]).url;
      if (url !== undefined && !(typeof url === 'string' && /^https?:\/\//.test(url))) problems.push(`embeds.${i}.${key}`);
    }
  });
  if (total > EMBED_TOTAL) problems.push('embeds');
  return problems;
}
