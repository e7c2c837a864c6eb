/**
 * HTTPS through the guard: the connector dials the verified IP, yet TLS must still send the
 * feed's hostname as SNI and verify the certificate against it. A throwaway certificate for
 * news.example is made with the openssl binary; without it these tests skip, saying why.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConnector } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WirewatchError } from '../../../src/errors.js';
import { createFeedFetcher, type FeedFetcherOptions } from '../../../src/feeds/fetch/feed-fetcher.js';

const PUBLIC_IP = '93.184.216.34';

function makeCertificate(hostname: string): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-tls-'));
  try {
    const result = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`,
    ], { stdio: 'ignore' });
    if (result.error || result.status !== 0) return null;
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pair = makeCertificate('news.example');
let server: Server;
let port: number;
const sniSeen: Array<string | undefined> = [];

beforeAll(async () => {
  if (pair === null) return;
  server = createServer({ key: pair.key, cert: pair.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss/>');
  });
  server.on('secureConnection', (socket) => sniSeen.push((socket as { servername?: string }).servername));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  if (pair === null) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function options(dns: Record<string, string[]>): FeedFetcherOptions {
  // Trusts only the throwaway certificate; maps the public test IP to the loopback server.
  const realConnect = buildConnector({ ca: pair?.cert ?? '', timeout: 2000 });
  return {
    userAgent: 'wirewatch-test/1.0',
    timeoutMs: 5000,
    connectTimeoutMs: 2000,
    maxBytes: 1024 * 1024,
    maxRedirects: 5,
    allowPrivate: false,
    globalConcurrency: 4,
    perHostConcurrency: 2,
    resolve: async (host) => dns[host] ?? [],
    tcpConnect: (connectOptions, callback) => {
      if (connectOptions.hostname !== PUBLIC_IP) throw new Error(`test failure: dialled ${connectOptions.hostname}`);
      realConnect({ ...connectOptions, hostname: '127.0.0.1' }, callback);
    },
  };
}

describe.skipIf(pair === null)('HTTPS through the guard (skipped: no openssl binary)', () => {
  it('sends the hostname as SNI and verifies the certificate against it', async () => {
    const fetcher = createFeedFetcher(options({ 'news.example': [PUBLIC_IP] }));
    try {
      const result = await fetcher.fetch({ url: `https://news.example:${port}/feed`, trusted: false });
      expect(result.kind).toBe('ok');
      expect(sniSeen.at(-1)).toBe('news.example');
    } finally {
      await fetcher.close();
    }
  });

  it('fails when the certificate does not name the host, as feed_network', async () => {
    const fetcher = createFeedFetcher(options({ 'other.example': [PUBLIC_IP] }));
    try {
      const error = await fetcher.fetch({ url: `https://other.example:${port}/feed`, trusted: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WirewatchError);
      expect((error as WirewatchError).code).toBe('feed_network');
      expect((error as WirewatchError).details?.['code']).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    } finally {
      await fetcher.close();
    }
  });
});
