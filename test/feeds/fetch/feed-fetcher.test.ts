/**
 * The fetcher's HTTP behaviour over real loopback HTTP: caching headers, conditional GETs, status
 * errors with Retry-After, content codings, request headers, network errors, credentials and
 * concurrency. Operator (trusted) feeds are used so the loopback server is reachable.
 */
import { getEventListeners } from 'node:events';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/clock.js';
import {
  FEED_ACCEPT,
  createFeedFetcher,
  parseRetryAfter,
  redactUrl,
  type FeedFetcher,
  type FeedFetcherOptions,
} from '../../../src/feeds/fetch/feed-fetcher.js';
import { failure, testFetcherOptions } from '../../helpers/fetcher.js';
import { startLoopbackServer, type LoopbackServer } from '../../helpers/loopback-server.js';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title></channel></rss>';
const USER_AGENT = 'wirewatch-test/1.0 (+https://example.org/bot)';
const START = Date.UTC(2025, 0, 15, 12, 0, 0);

function fetcherOptions(overrides: Partial<FeedFetcherOptions> = {}): FeedFetcherOptions {
  return testFetcherOptions({
    userAgent: USER_AGENT,
    ...overrides,
  });
}

const text = (body: Uint8Array) => Buffer.from(body).toString('utf8');

let server: LoopbackServer;
let fetcher: FeedFetcher;
const clock = manualClock(START);

beforeAll(async () => {
  server = await startLoopbackServer();
  fetcher = createFeedFetcher(fetcherOptions({ clock }));
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

afterEach(() => {
  server.requests.length = 0;
  clock.set(START);
});

const trusted = (url: string) => ({ url, trusted: true });

describe('200 and conditional GET', () => {
  const etag = '"v1-abc"';
  const lastModified = 'Wed, 15 Jan 2025 11:00:00 GMT';

  beforeAll(() => {
    server.route('/cached', (req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'last-modified': lastModified });
      res.end(FEED);
    });
  });

  it('returns the body with its ETag, Last-Modified and content type', async () => {
    const result = await fetcher.fetch(trusted(server.url('/cached')));
    expect(result).toMatchObject({
      kind: 'ok',
      status: 200,
      finalUrl: server.url('/cached'),
      contentType: 'application/rss+xml; charset=utf-8',
      etag,
      lastModified,
      redirects: 0,
    });
    if (result.kind === 'ok') expect(text(result.body)).toBe(FEED);
  });

  it('sends If-None-Match / If-Modified-Since and reports not-modified on 304', async () => {
    const first = await fetcher.fetch(trusted(server.url('/cached')));
    if (first.kind !== 'ok') throw new Error('expected a body first');
    const second = await fetcher.fetch({ ...trusted(server.url('/cached')), etag: first.etag, lastModified: first.lastModified });
    expect(second).toEqual({ kind: 'not-modified', finalUrl: server.url('/cached'), status: 304 });
    expect(server.requests[0]?.headers['if-none-match']).toBeUndefined();
    expect(server.requests[1]?.headers['if-none-match']).toBe(etag);
    expect(server.requests[1]?.headers['if-modified-since']).toBe(lastModified);
  });
});

describe('HTTP status errors', () => {
  it('429 with Retry-After in seconds', async () => {
    server.route('/busy', (_req, res) => {
      res.writeHead(429, { 'retry-after': '120' }).end('slow down');
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/busy'))));
    expect(error.code).toBe('feed_http_status');
    expect(error.details).toEqual({ status: 429, retryAfterMs: 120_000 });
  });

  it('503 with Retry-After as an HTTP-date, measured on the injected clock', async () => {
    server.route('/down', (_req, res) => {
      res.writeHead(503, { 'retry-after': new Date(START + 90_000).toUTCString() }).end();
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/down'))));
    expect(error.details).toEqual({ status: 503, retryAfterMs: 90_000 });
  });

  it('404 without Retry-After', async () => {
    const error = await failure(fetcher.fetch(trusted(server.url('/missing'))));
    expect(error.code).toBe('feed_http_status');
    expect(error.details).toEqual({ status: 404, retryAfterMs: null });
    expect(error.message).toBe(`HTTP 404 from ${server.url('/missing')}`);
  });

  it('parseRetryAfter: seconds, dates in the past, garbage', () => {
    expect(parseRetryAfter('0', START)).toBe(0);
    expect(parseRetryAfter(new Date(START - 5000).toUTCString(), START)).toBe(0);
    expect(parseRetryAfter('soon', START)).toBeNull();
    expect(parseRetryAfter(null, START)).toBeNull();
  });
});

describe('content codings', () => {
  const encoded: Array<[string, (input: Buffer) => Buffer]> = [
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ];

  it.each(encoded)('decodes a %s body', async (coding, encode) => {
    server.route(`/${coding}`, (_req, res) => {
      res.writeHead(200, { 'content-encoding': coding, 'content-type': 'application/rss+xml' }).end(encode(Buffer.from(FEED)));
    });
    const result = await fetcher.fetch(trusted(server.url(`/${coding}`)));
    if (result.kind !== 'ok') throw new Error('expected a body');
    expect(text(result.body)).toBe(FEED);
  });

  it('decodes raw deflate sent as "deflate" (no zlib header)', async () => {
    server.route('/raw-deflate', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateRawSync(Buffer.from(FEED)));
    });
    const result = await fetcher.fetch(trusted(server.url('/raw-deflate')));
    if (result.kind !== 'ok') throw new Error('expected a body');
    expect(text(result.body)).toBe(FEED);
  });

  it('fails a corrupt gzip body with feed_decode_error', async () => {
    server.route('/corrupt', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end('this is not gzip');
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/corrupt'))));
    expect(error.code).toBe('feed_decode_error');
  });

  it('fails an unknown coding with feed_decode_error', async () => {
    server.route('/zstd', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'zstd' }).end('xx');
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/zstd'))));
    expect(error.code).toBe('feed_decode_error');
  });
});

describe('request headers', () => {
  it('sends the configured User-Agent, the feed Accept list and the codings it decodes', async () => {
    server.route('/plain', (_req, res) => {
      res.writeHead(200).end(FEED);
    });
    await fetcher.fetch(trusted(server.url('/plain')));
    const headers = server.requests[0]?.headers;
    expect(headers?.['user-agent']).toBe(USER_AGENT);
    expect(headers?.accept).toBe(FEED_ACCEPT);
    expect(headers?.['accept-encoding']).toBe('gzip, deflate, br');
  });
});

describe('network failures', () => {
  it('connection refused is feed_network, the original error kept as cause', async () => {
    const gone = await startLoopbackServer();
    await gone.close();
    const error = await failure(fetcher.fetch(trusted(gone.url('/feed'))));
    expect(error.code).toBe('feed_network');
    expect(error.details?.['code']).toBe('ECONNREFUSED');
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('a connection reset mid-body is feed_network', async () => {
    server.route('/reset', (req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('<rss>');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/reset'))));
    expect(error.code).toBe('feed_network');
  });

  it('a caller abort rejects with the caller reason, not a feed error', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(fetcher.fetch({ ...trusted(server.url('/plain')), signal: controller.signal })).rejects.toThrow('shutting down');
  });

  it('a caller abort while the server has not answered rejects promptly with the caller reason', async () => {
    server.route('/silent', () => undefined);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(fetcher.fetch({ ...trusted(server.url('/silent')), signal: controller.signal })).rejects.toThrow('shutting down');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('however many fetches share a caller signal, it carries one listener, and aborting it stops them all', async () => {
    const many = createFeedFetcher(testFetcherOptions({ globalConcurrency: 32, perHostConcurrency: 32 }));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      server.route('/silent', () => undefined);
      const controller = new AbortController();
      for (let i = 0; i < 3; i++) await many.fetch({ ...trusted(server.url('/plain')), signal: controller.signal });
      const pending = Array.from({ length: 20 }, () => many.fetch({ ...trusted(server.url('/silent')), signal: controller.signal }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      controller.abort(new Error('shutting down'));
      const outcomes = await Promise.allSettled(pending);
      expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'resolved'))).toEqual(Array(20).fill('shutting down'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await many.close();
    }
  });
});

describe('credentials in the feed URL', () => {
  it('are sent as Basic auth to their origin and never appear in errors', async () => {
    server.route('/private', (req, res) => {
      res.writeHead(req.headers.authorization === `Basic ${Buffer.from('reader:s3cret').toString('base64')}` ? 200 : 401).end(FEED);
    });
    const withCredentials = server.url('/private').replace('http://', 'http://reader:s3cret@');
    const ok = await fetcher.fetch(trusted(withCredentials));
    expect(ok.kind).toBe('ok');
    expect(ok.finalUrl).toBe(server.url('/private'));

    const wrong = withCredentials.replace('s3cret', 'wrong');
    const error = await failure(fetcher.fetch(trusted(wrong)));
    expect(error.details?.['status']).toBe(401);
    expect(error.message).not.toContain('wrong');
    expect(error.message).not.toContain('reader');
  });

  it('are not forwarded to another origin on redirect', async () => {
    const other = await startLoopbackServer();
    try {
      other.route('/feed', (_req, res) => {
        res.writeHead(200).end(FEED);
      });
      server.route('/moved', (_req, res) => {
        res.writeHead(301, { location: other.url('/feed') }).end();
      });
      const result = await fetcher.fetch(trusted(server.url('/moved').replace('http://', 'http://reader:s3cret@')));
      expect(result).toMatchObject({ kind: 'ok', finalUrl: other.url('/feed'), redirects: 1 });
      expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('reader:s3cret').toString('base64')}`);
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('redactUrl hides user and password', () => {
    expect(redactUrl('https://reader:s3cret@example.org/feed?x=1')).toBe('https://[redacted]@example.org/feed?x=1');
    expect(redactUrl('https://example.org/feed')).toBe('https://example.org/feed');
    expect(redactUrl('not a url but user:pw@host')).toBe('not a url but user:pw@host');
    expect(redactUrl('ht tp://user:pw@host/x')).toBe('ht tp://[redacted]@host/x');
  });
});

describe('concurrency', () => {
  it('a host at its per-host limit does not hold up other hosts', async () => {
    // Two names for the loopback server, told apart by the per-host limiter.
    const names: Record<string, string[]> = { 'slow.example': ['127.0.0.1'], 'fast.example': ['127.0.0.1'] };
    const limited = createFeedFetcher(
      fetcherOptions({
        allowPrivate: true,
        perHostConcurrency: 1,
        globalConcurrency: 2,
        resolve: async (host) => names[host] ?? [],
      }),
    );
    const releases: Array<() => void> = [];
    server.route('/slow', (_req, res) => {
      releases.push(() => res.writeHead(200).end(FEED));
    });
    server.route('/fast', (_req, res) => {
      res.writeHead(200).end(FEED);
    });
    try {
      const slow = [1, 2].map(() => limited.fetch({ url: `http://slow.example:${server.port}/slow`, trusted: false }));
      const fast = await limited.fetch({ url: `http://fast.example:${server.port}/fast`, trusted: false });
      expect(fast.kind).toBe('ok');
      // The second slow fetch waits for its host's only slot, so the server has seen just one.
      expect(server.requests.filter((request) => request.path === '/slow')).toHaveLength(1);
      releases.shift()?.();
      await expect.poll(() => releases.length).toBe(1);
      releases.shift()?.();
      expect((await Promise.all(slow)).map((result) => result.kind)).toEqual(['ok', 'ok']);
    } finally {
      await limited.close();
    }
  });
});
