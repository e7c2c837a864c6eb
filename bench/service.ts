/**
 * The service at rest: `wirewatch run` (the built CLI, as the container runs it: with the
 * NODE_OPTIONS of the Dockerfile's runtime stage, or BENCH_SERVICE_NODE_OPTIONS when set) following 1,000
 * loopback feeds on a one-minute schedule. After the start-up cycle (every feed answers 200 and is
 * recorded) every tick is answered 304. Measured from /proc every second over a steady window
 * that starts at the second scheduled tick (the start-up cycle and one 304 cycle are behind it): each process's CPU time (user + system) as a share of
 * one core, and its resident memory. Three layouts: one replica on SQLite, one on Redis, and two
 * replicas on one Redis, which share the ticks through the poll lease.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { imageNodeOptions } from '../test/helpers/image-settings.js';
import { startThrowawayRedis } from '../test/helpers/throwaway-redis.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const FEEDS = 1000;
const ITEMS = 50;
/** Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on Linux). */
const HZ = 100;

export interface ServiceRow {
  layout: string;
  replicas: number;
  windowS: number;
  /** Cycles run in the window, summed over replicas. */
  cycles: number;
  /** CPU over the window, all replicas together, as % of one core. */
  cpuPercent: number;
  /** CPU seconds per 304 cycle: the window's CPU divided by the cycles run in it. */
  cpuPerCycleS: number;
  /** Highest resident set of any one replica in the window, and their mean at its end. */
  peakRssMb: number;
  endRssMb: number;
  redisCpuPercent: number | null;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
}

async function startFeedServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'feed-server.js'), String(FEEDS), String(ITEMS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The server prints "<port> <bytes of one feed>".
  const line = await new Promise<string>((done) => createInterface({ input: child.stdout }).once('line', done));
  return { child, url: `http://127.0.0.1:${line.split(' ')[0]}` };
}

interface Replica {
  child: ChildProcess;
  cycles: number;
  /** Set before the benchmark stops it. */
  stopping?: boolean;
}

/** What each replica is given: the image's NODE_OPTIONS (decision 019), unless BENCH_SERVICE_NODE_OPTIONS says otherwise ('' for none, to compare). */
export const REPLICA_NODE_OPTIONS = process.env['BENCH_SERVICE_NODE_OPTIONS'] ?? imageNodeOptions(readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8'));

function startReplica(cli: string, env: Record<string, string>): Replica {
  const child = spawn(process.execPath, [cli, 'run'], {
    env: { PATH: process.env['PATH'] ?? '', LOG_FORMAT: 'json', LOG_LEVEL: 'info', HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', NODE_OPTIONS: REPLICA_NODE_OPTIONS, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const replica: Replica = { child, cycles: 0 };
  const tail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.includes('"msg":"poll cycle finished"')) replica.cycles++;
    tail.push(line);
    if (tail.length > 20) tail.shift();
  });
  // A replica that stops on its own (a bad setting, a crash) makes the figures meaningless.
  child.once('exit', (code, signal) => {
    if (!replica.stopping) {
      console.error(`wirewatch run stopped on its own (${signal ?? `exit ${code}`}):\n${tail.join('\n')}`);
      process.exit(1);
    }
  });
  return replica;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measureLayout(layout: string, replicas: number, storeUrl: (dir: string) => string, base: { cli: string; config: string; dir: string }, windowS: number, redisPid: number | null): Promise<ServiceRow> {
  const env = { WIREWATCH_CONFIG: base.config, STORE_URL: storeUrl(base.dir), POLL_SCHEDULE: '0 * * * * *', ALLOW_PRIVATE_FEEDS: 'true', FETCH_PER_HOST_CONCURRENCY: '16' };
  const running = Array.from({ length: replicas }, () => startReplica(base.cli, env));
  try {
    // The start-up cycle records every feed (200s), the first scheduled tick is the first all-304
    // cycle; the window opens at the tick after that, so neither is in it.
    while (running.reduce((sum, r) => sum + r.cycles, 0) < 2) await sleep(200);
    const msToTick = 60_000 - (Date.now() % 60_000);
    await sleep(msToTick - 500);
    const cpuStart = running.map((r) => cpuTicks(r.child.pid!));
    const redisStart = redisPid ? cpuTicks(redisPid) : 0;
    const cyclesStart = running.reduce((sum, r) => sum + r.cycles, 0);
    const started = Date.now();
    let peak = 0;
    while (Date.now() - started < windowS * 1000) {
      for (const r of running) peak = Math.max(peak, rssMb(r.child.pid!));
      await sleep(1000);
    }
    const elapsedS = (Date.now() - started) / 1000;
    const cpuS = running.reduce((sum, r, i) => sum + (cpuTicks(r.child.pid!) - cpuStart[i]!) / HZ, 0);
    const cycles = running.reduce((sum, r) => sum + r.cycles, 0) - cyclesStart;
    return {
      layout,
      replicas,
      windowS: Math.round(elapsedS),
      cycles,
      cpuPercent: (100 * cpuS) / elapsedS,
      cpuPerCycleS: cycles > 0 ? cpuS / cycles : Number.NaN,
      peakRssMb: peak,
      endRssMb: running.reduce((sum, r) => sum + rssMb(r.child.pid!), 0) / running.length,
      redisCpuPercent: redisPid ? (100 * (cpuTicks(redisPid) - redisStart)) / HZ / elapsedS : null,
    };
  } finally {
    for (const r of running) {
      r.stopping = true;
      r.child.kill('SIGTERM');
    }
    await Promise.all(running.map((r) => new Promise((done) => (r.child.exitCode !== null ? done(null) : r.child.once('exit', done)))));
  }
}

export async function benchService(windowS: number): Promise<{ rows: ServiceRow[]; skipped: string[] }> {
  const cli = join(PROJECT_ROOT, 'dist/cli.js');
  const server = await startFeedServer();
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-bench-service-'));
  const feeds = Array.from({ length: FEEDS }, (_, n) => `  - id: f${n}\n    url: ${server.url}/feed/${n}.xml\n`).join('');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `feeds:\n${feeds}watchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited, extradites]\n`);
  const rows: ServiceRow[] = [];
  const skipped: string[] = [];
  try {
    rows.push(await measureLayout('one replica, SQLite', 1, (d) => `sqlite://${join(d, 'one.sqlite')}`, { cli, config, dir }, windowS, null));
    for (const replicas of [1, 2]) {
      const redis = await startThrowawayRedis();
      if ('skip' in redis) {
        skipped.push(`Redis layouts skipped: ${redis.skip}`);
        break;
      }
      try {
        rows.push(await measureLayout(replicas === 1 ? 'one replica, Redis' : 'two replicas, one Redis', replicas, () => redis.url, { cli, config, dir }, windowS, redis.pid));
      } finally {
        redis.stop();
      }
    }
  } finally {
    server.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, skipped };
}

export function formatServiceRows(rows: readonly ServiceRow[]): string {
  const lines = ['| layout | window | 304 cycles run | CPU, all replicas (% of a core) | CPU per cycle | peak RSS (per replica) | RSS at the end | redis-server CPU |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const row of rows) {
    lines.push(
      `| ${row.layout} | ${row.windowS} s | ${row.cycles} | ${row.cpuPercent.toFixed(2)} % | ${row.cpuPerCycleS.toFixed(2)} s | ${row.peakRssMb.toFixed(0)} MB | ${row.endRssMb.toFixed(0)} MB | ${row.redisCpuPercent === null ? '—' : `${row.redisCpuPercent.toFixed(2)} %`} |`,
    );
  }
  return lines.join('\n');
}
