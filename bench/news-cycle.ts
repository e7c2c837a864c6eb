/**
 * The poll cycle with news, against the libraries alone in the same run (`npm run bench -- news`).
 *
 * N loopback feeds of 50 items (~47 KB, HTML descriptions) are served by a child process, so only
 * the poller's CPU is counted. The cycle is the real one (runPollCycle on a SQLite file with the
 * shipped watchlists and clustering, the console subscribed to every feed, no chat token):
 *
 *   first fetch   every feed answers 200: fetch, decode, parse, identify, record what is there
 *   all-304       every feed answers 304, twice
 *   news 1..3     ten new items at the top of every feed (six of the ten of the watched kinds; the
 *                 feeds grow to 60, 70, 80 items): fetch, parse, identify, dedupe against the
 *                 store, match the new items, group the alerting ones into events, build alerts,
 *                 check them against delivery records, queue them (past BURST_LIMIT as one
 *                 roll-up), record the feeds
 *   news N, no watchlists   (in-process only) the same round on a second store whose config has no
 *                 watchlists: the spine alone. Stories are fetched, parsed, identified, deduped,
 *                 scanned and recorded; no watchlist is evaluated, so nothing is grouped or queued
 *
 * Baselines, made in the same process just before each wirewatch cycle, on the same responses
 * (bench/news-baseline.ts): undici alone; rss-parser alone on the same bodies; and the floor of
 * the news cycle, undici + rss-parser + a Set of guids + one alternation RegExp per watchlist.
 *
 * In-process rows: CPU of this process (all its threads: SQLite's too) around each call; on Linux,
 * also how much of wirewatch's was on threads other than the main one (V8's optimising compiler
 * and GC helpers, libuv's pool where SQLite works).
 * Whole-process rows: `wirewatch poll --once` as its own process for each cycle (start-up, config,
 * store, the cycle, delivering what is due to the console, shutdown), against the baseline script
 * as its own process doing one round; CPU and peak RSS of each process as it reports them at exit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PassThrough } from 'node:stream';
import { Agent, request } from 'undici';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/log.js';
import { openRuntime, consoleSubscription } from '../src/app/runtime.js';
import { buildTargets, runPollCycle } from '../src/pipeline/poll-cycle.js';
import { alternationWatchlists, fetchBodies, matchNew, parseBodies } from './news-baseline.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const CONCURRENCY = 16;
export const ROUNDS = 3;

/** In-process only: this many more 304 pairs after the two recorded one by one, reported as medians. */
const MORE_304_PAIRS = 7;
const MORE_304_LABEL = `all-304, median of ${MORE_304_PAIRS} more`;

/** The median of each time on its own (CPU and wall), of an odd number of runs; the main thread's part is the median CPU run's. */
function median(times: readonly Timed[]): Timed {
  const middle = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
  const result: Timed = { cpuMs: middle(times.map((t) => t.cpuMs)), wallMs: middle(times.map((t) => t.wallMs)) };
  // The main thread's share of the median CPU: that of the run whose CPU it is.
  const run = times.find((t) => t.cpuMs === result.cpuMs);
  if (run?.mainThreadCpuMs !== undefined) result.mainThreadCpuMs = run.mainThreadCpuMs;
  return result;
}

export interface Timed {
  cpuMs: number;
  wallMs: number;
  /** In-process rows on Linux: the part of cpuMs spent on the main thread. */
  mainThreadCpuMs?: number;
}

export interface CycleRow {
  cycle: string;
  wirewatch: Timed;
  /** Named baselines measured for this cycle, same process, same responses. */
  baselines: Record<string, Timed>;
  /** Whole-process rows: peak RSS of the wirewatch process, and of the baseline process on the same responses. */
  maxRssMb?: { wirewatch: number; baseline: number };
}

/** The feed server (bench/feed-server.ts) in a child process, so its CPU is not counted here. */
async function startServer(feeds: number, items: number): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'feed-server.js'), String(feeds), String(items)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolveLine) => {
    createInterface({ input: child.stdout }).once('line', resolveLine);
  });
  return { port: Number(line.split(' ')[0]), stop: () => child.kill() };
}

/**
 * CPU of this process's main thread so far, in ms, from Linux's per-thread accounting (in clock
 * ticks of 10 ms); null where there is none. The rest of the process's CPU is its other threads:
 * V8's optimising compiler and garbage-collector helpers, and libuv's pool, where SQLite works.
 */
const MAIN_THREAD_STAT = `/proc/self/task/${process.pid}/stat`;
const PER_THREAD_CPU = existsSync(MAIN_THREAD_STAT);

function mainThreadCpuMs(): number | null {
  if (!PER_THREAD_CPU) return null;
  const stat = readFileSync(MAIN_THREAD_STAT, 'utf8');
  // utime and stime: the 14th and 15th fields, counted after the command name in parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; time: Timed }> {
  const cpu = process.cpuUsage();
  const main = mainThreadCpuMs();
  const started = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  const mainAfter = mainThreadCpuMs();
  const time: Timed = { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
  if (main !== null && mainAfter !== null) time.mainThreadCpuMs = mainAfter - main;
  return { value, time };
}

/** The bench's config file: every feed, the shipped entities, and the shipped watchlists or (`watching` false) none. */
function writeBenchConfig(dir: string, feeds: number, port: number, watching = true): { configPath: string; watchlistsPath: string } {
  const defaults = loadConfig({ env: {}, packageRoot: PROJECT_ROOT });
  const configPath = join(dir, watching ? 'bench.yaml' : 'bench-unwatched.yaml');
  const feedLines = Array.from({ length: feeds }, (_, n) => `  - id: bench${n}\n    url: http://127.0.0.1:${port}/feed/${n}.xml\n`);
  const watchlists = watching ? defaults.watchlists : [];
  writeFileSync(configPath, `feeds:\n${feedLines.join('')}entities: ${JSON.stringify(defaults.entities)}\nwatchlists: ${JSON.stringify(watchlists)}\n`);
  const watchlistsPath = join(dir, 'watchlists.json');
  writeFileSync(watchlistsPath, JSON.stringify({ watchlists: defaults.watchlists, entities: defaults.entities }));
  return { configPath, watchlistsPath };
}

/** On a connection of its own: minutes may pass between rounds, and the server closes idle ones. */
async function nextRound(port: number): Promise<void> {
  const agent = new Agent();
  try {
    await (await request(`http://127.0.0.1:${port}/next-round`, { dispatcher: agent })).body.dump();
  } finally {
    await agent.close();
  }
}
const etagsOf = (feeds: number, round: number) => Array.from({ length: feeds }, (_, n) => `"v${round + 1}-${n}"`);

/** In this process: the wirewatch cycles and their baselines, alternating. */
export async function benchNewsInProcess(feeds: number): Promise<CycleRow[]> {
  const server = await startServer(feeds, 50);
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-news-'));
  try {
    const open = async (configFile: string, store: string) => {
      const config = loadConfig({
        env: { STORE_URL: `sqlite://${join(dir, store)}`, FETCH_CONCURRENCY: String(CONCURRENCY), FETCH_PER_HOST_CONCURRENCY: String(CONCURRENCY) },
        packageRoot: PROJECT_ROOT,
        configFile,
      });
      const runtime = await openRuntime(config, { logger: silentLogger(), stdout: new PassThrough().resume(), outputFormat: 'json' });
      const targets = buildTargets(config.feeds, [consoleSubscription(config)]);
      return { config, runtime, cycle: () => runPollCycle(targets, runtime.pollContext, { dryRun: false, ignoreBackoff: true }) };
    };
    const { config, runtime, cycle } = await open(writeBenchConfig(dir, feeds, server.port).configPath, 'bench.sqlite');
    // The same cycle with no watchlists, on a store of its own: the spine alone (fetch, parse,
    // identify, dedupe, record), without matching, grouping or alerts.
    const unwatched = await open(writeBenchConfig(dir, feeds, server.port, false).configPath, 'unwatched.sqlite');
    const watchlists = alternationWatchlists(config.watchlists, config.entities);
    const agent = new Agent({ connections: CONCURRENCY });
    const seen = new Set<string>();
    const rows: CycleRow[] = [];

    // First fetch.
    {
      const fetched = await timed(() => fetchBodies(server.port, feeds, CONCURRENCY, agent));
      const parsed = await timed(() => parseBodies(fetched.value));
      matchNew(parsed.value, seen, []); // the baseline remembers what is there, as wirewatch does
      const ours = await timed(cycle);
      rows.push({ cycle: 'first fetch', wirewatch: ours.time, baselines: { undici: fetched.time, 'rss-parser': parsed.time } });
      await unwatched.cycle();
    }
    // All 304, twice; the bare exchange warmed once first, as the poller's connections are.
    const etags = etagsOf(feeds, 0);
    await fetchBodies(server.port, feeds, CONCURRENCY, agent, etags);
    for (const label of ['all-304', 'all-304 again']) {
      const bare = await timed(() => fetchBodies(server.port, feeds, CONCURRENCY, agent, etags));
      const ours = await timed(cycle);
      rows.push({ cycle: label, wirewatch: ours.time, baselines: { undici: bare.time } });
    }
    // Single 304 cycles move with the machine's load by more than the aim's margin; more pairs,
    // their order alternating so a drift in load favours neither, give a steadier figure.
    const more = { wirewatch: [] as Timed[], undici: [] as Timed[] };
    for (let pair = 0; pair < MORE_304_PAIRS; pair++) {
      const bareFirst = pair % 2 === 0;
      if (bareFirst) more.undici.push((await timed(() => fetchBodies(server.port, feeds, CONCURRENCY, agent, etags))).time);
      more.wirewatch.push((await timed(cycle)).time);
      if (!bareFirst) more.undici.push((await timed(() => fetchBodies(server.port, feeds, CONCURRENCY, agent, etags))).time);
    }
    rows.push({ cycle: MORE_304_LABEL, wirewatch: median(more.wirewatch), baselines: { undici: median(more.undici) } });
    for (let round = 1; round <= ROUNDS; round++) {
      await nextRound(server.port);
      const fetched = await timed(() => fetchBodies(server.port, feeds, CONCURRENCY, agent));
      const parsed = await timed(() => parseBodies(fetched.value));
      const matched = await timed(() => Promise.resolve(matchNew(parsed.value, seen, watchlists)));
      const ours = await timed(cycle);
      const baselines = { undici: fetched.time, 'rss-parser': parsed.time, 'alternation RegExp': matched.time };
      rows.push({ cycle: `news ${round}`, wirewatch: ours.time, baselines });
      const spine = await timed(unwatched.cycle);
      rows.push({ cycle: `news ${round}, no watchlists`, wirewatch: spine.time, baselines });
    }
    await agent.close();
    await runtime.close();
    await unwatched.runtime.close();
    return rows;
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One process, timed as a whole through the usage preload. */
function runProcess(args: string[], env: Record<string, string>, dir: string): Timed & { maxRssMb: number } {
  const usageFile = join(dir, 'usage.json');
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(resolve(import.meta.dirname, 'cpu-report.js')).href, ...args], {
    env: { ...process.env, ...env, BENCH_CPU_REPORT: usageFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr.toString().slice(-2000)}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { userUs: number; systemUs: number; maxRssKb: number };
  return { cpuMs: (usage.userUs + usage.systemUs) / 1000, wallMs, maxRssMb: usage.maxRssKb / 1024 };
}

/** Each cycle as its own `wirewatch poll --once` process, each baseline round as its own process. */
export async function benchNewsWholeProcess(feeds: number): Promise<CycleRow[]> {
  const server = await startServer(feeds, 50);
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-news-'));
  try {
    const { configPath, watchlistsPath } = writeBenchConfig(dir, feeds, server.port);
    const stateFile = join(dir, 'baseline-state.json');
    const wirewatch = () =>
      runProcess([join(PROJECT_ROOT, 'dist/cli.js'), 'poll', '--once'], {
        WIREWATCH_CONFIG: configPath,
        STORE_URL: `sqlite://${join(dir, 'bench.sqlite')}`,
        FETCH_CONCURRENCY: String(CONCURRENCY),
        FETCH_PER_HOST_CONCURRENCY: String(CONCURRENCY),
        LOG_LEVEL: 'warn',
        HTTP_PORT: '0',
      }, dir);
    const baseline = (mode: 'record' | 'match' | 'not-modified', round: number) => {
      if (mode === 'not-modified') {
        const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { guids: string[] };
        writeFileSync(stateFile, JSON.stringify({ guids: state.guids, etags: etagsOf(feeds, round) }));
      }
      const result = runProcess([resolve(import.meta.dirname, 'news-baseline.js'), String(server.port), String(feeds), String(CONCURRENCY), stateFile, watchlistsPath, mode], {}, dir);
      if (mode === 'not-modified') {
        const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { guids: string[] };
        writeFileSync(stateFile, JSON.stringify({ guids: state.guids, etags: null }));
      }
      return result;
    };
    const rows: CycleRow[] = [];
    const first = baseline('record', 0);
    const ours = wirewatch();
    rows.push({ cycle: 'first fetch', wirewatch: ours, baselines: { 'undici + rss-parser': first }, maxRssMb: { wirewatch: ours.maxRssMb, baseline: first.maxRssMb } });
    for (const label of ['all-304', 'all-304 again']) {
      const bare = baseline('not-modified', 0);
      const again = wirewatch();
      rows.push({ cycle: label, wirewatch: again, baselines: { undici: bare }, maxRssMb: { wirewatch: again.maxRssMb, baseline: bare.maxRssMb } });
    }
    for (let round = 1; round <= ROUNDS; round++) {
      await nextRound(server.port);
      const floor = baseline('match', round);
      const news = wirewatch();
      rows.push({ cycle: `news ${round}`, wirewatch: news, baselines: { 'undici + rss-parser + RegExp': floor }, maxRssMb: { wirewatch: news.maxRssMb, baseline: floor.maxRssMb } });
    }
    return rows;
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const perFeed = (time: Timed, feeds: number) => time.cpuMs / feeds;
const sum = (times: Timed[]): Timed => ({ cpuMs: times.reduce((s, t) => s + t.cpuMs, 0), wallMs: times.reduce((s, t) => s + t.wallMs, 0) });

/** The ratios the performance aims are stated in. */
export function formatNewsRows(rows: CycleRow[], feeds: number, whole: boolean): string {
  // In-process rows on Linux also say how much of wirewatch's CPU was on its other threads
  // (compiler, GC helpers, SQLite): a process's first news round compiles the watch path there.
  const threads = !whole && rows.every((row) => row.wirewatch.mainThreadCpuMs !== undefined);
  const lines = [
    `| cycle | wirewatch CPU ms/feed |${threads ? ' of it, other threads |' : ''} baselines CPU ms/feed | wirewatch ÷ baseline |${whole ? ' peak RSS: wirewatch / baseline |' : ''}`,
    `|---|---:|${threads ? '---:|' : ''}---|---|${whole ? '---:|' : ''}`,
  ];
  for (const row of rows) {
    const names = Object.keys(row.baselines);
    const base = names.map((name) => `${name} ${perFeed(row.baselines[name]!, feeds).toFixed(3)}`).join('; ');
    const ours = perFeed(row.wirewatch, feeds);
    const ratios: string[] = [];
    if (whole) {
      for (const name of names) ratios.push(`${(ours / perFeed(row.baselines[name]!, feeds)).toFixed(2)}× ${name}`);
    } else if (row.cycle.startsWith('news')) {
      ratios.push(`${(ours / perFeed(row.baselines['rss-parser']!, feeds)).toFixed(2)}× rss-parser`);
      ratios.push(`${(ours / perFeed(sum(Object.values(row.baselines)), feeds)).toFixed(2)}× all three`);
    } else if (row.cycle === 'first fetch') {
      ratios.push(`${(ours / perFeed(sum(Object.values(row.baselines)), feeds)).toFixed(2)}× undici + rss-parser`);
    } else {
      ratios.push(`${(ours / perFeed(row.baselines['undici']!, feeds)).toFixed(2)}× undici`);
    }
    const rss = row.maxRssMb ? ` ${row.maxRssMb.wirewatch.toFixed(0)} / ${row.maxRssMb.baseline.toFixed(0)} MB (${(row.maxRssMb.wirewatch / row.maxRssMb.baseline).toFixed(2)}×) |` : ' — |';
    const other = threads ? ` ${((row.wirewatch.cpuMs - row.wirewatch.mainThreadCpuMs!) / feeds).toFixed(3)} |` : '';
    lines.push(`| ${row.cycle} | ${ours.toFixed(3)} |${other} ${base} | ${ratios.join(', ')} |${whole ? rss : ''}`);
  }
  return lines.join('\n');
}

/** The 304 cycle's marginal CPU per feed between two feed counts: does it grow with the count? */
export function marginal304(small: { feeds: number; rows: CycleRow[] }, large: { feeds: number; rows: CycleRow[] }): { wirewatch: number; undici: number } {
  const of = (result: { rows: CycleRow[] }, pick: (row: CycleRow) => Timed) => pick(result.rows.find((row) => row.cycle === 'all-304 again')!).cpuMs;
  const span = large.feeds - small.feeds;
  return {
    wirewatch: (of(large, (row) => row.wirewatch) - of(small, (row) => row.wirewatch)) / span,
    undici: (of(large, (row) => row.baselines['undici']!) - of(small, (row) => row.baselines['undici']!)) / span,
  };
}
