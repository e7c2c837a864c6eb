/**
 * One poll cycle over 1,000 local feeds of 50 items each: the first fetch (download, parse,
 * normalise, record a baseline in SQLite), a cycle where every feed answers 304, then three
 * cycles with news (ten new items per feed: parse, normalise, match, queue in the outbox).
 * The feed server runs in a child process so only the poller's CPU is counted. A bare undici
 * loop of the same conditional requests, in this process, is the baseline for the 304 cycle.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import pLimit from 'p-limit';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/log.js';
import { openRuntime, consoleSubscription } from '../src/app/runtime.js';
import { buildTargets, runPollCycle } from '../src/pipeline/poll-cycle.js';
import { PassThrough } from 'node:stream';

/** The project folder (this file runs compiled, from dist-bench/bench/). */
const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface Measured {
  label: string;
  wallMs: number;
  cpuMs: number;
  feeds: number;
}

export async function startServer(feeds: number, items: number): Promise<{ port: number; bytes: number; stop(): void }> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'feed-server.js'), String(feeds), String(items)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolveLine) => {
    createInterface({ input: child.stdout }).once('line', resolveLine);
  });
  const [port, bytes] = line.split(' ').map(Number);
  return { port: port!, bytes: bytes!, stop: () => child.kill() };
}

async function measure(label: string, feeds: number, run: () => Promise<unknown>): Promise<Measured> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { label, wallMs, cpuMs: (used.user + used.system) / 1000, feeds };
}

export async function benchPollCycle(options: { feeds?: number; items?: number; concurrency?: number } = {}): Promise<{
  rows: Measured[];
  peakRssMb: number;
  feedBytes: number;
}> {
  const feeds = options.feeds ?? 1000;
  const items = options.items ?? 50;
  const concurrency = options.concurrency ?? 16;
  const server = await startServer(feeds, items);
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-bench-'));
  try {
    const configPath = join(dir, 'bench.yaml');
    const feedLines = Array.from({ length: feeds }, (_, n) => `  - id: bench${n}\n    url: http://127.0.0.1:${server.port}/feed/${n}.xml\n`);
    const defaults = loadConfig({ env: {}, packageRoot: PROJECT_ROOT });
    writeFileSync(configPath, `feeds:\n${feedLines.join('')}entities: ${JSON.stringify(defaults.entities)}\nwatchlists: ${JSON.stringify(defaults.watchlists)}\n`);
    const config = loadConfig({
      env: {
        STORE_URL: `sqlite://${join(dir, 'bench.sqlite')}`,
        FETCH_CONCURRENCY: String(concurrency),
        // Every bench feed lives on 127.0.0.1; real feeds spread over many hosts.
        FETCH_PER_HOST_CONCURRENCY: String(concurrency),
      },
      packageRoot: PROJECT_ROOT,
      configFile: configPath,
    });
    const sink = new PassThrough().resume();
    const runtime = await openRuntime(config, { logger: silentLogger(), stdout: sink, outputFormat: 'json' });
    const targets = buildTargets(config.feeds, [consoleSubscription(config)]);
    const cycle = () => runPollCycle(targets, runtime.pollContext, { dryRun: false, ignoreBackoff: true });

    const rows: Measured[] = [];
    rows.push(await measure('first fetch (200, parse, normalise, baseline)', feeds, cycle));
    rows.push(await measure('all-304 cycle', feeds, cycle));
    rows.push(await measure('all-304 cycle (again)', feeds, cycle));
    // Baseline: the same conditional GETs with bare undici, same concurrency, nothing else; made
    // before the news rounds, while the feeds still answer these ETags with 304.
    const agent = new Agent({ connections: concurrency });
    const limit = pLimit(concurrency);
    const bare = () =>
      Promise.all(
        Array.from({ length: feeds }, (_, n) =>
          limit(async () => {
            const response = await request(`http://127.0.0.1:${server.port}/feed/${n}.xml`, {
              dispatcher: agent,
              headers: { 'if-none-match': `"v1-${n}"` },
            });
            await response.body.dump();
          }),
        ),
      );
    await bare(); // warm the connections, as the poller's were
    rows.push(await measure('baseline: bare undici 304s', feeds, bare));
    await agent.close();
    for (let round = 1; round <= 3; round++) {
      await request(`http://127.0.0.1:${server.port}/next-round`).then((response) => response.body.dump());
      let queued = 0;
      const row = await measure(`news round ${round}: 10 new items/feed`, feeds, async () => {
        queued = (await cycle()).alerts;
      });
      rows.push({ ...row, label: `${row.label}, ${queued} stories queued` });
    }
    await runtime.close();

    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    return { rows, peakRssMb, feedBytes: server.bytes };
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatPollRows(rows: Measured[]): string {
  const baseline = rows.find((row) => row.label.startsWith('baseline'));
  return rows
    .map((row) => {
      const perFeed = row.cpuMs / row.feeds;
      const ratio = baseline && row !== baseline ? `  ${(perFeed / (baseline.cpuMs / baseline.feeds)).toFixed(2)}× baseline CPU` : '';
      return `${row.label.padEnd(62)} ${(row.feeds / (row.wallMs / 1000)).toFixed(0).padStart(7)} feeds/s  wall ${row.wallMs.toFixed(0).padStart(6)} ms  CPU ${perFeed.toFixed(3)} ms/feed${ratio}`;
    })
    .join('\n');
}
