/** The service's HTTP server over real loopback HTTP: routing answers and the body limit. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';

let server: RunningHttpServer;
beforeAll(async () => {
  server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger(),
    maxBodyBytes: 1024,
    routes: [{ method: 'POST', path: '/echo', handle: async (req) => ({ status: 200, body: `${req.body.length} bytes` }) }],
  });
});
afterAll(() => server.stop());

function send(method: string, path: string, body: Buffer, declareLength = true): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: declareLength ? { 'content-length': body.length } : { 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP server', () => {
  it.each([
    ['POST', '/echo', 200, '5 bytes'],
    ['GET', '/echo', 405, 'method not allowed'],
    ['POST', '/nowhere', 404, 'not found'],
  ])('%s %s → %i', async (method, path, status, text) => {
    expect(await send(method, path, Buffer.from('hello'))).toEqual({ status, text });
  });

  it.each([
    ['declared by content-length', true],
    ['streamed without a length', false],
  ])('answers 413 to a body over the limit, %s', async (_name, declared) => {
    expect(await send('POST', '/echo', Buffer.alloc(64 * 1024, 'x'), declared)).toEqual({ status: 413, text: 'request body too large' });
  });
});
