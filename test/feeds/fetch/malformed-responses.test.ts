/**
 * Servers that do not speak HTTP properly: a raw TCP server on 127.0.0.1 writes each response
 * byte for byte. Every such failure is a network error of the feed, never an internal one.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedFetcher, type FeedFetcher } from '../../../src/feeds/fetch/feed-fetcher.js';
import { failure, testFetcherOptions } from '../../helpers/fetcher.js';

let fetcher: FeedFetcher;
beforeAll(() => {
  fetcher = createFeedFetcher(testFetcherOptions());
});
afterAll(async () => {
  await fetcher.close();
});

/** A server that answers the first bytes of any request with `raw`, then closes. */
async function rawServer(raw: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/feed.xml`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('malformed HTTP responses', () => {
  it.each([
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nBad Header\r\n\r\n'],
    ['a status line without a number', 'HTTP/1.1 abc OK\r\n\r\n'],
    ['another protocol', 'SSH-2.0-OpenSSH_9.6\r\n\r\n'],
    ['no status line at all (HTTP/0.9)', '<rss version="2.0"></rss>'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
    ['a NUL in a header value', 'HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 2\r\n\r\nok'],
    ['a body shorter than its Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort'],
    ['two different Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd'],
    ['a header block over the size limit', `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`],
  ])('%s → feed_network', async (_name, raw) => {
    const server = await rawServer(raw);
    try {
      const error = await failure(fetcher.fetch({ url: server.url, trusted: true }));
      expect(error.code).toBe('feed_network');
      expect(error.message).toContain(server.url);
    } finally {
      await server.close();
    }
  });
});
