/**
 * A small Slack Web API on 127.0.0.1 for tests: the real @slack/web-api WebClient talks to it as
 * it would to Slack. Methods are `POST /api/<method>` with form-encoded (or JSON) bodies, nested
 * fields such as `blocks` as JSON strings; every answer is HTTP 200 JSON `{ok: true|false,
 * error}` with `Content-Type: application/json`, except a 429 (with an integer `Retry-After`, the
 * only thing the client reads) and a 500 when a channel is set up to fail that way. Message posts
 * are checked against Slack's limits (50 blocks, 3000 per section text, 150 per header, about
 * 12 000 characters of block text, a text or blocks required) and refused with Slack's codes; so
 * are edits.
 *
 * Routes:
 *   POST /api/chat.postMessage     per-channel behaviour, see ChannelBehaviour; with `thread_ts` a
 *                                  reply stored under its parent (thread_not_found when the parent
 *                                  is not a message of that channel)
 *   POST /api/chat.update          replaces a message's text and/or blocks and counts the edit
 *                                  (message_not_found for an unknown ts); the channel's behaviour
 *                                  applies as to posts
 *   POST /api/auth.test            {ok, url, team, user, team_id, user_id, bot_id}
 *   POST /api/users.info           the users set with setUser, else user_not_found
 *   POST /api/conversations.info   a public channel the bot is in (or the channel's error)
 *   POST /response/<id>            a response_url: records the JSON body
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackRequest {
  method: string;
  /** As received, e.g. /api/chat.postMessage */
  path: string;
  headers: IncomingMessage['headers'];
  /** Form fields or JSON, with `blocks`/`attachments`/`metadata` JSON-parsed; raw text if neither; null when empty. */
  body: unknown;
  /** Arrival time, Date.now(). */
  at: number;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  /** The parent's ts for a reply; null for a message in the channel itself. */
  threadTs: string | null;
  /** The post's arguments as they arrived (form values are strings: unfurl_links is 'false'), blocks parsed. */
  args: Record<string, unknown>;
  /** As they are now: an edit replaces them. */
  blocks: unknown[];
  text: string;
  at: number;
  /** chat.update calls that changed it. */
  edits: number;
  /** The last chat.update's arguments, null before any. */
  lastEdit: Record<string, unknown> | null;
}

export type SlackErrorCode =
  | 'channel_not_found'
  | 'not_in_channel'
  | 'is_archived'
  | 'invalid_auth'
  | 'account_inactive'
  | 'token_revoked'
  | 'missing_scope'
  | 'restricted_action'
  | 'invalid_blocks'
  | 'msg_too_long'
  | 'internal_error'
  | 'ratelimited'
  | 'thread_not_found'
  | 'message_not_found'
  | 'cant_update_message'
  | 'edit_window_closed';

/** The methods a channel behaviour can be limited to. */
export type FakeSlackChatMethod = 'chat.postMessage' | 'chat.update';

/** How a channel answers chat.postMessage and chat.update. */
export type ChannelBehaviour =
  | 'ok'
  | 'server_error' // HTTP 500, every time
  | 'hang' // never answers (for client timeouts)
  | { error: SlackErrorCode; times?: number } // HTTP 200 {ok:false,error} this many times (default: always), then ok
  | { rateLimited: { retryAfterSeconds: number; times: number } }; // HTTP 429 with Retry-After this many times, then ok

export interface FakeSlackUser {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  name?: string;
}

export interface FakeSlackOptions {
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** The token requests must carry (default: any xoxb- token). */
  token?: string;
}

export interface FakeSlack {
  /** The `slackApiUrl` to give the WebClient: http://127.0.0.1:PORT/api/ */
  url: string;
  /** Every message posted to a channel and not deleted, replies included, in posting order, as it is now. */
  messages(channel: string): FakeSlackMessage[];
  /** The channel's own messages, not the replies in threads. */
  topLevel(channel: string): FakeSlackMessage[];
  /** The replies under the message `threadTs` of the channel, in order. */
  replies(channel: string, threadTs: string): FakeSlackMessage[];
  /** How often chat.update changed the message (0 for an unknown one). */
  editCount(channel: string, ts: string): number;
  /** Deletes a message, as a person in the channel could; its replies stay. False when there was none. */
  deleteMessage(channel: string, ts: string): boolean;
  /** Every request, in arrival order. */
  requests: FakeSlackRequest[];
  /** How the channel answers; `only` one method, else both chat.postMessage and chat.update. */
  setChannel(channel: string, behaviour: ChannelBehaviour, only?: FakeSlackChatMethod): void;
  setUser(id: string, user: FakeSlackUser): void;
  /** A response_url pointing at this fake. */
  responseUrl(id: string): string;
  /** Bodies posted to responseUrl(id), in order. */
  responses(id: string): unknown[];
  close(): Promise<void>;
}

/** Where Slack starts refusing blocks as msg_blocks_too_long (not documented; about 12 000). */
const BLOCK_TEXT_CAP = 12_000;
const PARSED_FIELDS = ['blocks', 'attachments', 'metadata'];

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T0TEST001';
  const botUserId = options.botUserId ?? 'U0BOT0001';
  const botId = options.botId ?? 'B0BOT0001';
  const requests: FakeSlackRequest[] = [];
  const messagesByChannel = new Map<string, FakeSlackMessage[]>();
  /** By channel, and by `method channel` for a behaviour set for one method. */
  const behaviours = new Map<string, ChannelBehaviour>();
  const users = new Map<string, FakeSlackUser>();
  const responsesById = new Map<string, unknown[]>();
  let seq = 0;
  let port = 0;

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  function authorised(headers: IncomingMessage['headers']): boolean {
    const auth = headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('Bearer ')) return false;
    const token = auth.slice('Bearer '.length);
    return options.token ? token === options.token : token.startsWith('xoxb-');
  }

  function find(channel: string, ts: string): FakeSlackMessage | undefined {
    return messagesByChannel.get(channel)?.find((m) => m.ts === ts);
  }

  /**
   * Answers as the channel's behaviour for `method` says when that is not `ok` (a 500, a 429, an
   * error, no answer); returns whether it did. Counted behaviours are used up here.
   */
  function misbehave(res: ServerResponse, method: FakeSlackChatMethod, channel: string): boolean {
    const behaviour = behaviours.get(`${method} ${channel}`) ?? behaviours.get(channel) ?? 'ok';
    if (behaviour === 'hang') return true;
    if (behaviour === 'server_error') {
      json(res, 500, { ok: false, error: 'internal_error' });
      return true;
    }
    if (typeof behaviour === 'object' && 'rateLimited' in behaviour && behaviour.rateLimited.times > 0) {
      behaviour.rateLimited.times -= 1;
      json(res, 429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(behaviour.rateLimited.retryAfterSeconds) });
      return true;
    }
    if (typeof behaviour === 'object' && 'error' in behaviour && (behaviour.times === undefined || behaviour.times > 0)) {
      if (behaviour.times !== undefined) behaviour.times -= 1;
      json(res, 200, { ok: false, error: behaviour.error });
      return true;
    }
    return false;
  }

  function postMessage(res: ServerResponse, args: Record<string, unknown>, at: number): void {
    const channel = typeof args.channel === 'string' ? args.channel : '';
    if (!channel) return json(res, 200, { ok: false, error: 'channel_not_found' });
    if (misbehave(res, 'chat.postMessage', channel)) return;
    const refused = invalidMessage(args);
    if (refused) return json(res, 200, { ok: false, error: refused.error, response_metadata: { messages: refused.messages } });
    let threadTs: string | null = null;
    if (args.thread_ts !== undefined) {
      const parent = typeof args.thread_ts === 'string' ? find(channel, args.thread_ts) : undefined;
      if (!parent) return json(res, 200, { ok: false, error: 'thread_not_found' });
      // a reply's ts names its thread, as on Slack
      threadTs = parent.threadTs ?? parent.ts;
    }
    seq += 1;
    const ts = `${Math.floor(at / 1000)}.${String(seq).padStart(6, '0')}`;
    const text = typeof args.text === 'string' ? args.text : '';
    const blocks = Array.isArray(args.blocks) ? (args.blocks as unknown[]) : [];
    const list = messagesByChannel.get(channel) ?? [];
    list.push({ channel, ts, threadTs, args, blocks, text, at, edits: 0, lastEdit: null });
    messagesByChannel.set(channel, list);
    const message = { type: 'message', user: botUserId, bot_id: botId, text, blocks, ts, ...(threadTs ? { thread_ts: threadTs } : {}) };
    json(res, 200, { ok: true, channel, ts, message });
  }

  /** chat.update: what is sent replaces the message's text and blocks (what is left out stays, as on Slack). */
  function update(res: ServerResponse, args: Record<string, unknown>): void {
    const channel = typeof args.channel === 'string' ? args.channel : '';
    if (!channel) return json(res, 200, { ok: false, error: 'channel_not_found' });
    if (misbehave(res, 'chat.update', channel)) return;
    const message = typeof args.ts === 'string' ? find(channel, args.ts) : undefined;
    if (!message) return json(res, 200, { ok: false, error: 'message_not_found' });
    const refused = invalidMessage(args);
    if (refused) return json(res, 200, { ok: false, error: refused.error, response_metadata: { messages: refused.messages } });
    if (typeof args.text === 'string') message.text = args.text;
    if (Array.isArray(args.blocks)) message.blocks = args.blocks as unknown[];
    message.edits += 1;
    message.lastEdit = args;
    json(res, 200, { ok: true, channel, ts: message.ts, text: message.text, message: { type: 'message', user: botUserId, bot_id: botId, text: message.text, blocks: message.blocks } });
  }

  function route(res: ServerResponse, path: string, body: unknown, headers: IncomingMessage['headers'], at: number): void {
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/response\/([\w-]+)$/))) {
      const list = responsesById.get(m[1]!) ?? [];
      list.push(body);
      responsesById.set(m[1]!, list);
      return json(res, 200, { ok: true });
    }
    if (!(m = path.match(/^\/api\/([\w.]+)$/))) return json(res, 404, { ok: false, error: 'not_found' });
    if (!authorised(headers)) return json(res, 200, { ok: false, error: headers.authorization ? 'invalid_auth' : 'not_authed' });
    const args = asObject(body);
    switch (m[1]) {
      case 'chat.postMessage':
        return postMessage(res, args, at);
      case 'chat.update':
        return update(res, args);
      case 'auth.test':
        return json(res, 200, { ok: true, url: 'https://wirewatch-test.slack.com/', team: 'wirewatch-test', user: 'wirewatch', team_id: teamId, user_id: botUserId, bot_id: botId, is_enterprise_install: false });
      case 'users.info': {
        const id = typeof args.user === 'string' ? args.user : '';
        const user = users.get(id);
        if (!user) return json(res, 200, { ok: false, error: 'user_not_found' });
        return json(res, 200, {
          ok: true,
          user: {
            id,
            team_id: teamId,
            name: user.name ?? id.toLowerCase(),
            deleted: user.deleted ?? false,
            is_bot: user.is_bot ?? false,
            is_admin: user.is_admin ?? false,
            is_owner: user.is_owner ?? false,
            is_primary_owner: user.is_primary_owner ?? false,
            is_restricted: user.is_restricted ?? false,
            is_ultra_restricted: user.is_ultra_restricted ?? false,
          },
        });
      }
      case 'conversations.info': {
        const id = typeof args.channel === 'string' ? args.channel : '';
        const behaviour = behaviours.get(id);
        if (!id || (typeof behaviour === 'object' && 'error' in behaviour && behaviour.error === 'channel_not_found')) {
          return json(res, 200, { ok: false, error: 'channel_not_found' });
        }
        const archived = typeof behaviour === 'object' && 'error' in behaviour && behaviour.error === 'is_archived';
        const member = !(typeof behaviour === 'object' && 'error' in behaviour && behaviour.error === 'not_in_channel');
        return json(res, 200, {
          ok: true,
          channel: { id, name: id.toLowerCase(), is_channel: true, is_private: id.startsWith('G'), is_im: id.startsWith('D'), is_archived: archived, is_member: member },
        });
      }
      default:
        return json(res, 200, { ok: false, error: 'unknown_method' });
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = Date.now();
      const body = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      requests.push({ method, path, headers: req.headers, body, at });
      if (method !== 'POST') return json(res, 405, { ok: false, error: 'method_not_allowed' });
      route(res, path.split('?')[0] ?? '/', body, req.headers, at);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    messages: (channel) => [...(messagesByChannel.get(channel) ?? [])],
    topLevel: (channel) => (messagesByChannel.get(channel) ?? []).filter((m) => m.threadTs === null || m.args.reply_broadcast === 'true' || m.args.reply_broadcast === true),
    replies: (channel, threadTs) => (messagesByChannel.get(channel) ?? []).filter((m) => m.threadTs === threadTs),
    editCount: (channel, ts) => find(channel, ts)?.edits ?? 0,
    deleteMessage: (channel, ts) => {
      const list = messagesByChannel.get(channel) ?? [];
      const index = list.findIndex((m) => m.ts === ts);
      if (index < 0) return false;
      list.splice(index, 1);
      return true;
    },
    requests,
    setChannel: (channel, behaviour, only) => {
      // a copy: the counters inside are used up by requests
      behaviours.set(only ? `${only} ${channel}` : channel, typeof behaviour === 'object' ? structuredClone(behaviour) : behaviour);
    },
    setUser: (id, user) => {
      users.set(id, { ...user });
    },
    responseUrl: (id) => `http://127.0.0.1:${port}/response/${id}`,
    responses: (id) => [...(responsesById.get(id) ?? [])],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Form or JSON; `blocks` and friends JSON-parsed when they came as strings. */
function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return null;
  let body: unknown;
  if (contentType?.startsWith('application/json')) {
    try {
      body = JSON.parse(text);
    } catch {
      return text;
    }
  } else if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    body = Object.fromEntries(new URLSearchParams(text));
  } else {
    return text;
  }
  const fields = asObject(body);
  for (const key of PARSED_FIELDS) {
    const value = fields[key];
    if (typeof value !== 'string') continue;
    try {
      fields[key] = JSON.parse(value);
    } catch {
      // left as the string; postMessage refuses it as invalid_blocks
    }
  }
  return body;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** What Slack would refuse in a chat.postMessage or chat.update: its error code and an explanation. */
function invalidMessage(args: Record<string, unknown>): { error: string; messages: string[] } | null {
  const text = typeof args.text === 'string' ? args.text : '';
  if (args.blocks !== undefined && !Array.isArray(args.blocks)) return { error: 'invalid_blocks_format', messages: ['[ERROR] blocks must be a JSON array'] };
  const blocks = Array.isArray(args.blocks) ? (args.blocks as unknown[]).map(asObject) : [];
  if (!text && blocks.length === 0) return { error: 'no_text', messages: [] };
  if (text.length > 40_000) return { error: 'msg_too_long', messages: [] };
  const problems: string[] = [];
  if (blocks.length > 50) problems.push('[ERROR] no more than 50 items allowed [json-pointer:/blocks]');
  let total = 0;
  const textOf = (value: unknown, max: number, pointer: string): void => {
    const object = asObject(value);
    if (typeof object.text !== 'string') {
      problems.push(`[ERROR] missing text [json-pointer:${pointer}]`);
      return;
    }
    total += object.text.length;
    if (object.text.length > max) problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}/text]`);
  };
  blocks.forEach((block, i) => {
    const at = `/blocks/${i}`;
    switch (block.type) {
      case 'section': {
        if (block.text !== undefined) textOf(block.text, 3000, `${at}/text`);
        else if (!Array.isArray(block.fields)) problems.push(`[ERROR] must provide text or fields [json-pointer:${at}]`);
        const accessory = asObject(block.accessory);
        if (block.accessory !== undefined && accessory.type === 'image') {
          if (typeof accessory.image_url !== 'string' || !/^https?:\/\//.test(accessory.image_url)) problems.push(`[ERROR] invalid image_url [json-pointer:${at}/accessory/image_url]`);
          if (typeof accessory.alt_text !== 'string' || accessory.alt_text.length > 2000) problems.push(`[ERROR] invalid alt_text [json-pointer:${at}/accessory/alt_text]`);
          else total += accessory.alt_text.length;
        }
        break;
      }
      case 'header':
        textOf(block.text, 150, `${at}/text`);
        break;
      case 'context': {
        const elements = Array.isArray(block.elements) ? (block.elements as unknown[]) : [];
        if (elements.length === 0 || elements.length > 10) problems.push(`[ERROR] 1 to 10 elements [json-pointer:${at}/elements]`);
        elements.forEach((element, j) => {
          const e = asObject(element);
          if (e.type === 'image') return;
          textOf(e, 3000, `${at}/elements/${j}`);
        });
        break;
      }
      case 'image':
        if (typeof block.image_url !== 'string' || !/^https?:\/\//.test(block.image_url)) problems.push(`[ERROR] invalid image_url [json-pointer:${at}/image_url]`);
        break;
      case 'divider':
        break;
      default:
        problems.push(`[ERROR] unsupported block type [json-pointer:${at}/type]`);
    }
  });
  if (problems.length > 0) return { error: 'invalid_blocks', messages: problems };
  if (total > BLOCK_TEXT_CAP) return { error: 'msg_blocks_too_long', messages: [] };
  return null;
}
