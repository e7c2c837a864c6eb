/**
 * The polite HTTP fetcher: conditional GETs, compressed bodies with a hard size cap, one total
 * deadline, manual redirects (each hop vetted), a global and a per-host concurrency limit, and
 * the SSRF guard for feeds added by chat users. Every failure is a coded WirewatchError.
 */
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { Agent as UndiciAgent, buildConnector, Dispatcher } from 'undici';
import { Agent, errors as undiciErrors, request as httpRequest } from './undici.js';
import { systemClock, type Clock } from '../../clock.js';
import { WirewatchError } from '../../errors.js';
import { redactUrl } from '../../redact.js';

export { redactUrl } from '../../redact.js';
import {
  assertPublicAddress,
  bareHostname,
  createGuardedConnector,
  parseFeedUrl,
  systemResolve,
  type ResolveHost,
} from './address-guard.js';
import { hostLimits } from './host-limits.js';

export interface FetchRequest {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
  /**
   * Feeds from the operator (config file, CLI) skip the address guard, redirects included, and
   * use their own connection pool; chat-added feeds (false) are guarded on every hop.
   */
  trusted: boolean;
  signal?: AbortSignal;
  /** Not used by the fetcher itself; carried for callers' logs. */
  feedId?: string;
}

export type FetchResult =
  | { kind: 'not-modified'; finalUrl: string; status: 304 }
  | {
      kind: 'ok';
      finalUrl: string;
      status: number;
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      redirects: number;
    };

export interface FeedFetcher {
  fetch(request: FetchRequest): Promise<FetchResult>;
  close(): Promise<void>;
}

export interface FeedFetcherOptions {
  userAgent: string;
  /** Total deadline for one fetch: every redirect hop, headers and body. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Cap on bytes read from the wire and, separately, on the decompressed body. */
  maxBytes: number;
  maxRedirects: number;
  /** Let untrusted feeds reach private addresses too (a bot on a LAN reading intranet feeds). */
  allowPrivate: boolean;
  globalConcurrency: number;
  perHostConcurrency: number;
  resolve?: ResolveHost;
  /** Socket opener for the guarded (untrusted) path only; tests map public IPs to loopback with it. */
  tcpConnect?: buildConnector.connector;
  clock?: Clock;
}

export const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';
const ACCEPT_ENCODING = 'gzip, deflate, br';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// ---------------------------------------------------------------------------------------------
// Small helpers

function withoutCredentials(url: URL): URL {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  copy.hash = '';
  return copy;
}

function basicAuth(url: URL): string | null {
  if (url.username === '' && url.password === '') return null;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number(mb.toFixed(1))} MB`;
  const kb = bytes / 1024;
  return kb >= 1 ? `${Number(kb.toFixed(1))} KB` : `${bytes} bytes`;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP-date; null when absent or unusable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

// ---------------------------------------------------------------------------------------------
// Body: decompression and the size cap

function tooLarge(maxBytes: number, url: URL, what: string): WirewatchError {
  return new WirewatchError('feed_too_large', `${what} exceeds ${formatBytes(maxBytes)} cap: ${redactUrl(url)}`, {
    details: { maxBytes },
  });
}

/** Passes bytes through, failing the pipeline (which aborts the transfer) past `maxBytes`. */
function byteCap(maxBytes: number, onOver: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(onOver());
      else callback(null, chunk);
    },
  });
}

function collect(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
}

/**
 * "deflate" should be zlib-wrapped (RFC 9110), but some servers send raw deflate; the first byte
 * tells which (a zlib header's low nibble is 8, the deflate method).
 */
class DeflateDecoder extends Transform {
  private inner: Transform | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.inner === null) {
      if (chunk.length === 0) return callback();
      const inner: Transform = ((chunk[0] ?? 0) & 0x0f) === 0x08 ? createInflate() : createInflateRaw();
      inner.on('data', (data: Buffer) => this.push(data));
      inner.on('error', (error: Error) => this.destroy(error));
      this.inner = inner;
    }
    this.inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (this.inner === null) return callback();
    this.inner.once('end', () => callback());
    this.inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(error);
  }
}

/** Decoders for a Content-Encoding list, in the order to apply them (reverse of encoding order). */
function decodersFor(contentEncoding: string | null, url: URL): Transform[] {
  if (contentEncoding === null) return [];
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  return codings.reverse().map((coding) => {
    if (coding === 'gzip' || coding === 'x-gzip') return createGunzip();
    if (coding === 'deflate') return new DeflateDecoder();
    if (coding === 'br') return createBrotliDecompress();
    throw new WirewatchError('feed_decode_error', `unsupported Content-Encoding "${coding}" from ${redactUrl(url)}`, {
      details: { contentEncoding },
    });
  });
}

/** Records which stage errored first: pipeline then destroys the others with that same error. */
function firstFailure(stages: NodeJS.EventEmitter[]): () => NodeJS.EventEmitter | undefined {
  let first: NodeJS.EventEmitter | undefined;
  for (const stage of stages) stage.once('error', () => (first ??= stage));
  return () => first;
}

/** Drops a body mid-transfer. undici reports that as an 'error' event, which nobody needs to hear. */
function abandon(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

async function readBody(body: Readable, headers: Dispatcher.ResponseData['headers'], maxBytes: number, url: URL) {
  const declared = Number(header(headers, 'content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    abandon(body);
    throw tooLarge(maxBytes, url, `body (Content-Length ${declared})`);
  }
  let decoders: Transform[];
  try {
    decoders = decodersFor(header(headers, 'content-encoding'), url);
  } catch (error) {
    abandon(body);
    throw error;
  }
  if (decoders.length === 0) return readPlainBody(body, maxBytes, url);
  const chunks: Buffer[] = [];
  const stages = [
    body,
    byteCap(maxBytes, () => tooLarge(maxBytes, url, 'body')),
    ...decoders,
    byteCap(maxBytes, () => tooLarge(maxBytes, url, 'decompressed body')),
    collect(chunks),
  ];
  const failed = firstFailure(stages);
  try {
    await pipeline(stages);
  } catch (error) {
    if (decoders.some((decoder) => decoder === failed())) {
      throw new WirewatchError('feed_decode_error', `could not decompress the body of ${redactUrl(url)}`, { cause: error });
    }
    throw error;
  }
  return Buffer.concat(chunks);
}

/**
 * An uncompressed body, read straight from the stream. A stream pipeline would do the same, but
 * each one makes an AbortController and aborts it when done, building a DOMException with a stack
 * every time: on a 25 KB feed that cost more than the reading. Leaving the loop early (too large,
 * or an error) destroys the body.
 */
async function readPlainBody(body: Readable, maxBytes: number, url: URL): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxBytes) throw tooLarge(maxBytes, url, 'body');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

/** Drains a body we do not need so the connection can be reused; failures do not matter. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.dump({ limit: 64 * 1024 }).catch(() => {});
}

// ---------------------------------------------------------------------------------------------
// Errors

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const PROGRAMMING_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE']);

/**
 * What a request watches to be aborted: an EventEmitter that emits 'abort', which undici takes in
 * place of an AbortSignal, with the `aborted` and `reason` it reads. An AbortController cost about
 * 4 µs a fetch to make and watch (a 304 is ~200 µs all told); this, about 0.15 µs.
 */
class RequestAbort extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

interface Deadline {
  /** Aborted when the deadline passes or the caller cancels. */
  signal: RequestAbort;
  timeoutMs: number;
  /** Whether it was the deadline that passed. */
  passed(): boolean;
  /** The fetch settled: the timer and the watch on the caller's signal go. */
  stop(): void;
}

/**
 * The fetches in flight for each caller signal (the poll's shutdown signal): one listener on that
 * signal aborts them all. A listener per fetch would put dozens on it at once, and Node warns of
 * a leak past ten.
 */
type InFlight = WeakMap<AbortSignal, Set<RequestAbort>>;

function followCaller(inFlight: InFlight, callerSignal: AbortSignal, abort: RequestAbort): () => void {
  const following = inFlight.get(callerSignal) ?? watchCaller(inFlight, callerSignal);
  following.add(abort);
  return () => following.delete(abort);
}

/** The one listener on a caller's signal: it aborts every fetch following it. */
function watchCaller(inFlight: InFlight, callerSignal: AbortSignal): Set<RequestAbort> {
  const following = new Set<RequestAbort>();
  inFlight.set(callerSignal, following);
  callerSignal.addEventListener('abort', () => {
    for (const each of following) each.abort(callerSignal.reason);
  }, { once: true });
  return following;
}

/**
 * One deadline for the whole fetch, merged with the caller's signal. A timer and a RequestAbort,
 * not AbortSignal.timeout + AbortSignal.any: those cost ~29 µs a fetch, and keep their timer, and
 * a registration on the caller's long-lived shutdown signal, until the timeout's length has
 * passed, long after the fetch is done.
 */
function startDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined, inFlight: InFlight): Deadline {
  const abort = new RequestAbort();
  let passed = false;
  const timer = setTimeout(() => {
    passed = true;
    abort.abort(new DOMException(`no complete response within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  // Like AbortSignal.timeout's: a pending deadline does not keep the process alive.
  timer.unref();
  const unfollow = callerSignal ? followCaller(inFlight, callerSignal, abort) : () => false;
  return {
    signal: abort,
    timeoutMs,
    passed: () => passed,
    stop: () => {
      clearTimeout(timer);
      unfollow();
    },
  };
}

/** Turns whatever a hop threw into a coded error; classified by code and class, never message text. */
function classifyFailure(error: unknown, url: URL, deadline: Deadline, callerSignal?: AbortSignal): unknown {
  if (error instanceof WirewatchError) return error;
  const where = redactUrl(url);
  if (deadline.passed()) {
    const seconds = deadline.timeoutMs / 1000;
    return new WirewatchError('feed_timeout', `no complete response from ${where} within ${seconds} s`, {
      cause: error,
      details: { timeoutMs: deadline.timeoutMs },
    });
  }
  // The caller cancelled: hand back its own reason, this is not a feed failure.
  if (callerSignal?.aborted) return callerSignal.reason;
  // undici's parser error carries no usable code (its HPE_ code is often unset): classified by class.
  if (error instanceof undiciErrors.HTTPParserError) {
    return new WirewatchError('feed_network', `network error fetching ${where}: the response is not valid HTTP`, {
      cause: error,
      details: { code: 'HPE' },
    });
  }
  const code = errorCode(error);
  if (code !== undefined && DNS_CODES.has(code)) {
    return new WirewatchError('feed_dns', `could not resolve ${url.hostname} (${code})`, { cause: error, details: { code } });
  }
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new WirewatchError('feed_timeout', `timed out talking to ${where} (${code})`, { cause: error, details: { code } });
  }
  if (code === undefined || PROGRAMMING_CODES.has(code)) {
    return new WirewatchError('internal', `unexpected failure fetching ${where}`, { cause: error });
  }
  return new WirewatchError('feed_network', `network error fetching ${where} (${code})`, { cause: error, details: { code } });
}

function statusError(status: number, headers: Dispatcher.ResponseData['headers'], url: URL, clock: Clock) {
  const retryAfterMs = parseRetryAfter(header(headers, 'retry-after'), clock.now());
  return new WirewatchError('feed_http_status', `HTTP ${status} from ${redactUrl(url)}`, {
    details: { status, retryAfterMs },
  });
}

// ---------------------------------------------------------------------------------------------
// Redirects

/** The next hop's URL, or a coded error when the redirect must not be followed. */
function nextHop(location: string, from: URL, seen: Set<string>, redirects: number, maxRedirects: number): URL {
  let target: URL;
  try {
    // Credentials in a Location are never used (nor are the feed's sent to another origin).
    target = withoutCredentials(new URL(location, from));
  } catch (error) {
    throw new WirewatchError('feed_bad_url', `${redactUrl(from)} redirects to an invalid URL`, { cause: error });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new WirewatchError('feed_bad_url', `${redactUrl(from)} redirects to a ${target.protocol} URL; only http and https are followed`);
  }
  if (seen.has(target.href)) {
    throw new WirewatchError('feed_redirect_loop', `redirect loop: ${redactUrl(from)} leads back to ${redactUrl(target)}`, {
      details: { redirects },
    });
  }
  if (redirects + 1 > maxRedirects) {
    throw new WirewatchError('feed_too_many_redirects', `more than ${maxRedirects} redirects (stopped at ${redactUrl(from)})`, {
      details: { maxRedirects },
    });
  }
  return target;
}

// ---------------------------------------------------------------------------------------------
// The fetcher

interface Context {
  options: FeedFetcherOptions;
  clock: Clock;
  guarded: UndiciAgent;
  direct: UndiciAgent;
  inFlight: InFlight;
}

interface Hop {
  url: URL;
  /** The origin the feed URL's credentials belong to; they go to no other origin. */
  credentials: { origin: string; authorization: string } | null;
}

function requestHeaders(options: FeedFetcherOptions, request: FetchRequest, hop: Hop): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: FEED_ACCEPT,
    'accept-encoding': ACCEPT_ENCODING,
  };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  if (hop.credentials && hop.credentials.origin === hop.url.origin) headers.authorization = hop.credentials.authorization;
  return headers;
}

/** For untrusted feeds, an IP-literal destination is judged before any connection, for a clear error. */
function precheck(ctx: Context, request: FetchRequest, url: URL): void {
  if (request.trusted || ctx.options.allowPrivate) return;
  const host = bareHostname(url);
  if (isIP(host) !== 0) assertPublicAddress(host, host);
}

function firstHop(start: URL): Hop {
  const authorization = basicAuth(start);
  return {
    url: withoutCredentials(start),
    credentials: authorization === null ? null : { origin: start.origin, authorization },
  };
}

/** Follows redirects by hand, so each hop is vetted and counted; `hop` tracks where we are. */
async function fetchHops(ctx: Context, request: FetchRequest, hop: Hop, signal: RequestAbort): Promise<FetchResult> {
  const seen = new Set([hop.url.href]);
  for (let redirects = 0; ; redirects += 1) {
    precheck(ctx, request, hop.url);
    const response = await sendHop(ctx, request, hop, signal);
    const location = header(response.headers, 'location');
    if (!REDIRECT_STATUSES.has(response.statusCode) || location === null) return settle(ctx, hop.url, redirects, response);
    discard(response.body);
    hop.url = nextHop(location, hop.url, seen, redirects, ctx.options.maxRedirects);
    seen.add(hop.url.href);
  }
}

/** The outcome of the last hop: not-modified, a status error, or the body. */
async function settle(ctx: Context, url: URL, redirects: number, response: Dispatcher.ResponseData): Promise<FetchResult> {
  const { statusCode: status, headers, body } = response;
  if (status === 304) {
    discard(body);
    return { kind: 'not-modified', finalUrl: url.href, status: 304 };
  }
  if (status < 200 || status > 299) {
    discard(body);
    throw statusError(status, headers, url, ctx.clock);
  }
  return {
    kind: 'ok',
    finalUrl: url.href,
    status,
    body: await readBody(body, headers, ctx.options.maxBytes, url),
    contentType: header(headers, 'content-type'),
    etag: header(headers, 'etag'),
    lastModified: header(headers, 'last-modified'),
    redirects,
  };
}

function sendHop(ctx: Context, request: FetchRequest, hop: Hop, signal: RequestAbort): Promise<Dispatcher.ResponseData> {
  return httpRequest(hop.url, {
    method: 'GET',
    dispatcher: request.trusted ? ctx.direct : ctx.guarded,
    headers: requestHeaders(ctx.options, request, hop),
    signal,
  });
}

async function fetchWithDeadline(ctx: Context, request: FetchRequest, url: URL): Promise<FetchResult> {
  request.signal?.throwIfAborted();
  // One deadline for the whole fetch, started once a concurrency slot is ours, not while queued.
  const deadline = startDeadline(ctx.options.timeoutMs, request.signal, ctx.inFlight);
  const hop = firstHop(url);
  try {
    return await fetchHops(ctx, request, hop, deadline.signal);
  } catch (error) {
    // Named after the hop that failed, which after redirects is not the feed URL.
    throw classifyFailure(error, hop.url, deadline, request.signal);
  } finally {
    deadline.stop();
  }
}

export function createFeedFetcher(options: FeedFetcherOptions): FeedFetcher {
  const agentOptions = { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
  const guardedConnect = createGuardedConnector({
    resolve: options.resolve ?? systemResolve,
    connectTimeoutMs: options.connectTimeoutMs,
    allowPrivate: options.allowPrivate,
    tcpConnect: options.tcpConnect,
  });
  const ctx: Context = {
    options,
    clock: options.clock ?? systemClock,
    guarded: new Agent({ ...agentOptions, connect: guardedConnect }),
    direct: new Agent({ ...agentOptions, connect: { timeout: options.connectTimeoutMs } }),
    inFlight: new WeakMap(),
  };
  const limited = hostLimits(options.globalConcurrency, options.perHostConcurrency);
  let closed = false;
  return {
    async fetch(request) {
      if (closed) throw new WirewatchError('internal', 'the feed fetcher is closed');
      const url = parseFeedUrl(request.url);
      return limited(url.hostname, () => fetchWithDeadline(ctx, request, url));
    },
    async close() {
      closed = true;
      await Promise.all([ctx.guarded.close(), ctx.direct.close()]);
    },
  };
}
