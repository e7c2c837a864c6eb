/**
 * How the SQLite store grows with alerts, and whether it stops growing once the TTLs turn over.
 * The service's own cycle (`runServiceCycle`: poll, record, sweep as `wirewatch run` sweeps) runs
 * over N feeds served on loopback, then the real delivery worker drains the outbox to a console
 * sink, so delivery records, event threads and outbox rows are written as in production. The
 * clock is the runtime's: each round moves it on by the poll period and the feed server dates the
 * round's items at that time, so simulated days pass in seconds.
 *
 * Each feed gains ten items a round and keeps its latest 50, as real feeds let old items drop off.
 * The TTLs are shortened through the environment loadConfig reads (SEEN_TTL, DELIVERY_TTL,
 * EVENT_WINDOW; an event's thread is kept a day past the window), so everything the store holds
 * has turned over well inside the run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import sqlite3 from 'sqlite3';
import { request } from 'undici';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/log.js';
import { manualClock } from '../src/clock.js';
import { openRuntime } from '../src/app/runtime.js';
import { runServiceCycle, type SweepState } from '../src/cli/run-command.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const HOUR = 3_600_000;

export interface StoreGrowthOptions {
  feeds: number;
  /** Items each feed keeps (ten new ones a round). */
  keep: number;
  rounds: number;
  periodMs: number;
  /** What loadConfig reads: the TTLs, shortened. */
  env: Record<string, string>;
  /** A row every this many rounds. */
  every: number;
}

export const STORE_GROWTH_DEFAULTS: StoreGrowthOptions = {
  feeds: 200,
  keep: 50,
  rounds: 48,
  periodMs: HOUR,
  env: { SEEN_TTL: '12h', DELIVERY_TTL: '12h', MAX_ITEM_AGE: '2h', EVENT_WINDOW: '1h' },
  every: 3,
};

export interface GrowthRow {
  round: number;
  hours: number;
  /** Stories delivered to the channel so far (each alert, each story of a roll-up). */
  alerts: number;
  dbBytes: number;
  walBytes: number;
  freePages: number;
  pageSize: number;
  /** Rows of the key-value table by key prefix (seen, delivery, event, …). */
  keys: Record<string, number>;
  /** Bytes of key and value text by key prefix (what the rows hold, before SQLite's own overhead). */
  keyBytes: Record<string, number>;
  outboxRows: number;
}

async function startServer(feeds: number, keep: number): Promise<{ port: number; stop(): void }> {
  // 50 items at the start; `keep` caps what each feed lists from then on.
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'feed-server.js'), String(feeds), '50', String(keep)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolveLine) => {
    createInterface({ input: child.stdout }).once('line', resolveLine);
  });
  return { port: Number(line.split(' ')[0]), stop: () => child.kill() };
}

function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((done, fail) => db.all<T>(sql, [], (error, rows) => (error ? fail(error) : done(rows))));
}

const size = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0; // no -wal file (yet)
  }
};

/** The key-value table's rows by the key's first segment after the namespace. */
const KEYS_BY_PREFIX = `SELECT prefix, count(*) AS rows, sum(bytes) AS bytes FROM (
    SELECT CASE WHEN instr(substr(key, 11), ':') > 0 THEN substr(key, 11, instr(substr(key, 11), ':') - 1) ELSE substr(key, 11) END AS prefix,
      length(key) + length(value) AS bytes
    FROM keyv WHERE key LIKE 'wirewatch:%'
  ) GROUP BY prefix`;

async function measure(file: string, round: number, hours: number, alerts: number): Promise<GrowthRow> {
  const db = await new Promise<sqlite3.Database>((done, fail) => {
    const opened = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => (error ? fail(error) : done(opened)));
  });
  try {
    const keys: Record<string, number> = {};
    const keyBytes: Record<string, number> = {};
    for (const row of await all<{ prefix: string; rows: number; bytes: number }>(db, KEYS_BY_PREFIX)) {
      keys[row.prefix] = row.rows;
      keyBytes[row.prefix] = row.bytes;
    }
    const [outbox] = await all<{ rows: number }>(db, 'SELECT count(*) AS rows FROM outbox');
    const [free] = await all<{ freelist_count: number }>(db, 'PRAGMA freelist_count');
    const [page] = await all<{ page_size: number }>(db, 'PRAGMA page_size');
    return {
      round,
      hours,
      alerts,
      dbBytes: size(file),
      walBytes: size(`${file}-wal`),
      freePages: free?.freelist_count ?? 0,
      pageSize: page?.page_size ?? 4096,
      keys,
      keyBytes,
      outboxRows: outbox?.rows ?? 0,
    };
  } finally {
    await new Promise<void>((done) => db.close(() => done()));
  }
}

export async function benchStoreGrowth(options: StoreGrowthOptions = STORE_GROWTH_DEFAULTS, onRow: (row: GrowthRow) => void = () => undefined): Promise<GrowthRow[]> {
  const server = await startServer(options.feeds, options.keep);
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-bench-store-'));
  const file = join(dir, 'store.sqlite');
  try {
    const configPath = join(dir, 'bench.yaml');
    const feedLines = Array.from({ length: options.feeds }, (_, n) => `  - id: bench${n}\n    url: http://127.0.0.1:${server.port}/feed/${n}.xml\n`);
    const defaults = loadConfig({ env: {}, packageRoot: PROJECT_ROOT });
    writeFileSync(configPath, `feeds:\n${feedLines.join('')}entities: ${JSON.stringify(defaults.entities)}\nwatchlists: ${JSON.stringify(defaults.watchlists)}\n`);
    const config = loadConfig({
      env: { STORE_URL: `sqlite://${file}`, FETCH_CONCURRENCY: '16', FETCH_PER_HOST_CONCURRENCY: '16', ...options.env },
      packageRoot: PROJECT_ROOT,
      configFile: configPath,
    });
    // The clock starts now and only moves ahead, as the system time does in the service.
    const clock = manualClock(Date.now());
    const runtime = await openRuntime(config, { logger: silentLogger(), stdout: new PassThrough().resume(), outputFormat: 'json', clock });
    const rows: GrowthRow[] = [];
    try {
      const sweep: SweepState = { at: 0 };
      const never = new AbortController().signal;
      let alerts = 0;
      const start = clock.now();
      for (let round = 0; round <= options.rounds; round++) {
        if (round > 0) {
          clock.advance(options.periodMs);
          await request(`http://127.0.0.1:${server.port}/next-round?at=${clock.now()}`).then((response) => response.body.dump());
        }
        const report = await runServiceCycle(runtime, never, sweep);
        alerts += report.alerts;
        // The delivery loop's rounds, back to back until the outbox has nothing due.
        while ((await runtime.delivery.deliverDue()).claimed > 0);
        if (round % options.every === 0 || round === options.rounds) {
          const row = await measure(file, round, (clock.now() - start) / HOUR, alerts);
          rows.push(row);
          onRow(row);
        }
      }
    } finally {
      await runtime.close();
    }
    return rows;
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const MB = 1024 * 1024;
const PREFIXES = ['seen', 'delivery', 'event', 'event-thread', 'event-hour', 'feed'];

export function growthHeader(): string {
  return [
    `| round | hours | alerts | db MB | -wal MB | free pages | ${PREFIXES.join(' | ')} | other keys | outbox rows | bytes/alert |`,
    `|---:|---:|---:|---:|---:|---:|${PREFIXES.map(() => '---:|').join('')}---:|---:|---:|`,
  ].join('\n');
}

/** `base`: the row after the first poll (the baseline), from which bytes per alert are counted. */
export function formatGrowthRow(row: GrowthRow, base: GrowthRow | undefined): string {
  const other = Object.entries(row.keys)
    .filter(([prefix]) => !PREFIXES.includes(prefix))
    .reduce((sum, [, count]) => sum + count, 0);
  const used = (r: GrowthRow) => r.dbBytes + r.walBytes;
  const perAlert = base && row.alerts > 0 ? Math.round((used(row) - used(base)) / row.alerts).toLocaleString('en-US') : '–';
  return `| ${row.round} | ${row.hours} | ${row.alerts.toLocaleString('en-US')} | ${(row.dbBytes / MB).toFixed(1)} | ${(row.walBytes / MB).toFixed(1)} | ${row.freePages.toLocaleString('en-US')} | ${PREFIXES.map((p) => (row.keys[p] ?? 0).toLocaleString('en-US')).join(' | ')} | ${other} | ${row.outboxRows} | ${perAlert} |`;
}

/** What the rows of each prefix hold in the last row, per row. */
export function formatRowSizes(row: GrowthRow): string {
  return Object.keys(row.keys)
    .sort()
    .map((prefix) => `${prefix} ${Math.round((row.keyBytes[prefix] ?? 0) / (row.keys[prefix] ?? 1)).toLocaleString('en-US')} B`)
    .join(', ');
}
