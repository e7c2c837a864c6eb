/**
 * Hostile feeds through the whole poll pipeline: served by a loopback HTTP server, fetched by the
 * real fetcher, printed by the console sink into a captured stream, logged by a real pino logger.
 * One bad item costs that item; what reaches the terminal carries no control sequences.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/index.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, consoleSubscription } from '../../src/app/runtime.js';
import { buildTargets, runPollCycle, type CycleReport } from '../../src/pipeline/poll-cycle.js';
import { MAX_ITEMS } from '../../src/feeds/parse.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';

const packageRoot = resolve(import.meta.dirname, '../..');
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Any C0 control but tab and newline, DEL, any C1 control, bidi embeddings/overrides/isolates. */
const CONTROL_OR_BIDI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let server: LoopbackServer;
let dir: string;
beforeEach(async () => {
  server = await startLoopbackServer();
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-hostile-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function goodItems(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `<item><guid>good-${i}</guid><title>Suspect ${i} extradited</title><link>https://outlet.example/${i}</link><description>Story ${i}.</description></item>`,
  ).join('\n');
}

function serve(path: string, body: string, contentType = 'application/rss+xml; charset=utf-8'): void {
  server.route(path, (_req, res) => {
    res.writeHead(200, { 'content-type': contentType }).end(body);
  });
}

function rssDocument(items: string, title = 'Outlet'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${title}</title><link>https://outlet.example/</link>\n${items}\n</channel></rss>`;
}

function configFor(path: string): Readonly<Config> {
  const file = join(dir, 'config.yaml');
  writeFileSync(file, `feeds:\n  - id: hostile\n    url: ${server.url(path)}\nwatchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited]\n`);
  return loadConfig({ env: { STORE_URL: 'memory://' }, packageRoot, configFile: file });
}

/** One dry-run cycle (every current matching item is printed) with text output and JSON logs captured. */
async function pollOnce(path: string, format: 'text' | 'json' = 'text'): Promise<{ report: CycleReport; printed: string; logs: Record<string, unknown>[] }> {
  const config = configFor(path);
  const stdout = new PassThrough();
  let printed = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  const logStream = new PassThrough();
  let logged = '';
  logStream.setEncoding('utf8').on('data', (chunk: string) => (logged += chunk));
  const logger = createLogger({ level: 'info', destination: logStream });
  const runtime = await openRuntime(config, { logger, stdout, outputFormat: format });
  try {
    const report = await runPollCycle(buildTargets(config.feeds, [consoleSubscription(config)]), runtime.pollContext, { dryRun: true, ignoreBackoff: true });
    const logs = logged.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { report, printed, logs };
  } finally {
    await runtime.close();
  }
}

describe('a feed of ten good items and one hostile one', () => {
  it.each([
    ['5,000 nested tags, escaped, in a description', `<description>${escape('<b>'.repeat(5_000) + 'deep' + '</b>'.repeat(5_000))}</description>`],
    ['5,000 nested elements in a description', `<description>${'<b>'.repeat(5_000)}deep${'</b>'.repeat(5_000)}</description>`],
    ['5,000 nested elements in a category', `<category>${'<x>'.repeat(5_000)}deep${'</x>'.repeat(5_000)}</category>`],
  ])('%s: all eleven are polled and the ten good ones alert', async (_name, hostileField) => {
    serve('/feed.xml', rssDocument(`${goodItems(10)}\n<item><guid>bad</guid><title>Hostile extradited</title>${hostileField}</item>`));
    const { report, printed } = await pollOnce('/feed.xml');
    expect(report.feeds[0]).toMatchObject({ status: 'polled', stories: 11, error: null });
    for (let i = 0; i < 10; i++) expect(printed).toContain(`■ Suspect ${i} extradited`);
    expect(printed).toContain('■ Hostile extradited');
  });
});

describe('terminal escapes hidden in character references', () => {
  const item = [
    '<item><guid>esc</guid>',
    '<title>Suspect &#27;[2J&#x1b;]0;pwned&#7; extradited &#x202e;txt.exe</title>',
    '<description>He was extradited &amp;#27;[31m today &#x9d;8;;https://evil.example&#x9c;.</description>',
    '<link>https://outlet.example/&#x9b;2J</link>',
    '<source url="https://s.example/">Wire &#x1b;[5m</source>',
    '</item>',
  ].join('');

  it.each(['text', 'json'] as const)('never reach the %s output', async (format) => {
    serve('/feed.xml', rssDocument(item, 'Outlet &#x1b;[2J'));
    const { report, printed } = await pollOnce('/feed.xml', format);
    expect(report.feeds[0]).toMatchObject({ stories: 1, alerts: 1 });
    expect(printed).toContain('extradited');
    expect(printed).not.toMatch(CONTROL_OR_BIDI);
  });
});

describe('a body that is not text', () => {
  const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256))]);
  const NOISE = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 197 + (i >> 3)) % 256));

  it.each([
    ['a PNG served as image/png', PNG, 'image/png'],
    ['a PNG served as text/xml', PNG, 'text/xml'],
    ['bytes with a < served as a feed', Buffer.concat([NOISE.subarray(0, 100), Buffer.from('<'), NOISE]), 'application/rss+xml'],
    ['noise served with no type', NOISE, ''],
  ])('%s is logged as feed_not_a_feed with a printable, bounded reason', async (_name, body, contentType) => {
    server.route('/feed.xml', (_req, res) => {
      res.writeHead(200, contentType ? { 'content-type': contentType } : {}).end(body);
    });
    const { report, logs } = await pollOnce('/feed.xml');
    expect(report.feeds[0]).toMatchObject({ status: 'failed', error: { code: 'feed_not_a_feed' } });
    const warning = logs.find((line) => line['msg'] === 'feed poll failed');
    expect(warning).toMatchObject({ level: 'warn', feed_id: 'hostile', code: 'feed_not_a_feed' });
    expect(warning?.['reason']).toMatch(/^[\x20-\x7e]{1,200}$/);
  });
});

describe('a feed longer than the item cap', () => {
  it(`is cut at ${MAX_ITEMS} items, and the cut is logged with the count dropped`, async () => {
    const items = Array.from({ length: MAX_ITEMS + 7 }, (_, i) => `<item><guid>i${i}</guid><title>Item ${i}</title></item>`).join('');
    serve('/feed.xml', rssDocument(items));
    const { report, logs } = await pollOnce('/feed.xml');
    expect(report.feeds[0]).toMatchObject({ stories: MAX_ITEMS, error: null });
    const warning = logs.find((line) => line['level'] === 'warn');
    expect(warning).toMatchObject({ feed_id: 'hostile', dropped_items: 7, kept_items: MAX_ITEMS });
  });
});
