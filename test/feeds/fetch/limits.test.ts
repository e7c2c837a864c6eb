/**
 * The fetcher's limits over real loopback HTTP: body size (declared, streamed, decompressed), the
 * total deadline, and redirects (followed, looping, too many).
 */
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFeedFetcher, type FeedFetcher, type FeedFetcherOptions } from '../../../src/feeds/fetch/feed-fetcher.js';
import { failure, testFetcherOptions } from '../../helpers/fetcher.js';
import { startLoopbackServer, type LoopbackServer } from '../../helpers/loopback-server.js';

const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 300;

function fetcherOptions(overrides: Partial<FeedFetcherOptions> = {}): FeedFetcherOptions {
  return testFetcherOptions({
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_BYTES,
    ...overrides,
  });
}

let server: LoopbackServer;
let fetcher: FeedFetcher;

beforeAll(async () => {
  server = await startLoopbackServer();
  fetcher = createFeedFetcher(fetcherOptions());
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

afterEach(() => {
  server.requests.length = 0;
});

const trusted = (url: string) => ({ url, trusted: true });

describe('size cap', () => {
  it('rejects a declared Content-Length over the cap before reading', async () => {
    let written = 0;
    server.route('/declared', (_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * MAX_BYTES) });
      // Send only a little: the fetcher must give up on the header alone.
      res.write(Buffer.alloc(1024, 'a'));
      written = 1024;
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/declared'))));
    expect(error.code).toBe('feed_too_large');
    expect(error.message).toContain('exceeds 64 KB cap');
    expect(written).toBe(1024);
  });

  it('aborts a chunked body without Content-Length once it passes the cap', async () => {
    let aborted = false;
    server.route('/chunked', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(16 * 1024, 'b');
      const timer = setInterval(() => res.write(chunk), 5);
      req.socket.on('close', () => {
        aborted = true;
        clearInterval(timer);
      });
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/chunked'))));
    expect(error.code).toBe('feed_too_large');
    expect(error.details?.['maxBytes']).toBe(MAX_BYTES);
    await expect.poll(() => aborted).toBe(true);
  });

  it('stops a gzip bomb: small on the wire, huge once inflated', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024)); // 50 MB of zeros, ~50 KB compressed
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    server.route('/bomb', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb);
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/bomb'))));
    expect(error.code).toBe('feed_too_large');
    expect(error.message).toContain('decompressed body exceeds 64 KB cap');
  });

  it('accepts a body exactly at the cap', async () => {
    server.route('/exact', (_req, res) => {
      res.writeHead(200).end(Buffer.alloc(MAX_BYTES, 'c'));
    });
    const result = await fetcher.fetch(trusted(server.url('/exact')));
    expect(result.kind === 'ok' && result.body.length).toBe(MAX_BYTES);
  });

  it('formats the default 5 MB cap in the message', async () => {
    const big = createFeedFetcher(fetcherOptions({ maxBytes: 5 * 1024 * 1024 }));
    server.route('/huge', (_req, res) => {
      res.writeHead(200, { 'content-length': String(6 * 1024 * 1024) }).end();
    });
    try {
      const error = await failure(big.fetch(trusted(server.url('/huge'))));
      expect(error.message).toContain('exceeds 5 MB cap');
    } finally {
      await big.close();
    }
  });
});

describe('total deadline', () => {
  it('a server that never answers fails with feed_timeout, promptly', async () => {
    server.route('/stall', () => {
      // Never respond.
    });
    const started = performance.now();
    const error = await failure(fetcher.fetch(trusted(server.url('/stall'))));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('feed_timeout');
    expect(error.message).toContain('within 0.3 s');
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(2000);
  });

  it('the deadline also covers a body that trickles and stops', async () => {
    server.route('/trickle', (_req, res) => {
      res.writeHead(200);
      res.write('<rss>');
    });
    const started = performance.now();
    const error = await failure(fetcher.fetch(trusted(server.url('/trickle'))));
    expect(error.code).toBe('feed_timeout');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('total deadline, with a body that never stops', () => {
  it('aborts a body that keeps arriving a byte at a time, which no idle timeout stops', async () => {
    server.route('/drip', (_req, res) => {
      res.writeHead(200);
      res.write('<rss>');
      const drip = setInterval(() => res.write(' '), 30);
      res.on('close', () => clearInterval(drip));
    });
    const started = performance.now();
    const error = await failure(fetcher.fetch(trusted(server.url('/drip'))));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('feed_timeout');
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('redirects', () => {
  it('follows a relative Location and reports the final URL and hop count', async () => {
    server.route('/old', (_req, res) => {
      res.writeHead(301, { location: '/new' }).end();
    });
    server.route('/new', (_req, res) => {
      res.writeHead(200).end('<rss/>');
    });
    const result = await fetcher.fetch(trusted(server.url('/old')));
    expect(result).toMatchObject({ kind: 'ok', finalUrl: server.url('/new'), redirects: 1 });
  });

  it('a → b → a is feed_redirect_loop', async () => {
    server.route('/a', (_req, res) => {
      res.writeHead(302, { location: server.url('/b') }).end();
    });
    server.route('/b', (_req, res) => {
      res.writeHead(302, { location: '/a' }).end();
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/a'))));
    expect(error.code).toBe('feed_redirect_loop');
    expect(server.requests.map((request) => request.path)).toEqual(['/a', '/b']);
  });

  it('a chain of 7 redirects is feed_too_many_redirects after 5 were followed', async () => {
    for (let i = 1; i <= 7; i += 1) {
      server.route(`/hop${i}`, (_req, res) => {
        res.writeHead(307, { location: `/hop${i + 1}` }).end();
      });
    }
    server.route('/hop8', (_req, res) => {
      res.writeHead(200).end('<rss/>');
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/hop1'))));
    expect(error.code).toBe('feed_too_many_redirects');
    expect(server.requests).toHaveLength(6);
  });

  it('a redirect to a non-http scheme is feed_bad_url', async () => {
    server.route('/to-ftp', (_req, res) => {
      res.writeHead(302, { location: 'ftp://example.org/feed' }).end();
    });
    const error = await failure(fetcher.fetch(trusted(server.url('/to-ftp'))));
    expect(error.code).toBe('feed_bad_url');
  });
});
