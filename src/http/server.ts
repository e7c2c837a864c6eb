/**
 * The service's one HTTP server (HTTP_PORT): chat platforms' webhooks (Discord interactions,
 * later Slack events) and, later, health and metrics. Routes receive the raw body, because
 * signature checks are computed over the exact bytes sent. Start and stop are explicit so `run`
 * can shut it down with the scheduler.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { asWirewatchError, WirewatchError } from '../errors.js';

export interface HttpRequest {
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received. */
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(request: HttpRequest): Promise<HttpResponse>;
}

export interface HttpServerOptions {
  port: number;
  host: string;
  routes: readonly HttpRoute[];
  logger: Logger;
  /** Larger bodies get 413 without being read further. */
  maxBodyBytes?: number;
}

export interface RunningHttpServer {
  /** The port actually bound (HTTP_PORT=0 picks a free one). */
  port: number;
  stop(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;

/** The body, or null once it passes `limit` (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger } = options;
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const onPath = options.routes.filter((route) => route.path === path);
    const route = onPath.find((r) => r.method === req.method);
    const send = (response: HttpResponse) => {
      res.writeHead(response.status, { 'content-type': 'text/plain; charset=utf-8', ...response.headers }).end(response.body ?? '');
    };
    if (!route) {
      send(onPath.length > 0 ? { status: 405, headers: { allow: onPath.map((r) => r.method).join(', ') }, body: 'method not allowed' } : { status: 404, body: 'not found' });
      return;
    }
    readBody(req, limit)
      .then(async (body) => {
        if (body === null) {
          // Answer, then drop the connection: the rest of the body is not read.
          res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('request body too large', () => req.destroy());
          return;
        }
        return send(await route.handle({ method: req.method ?? 'GET', path, headers: headersOf(req), body }));
      })
      .catch((error: unknown) => {
        const coded = asWirewatchError(error);
        logger.error({ code: coded.code, err: coded, path }, 'HTTP request failed');
        if (!res.headersSent) send({ status: 500, body: `internal error (${coded.code})` });
        else res.destroy();
      });
  });
  // A client that sends its request slowly holds a connection for this long at most.
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(
        new WirewatchError('http_unavailable', `cannot listen on ${options.host}:${options.port} (${error.code ?? error.message}); set HTTP_PORT to a free port`, {
          cause: error,
        }),
      );
    server.once('error', fail);
    server.listen(options.port, options.host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, host: options.host, routes: options.routes.map((r) => `${r.method} ${r.path}`) }, 'HTTP server listening');
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
