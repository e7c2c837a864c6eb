/**
 * The fetcher loads undici's parts by path (src/feeds/fetch/undici.ts): they must be the objects
 * undici's index exports, so that an upgrade which moves them fails here, and a request made
 * through them must reach the server as undici's own `request` sends it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as undici from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as parts from '../../../src/feeds/fetch/undici.js';

describe("undici's parts, loaded by path", () => {
  it('are the objects its index exports', () => {
    expect(parts.Agent).toBe(undici.Agent);
    expect(parts.errors).toBe(undici.errors);
    expect(parts.buildConnector).toBe(undici.buildConnector);
  });

  const seen: Pick<IncomingMessage, 'method' | 'url' | 'headers'>[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`you asked for ${req.url}`);
  });
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('send a request as undici.request does: the same method, path with its query, and headers', async () => {
    const agent = new parts.Agent();
    try {
      const url = new URL('/feed.xml?page=2&q=a%20b', base);
      const ours = await parts.request(url, { dispatcher: agent, method: 'GET', headers: { 'user-agent': 'wirewatch-test' } });
      const theirs = await undici.request(url, { dispatcher: agent, method: 'GET', headers: { 'user-agent': 'wirewatch-test' } });
      expect(ours.statusCode).toBe(200);
      expect(await ours.body.text()).toBe(await theirs.body.text());
      expect(seen.map((request) => [request.method, request.url, request.headers['user-agent']])).toEqual([
        ['GET', '/feed.xml?page=2&q=a%20b', 'wirewatch-test'],
        ['GET', '/feed.xml?page=2&q=a%20b', 'wirewatch-test'],
      ]);
    } finally {
      await agent.close();
    }
  });
});
