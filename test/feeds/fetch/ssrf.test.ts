/**
 * The SSRF guard, end to end over real loopback HTTP. DNS is a stub; the socket opener maps the
 * public test address 93.184.216.34 to the loopback server and fails the test for anything else,
 * so a refused destination is proven refused before any connection was attempted.
 */
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedConnector, parseFeedUrl, type ResolveHost } from '../../../src/feeds/fetch/address-guard.js';
import { createFeedFetcher, type FeedFetcher, type FeedFetcherOptions } from '../../../src/feeds/fetch/feed-fetcher.js';
import { failure, testFetcherOptions } from '../../helpers/fetcher.js';
import { startLoopbackServer, type LoopbackServer } from '../../helpers/loopback-server.js';

const PUBLIC_IP = '93.184.216.34';
const SECOND_PUBLIC_IP = '93.184.216.35';

const DNS: Record<string, string[]> = {
  'news.example': [PUBLIC_IP],
  'intranet.example': ['10.0.0.5'],
  'mixed.example': [PUBLIC_IP, '127.0.0.1'],
  'dual.example': [SECOND_PUBLIC_IP, PUBLIC_IP],
  localhost: ['127.0.0.1', '::1'],
};

let server: LoopbackServer;
let closedPort: number;
/** Destinations the socket opener was asked for that it must never see. */
const unexpectedConnects: string[] = [];
const resolved: string[] = [];

const resolve: ResolveHost = async (hostname) => {
  resolved.push(hostname);
  const answer = DNS[hostname];
  if (answer === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return answer;
};

const realConnect = buildConnector({ timeout: 2000 });
const tcpConnect: buildConnector.connector = (options, callback) => {
  if (options.hostname === PUBLIC_IP) return realConnect({ ...options, hostname: '127.0.0.1' }, callback);
  // A second public address whose "server" refuses, to exercise trying the next answer.
  if (options.hostname === SECOND_PUBLIC_IP) {
    return realConnect({ ...options, hostname: '127.0.0.1', port: String(closedPort) }, callback);
  }
  unexpectedConnects.push(`${options.hostname}:${options.port}`);
  throw new Error(`test failure: the guard let a connection to ${options.hostname} through`);
};

function fetcherOptions(overrides: Partial<FeedFetcherOptions> = {}): FeedFetcherOptions {
  return testFetcherOptions({
    maxBytes: 1024 * 1024,
    resolve,
    tcpConnect,
    ...overrides,
  });
}

let fetcher: FeedFetcher;

beforeAll(async () => {
  server = await startLoopbackServer();
  const closed = await startLoopbackServer();
  closedPort = closed.port;
  await closed.close();
  server.route('/feed', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss/>');
  });
  fetcher = createFeedFetcher(fetcherOptions());
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

afterEach(() => {
  server.requests.length = 0;
  resolved.length = 0;
  // Cleared before asserting so one leak fails one test, not every test after it.
  expect(unexpectedConnects.splice(0)).toEqual([]);
});

const untrusted = (url: string) => ({ url, trusted: false });

describe('guarded fetches (untrusted, allowPrivate off)', () => {
  it('reaches a public host through the verified address, keeping the name in Host', async () => {
    const result = await fetcher.fetch(untrusted(`http://news.example:${server.port}/feed`));
    expect(result.kind).toBe('ok');
    expect(server.requests[0]?.headers.host).toBe(`news.example:${server.port}`);
    expect(resolved).toEqual(['news.example']);
  });

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data', 'metadata'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://2130706433/', 'loopback'], // 127.0.0.1 as one decimal number
    ['http://0x7f.1/', 'loopback'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[fd00:ec2::254]/', 'metadata'],
  ])('refuses the IP literal %s (%s) without connecting', async (url, addressClass) => {
    const error = await failure(fetcher.fetch(untrusted(url)));
    expect(error.code).toBe('feed_blocked_address');
    expect(error.details?.['addressClass']).toBe(addressClass);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a host that resolves to a private address', async () => {
    const error = await failure(fetcher.fetch(untrusted(`http://intranet.example:${server.port}/feed`)));
    expect(error.code).toBe('feed_blocked_address');
    expect(error.message).toBe('refused: intranet.example resolves to 10.0.0.5, a private address');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a host whose answers mix public and loopback addresses', async () => {
    const error = await failure(fetcher.fetch(untrusted(`http://mixed.example:${server.port}/feed`)));
    expect(error.code).toBe('feed_blocked_address');
    expect(error.details).toMatchObject({ hostname: 'mixed.example', address: '127.0.0.1', addressClass: 'loopback' });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses localhost by name', async () => {
    const error = await failure(fetcher.fetch(untrusted(`http://localhost:${server.port}/feed`)));
    expect(error.code).toBe('feed_blocked_address');
  });

  it('refuses a redirect from a public host to a loopback IP at the redirect', async () => {
    server.route('/to-loopback', (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${server.port}/feed` }).end();
    });
    const error = await failure(fetcher.fetch(untrusted(`http://news.example:${server.port}/to-loopback`)));
    expect(error.code).toBe('feed_blocked_address');
    expect(error.details?.['address']).toBe('127.0.0.1');
    expect(server.requests.map((request) => request.path)).toEqual(['/to-loopback']);
  });

  it('refuses a redirect to a host that resolves to a private address', async () => {
    server.route('/to-intranet', (_req, res) => {
      res.writeHead(301, { location: `http://intranet.example:${server.port}/feed` }).end();
    });
    const error = await failure(fetcher.fetch(untrusted(`http://news.example:${server.port}/to-intranet`)));
    expect(error.code).toBe('feed_blocked_address');
    expect(error.message).toContain('intranet.example resolves to 10.0.0.5');
    expect(server.requests.map((request) => request.path)).toEqual(['/to-intranet']);
    // news.example may ride a kept-alive connection from an earlier test; the new origin is vetted.
    expect(resolved).toContain('intranet.example');
  });

  it('fails an unresolvable name with feed_dns', async () => {
    const error = await failure(fetcher.fetch(untrusted('http://nowhere.example/feed')));
    expect(error.code).toBe('feed_dns');
    expect(error.message).toContain('nowhere.example');
  });

  it.each(['ftp://news.example/feed.xml', 'file:///etc/passwd'])('refuses %s as feed_bad_url', async (url) => {
    const error = await failure(fetcher.fetch(untrusted(url)));
    expect(error.code).toBe('feed_bad_url');
    expect(error.message).toMatch(/^only http and https feeds are supported, got (ftp|file):$/);
  });
});

describe('ways past the guard', () => {
  it('allowPrivate: true lets an untrusted loopback fetch through', async () => {
    const open = createFeedFetcher(fetcherOptions({ allowPrivate: true, tcpConnect: undefined }));
    try {
      const result = await open.fetch(untrusted(server.url('/feed')));
      expect(result.kind).toBe('ok');
    } finally {
      await open.close();
    }
  });

  it('trusted: true lets a loopback fetch through (the guarded fetcher is the same)', async () => {
    const result = await fetcher.fetch({ url: server.url('/feed'), trusted: true });
    expect(result.kind).toBe('ok');
    expect(server.requests).toHaveLength(1);
  });
});

describe('createGuardedConnector', () => {
  function connectWith(connector: buildConnector.connector, hostname: string): Promise<Socket> {
    return new Promise((resolvePromise, reject) => {
      connector({ hostname, host: `${hostname}:${server.port}`, protocol: 'http:', port: String(server.port) }, (error, socket) => {
        if (error !== null) reject(error);
        else resolvePromise(socket);
      });
    });
  }

  it('dials the verified IP and keeps the name as servername', async () => {
    const seen: buildConnector.Options[] = [];
    const connector = createGuardedConnector({
      resolve,
      connectTimeoutMs: 2000,
      allowPrivate: false,
      tcpConnect: (options, callback) => {
        seen.push(options);
        tcpConnect(options, callback);
      },
    });
    const socket = await connectWith(connector, 'news.example');
    socket.destroy();
    expect(seen).toMatchObject([{ hostname: PUBLIC_IP, servername: 'news.example' }]);
  });

  it('tries the next verified address when the first one refuses', async () => {
    const dialled: string[] = [];
    const connector = createGuardedConnector({
      resolve,
      connectTimeoutMs: 2000,
      allowPrivate: false,
      tcpConnect: (options, callback) => {
        dialled.push(options.hostname);
        tcpConnect(options, callback);
      },
    });
    const socket = await connectWith(connector, 'dual.example');
    socket.destroy();
    expect(dialled).toEqual([SECOND_PUBLIC_IP, PUBLIC_IP]);
  });

  it('refuses an IP literal without calling the socket opener', async () => {
    const connector = createGuardedConnector({ resolve, connectTimeoutMs: 2000, allowPrivate: false, tcpConnect });
    const error = await failure(connectWith(connector, '10.1.2.3'));
    expect(error.message).toBe('refused: 10.1.2.3 is a private address');
  });

  it('allowPrivate still resolves names but skips the verdict', async () => {
    const dialled: string[] = [];
    const connector = createGuardedConnector({
      resolve,
      connectTimeoutMs: 2000,
      allowPrivate: true,
      tcpConnect: (options, callback) => {
        dialled.push(options.hostname);
        callback(new Error('not dialling in this test'), null);
      },
    });
    await expect(connectWith(connector, 'intranet.example')).rejects.toThrow('not dialling');
    expect(dialled).toEqual(['10.0.0.5']);
    expect(resolved).toEqual(['intranet.example']);
  });
});

describe('parseFeedUrl', () => {
  it('accepts http and https, and URLs with credentials', () => {
    expect(parseFeedUrl(' https://example.org/feed.xml ').href).toBe('https://example.org/feed.xml');
    expect(parseFeedUrl('http://user:secret@example.org/feed').username).toBe('user');
  });

  it.each([
    ['', 'feed URL is empty'],
    ['example.org/feed', 'feed URL is not a valid absolute URL (e.g. https://example.com/feed.xml)'],
    ['ftp://example.org/feed', 'only http and https feeds are supported, got ftp:'],
    ['javascript:alert(1)', 'only http and https feeds are supported, got javascript:'],
  ])('rejects %j', (raw, message) => {
    expect(() => parseFeedUrl(raw)).toThrow(message);
  });
});
