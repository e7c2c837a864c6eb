/**
 * What a feed that has nothing new says in the debug log: every line names its feed, as every
 * other line of a feed's poll does, though no per-feed child logger is made on this path.
 * A real fetcher against a loopback server, a real pino logger, a SQLite store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, consoleSubscription } from '../../src/app/runtime.js';
import { buildTargets, runPollCycle } from '../../src/pipeline/poll-cycle.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';

const packageRoot = resolve(import.meta.dirname, '../..');
const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title><item><guid>a</guid><title>Suspect extradited</title></item></channel></rss>';

let server: LoopbackServer;
let dir: string;
beforeEach(async () => {
  server = await startLoopbackServer();
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-debug-log-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it.each([
  ['answers 304', 'not-modified', { etag: '"v1"' }, 'feed unchanged'],
  ['serves the same body again', 'unchanged', {}, 'feed unchanged'],
  ['is failing and waits out its backoff', undefined, { fail: true }, 'feed is backing off; skipped'],
] as const)('a feed that %s logs one debug line with its feed_id', async (_name, result, behaviour, message) => {
  server.route('/feed.xml', (req, res) => {
    if ('fail' in behaviour) return void res.writeHead(500).end();
    if ('etag' in behaviour && req.headers['if-none-match'] === behaviour.etag) return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', ...('etag' in behaviour ? { etag: behaviour.etag } : {}) }).end(FEED);
  });
  const file = join(dir, 'config.yaml');
  writeFileSync(file, `feeds:\n  - id: quiet\n    url: ${server.url('/feed.xml')}\nwatchlists:\n  - id: x\n    name: X\n    terms: [extradited]\n`);
  const config = loadConfig({ env: { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}` }, packageRoot, configFile: file });
  const logStream = new PassThrough();
  let logged = '';
  logStream.setEncoding('utf8').on('data', (chunk: string) => (logged += chunk));
  const runtime = await openRuntime(config, { logger: createLogger({ level: 'debug', destination: logStream }), stdout: new PassThrough().resume(), outputFormat: 'json' });
  try {
    const targets = buildTargets(config.feeds, [consoleSubscription(config)]);
    await runPollCycle(targets, runtime.pollContext, { dryRun: false, ignoreBackoff: false });
    logged = '';
    await runPollCycle(targets, runtime.pollContext, { dryRun: false, ignoreBackoff: false });
  } finally {
    await runtime.close();
  }
  const lines = logged.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  const line = lines.find((entry) => entry['msg'] === message);
  expect(line).toMatchObject({ level: 'debug', feed_id: 'quiet', ...(result ? { result } : {}) });
  // A feed backing off is not asked again.
  expect(server.requests.filter((request) => request.path === '/feed.xml')).toHaveLength('fail' in behaviour ? 1 : 2);
});
