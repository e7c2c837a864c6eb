/**
 * /healthz, /readyz and /metrics as an operator's probe meets them: `wirewatch run` as a child
 * process, feeds from a loopback server, the answers read over real HTTP. Readiness is shown
 * failing for real: the service's Redis is stopped under it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliRun } from '../helpers/cli.js';
import { captureServiceLog, httpPortOf, until, type ServiceLog } from '../helpers/service.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';
import { startThrowawayRedis } from '../helpers/throwaway-redis.js';

let feeds: LoopbackServer;
let dir: string;
const items: TestItem[] = [{ guid: 'old', title: 'Already there: extradition hearing', published: Date.now() - 60_000 }];

beforeAll(async () => {
  feeds = await startLoopbackServer();
  feeds.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
  });
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-health-'));
  writeFileSync(
    join(dir, 'config.yaml'),
    `feeds:\n  - id: wire\n    url: ${feeds.url('/feed.xml')}\nwatchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited, extradition]\n`,
  );
});

afterAll(async () => {
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(storeUrl: string): { run: CliRun; log: ServiceLog } {
  const run = startCli(['run'], {
    cwd: dir,
    env: {
      WIREWATCH_CONFIG: join(dir, 'config.yaml'),
      STORE_URL: storeUrl,
      POLL_SCHEDULE: '* * * * * *',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      ALLOW_PRIVATE_FEEDS: 'true',
    },
  });
  return { run, log: captureServiceLog(run) };
}

async function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

async function stop(run: CliRun): Promise<number | null> {
  run.child.kill('SIGTERM');
  return (await run.done).code;
}

/** The value of one sample line of the Prometheus text, e.g. `wirewatch_matches_total{watchlist="x"}`. */
function sample(metrics: string, name: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('health, readiness and metrics on HTTP_PORT', () => {
  it('answers /healthz at once, /readyz once a poll has finished, and counts the pipeline in /metrics', async () => {
    const { run, log } = start(`sqlite://${join(dir, 'sqlite-store.sqlite')}`);
    try {
      const port = await httpPortOf(log);
      const health = await get(port, '/healthz');
      expect(health).toMatchObject({ status: 200, body: 'ok\n' });
      expect((await get(port, '/healthz', 'POST')).status).toBe(405);

      await until('the first poll', () => log.cycles() >= 1, log);
      const ready = await get(port, '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.type).toBe('application/json');
      const verdict = JSON.parse(ready.body) as { ready: boolean; checks: Record<string, { ok: boolean; detail: string }> };
      expect(verdict.ready).toBe(true);
      expect(verdict.checks['store']).toEqual({ ok: true, detail: 'sqlite answers' });
      expect(verdict.checks['poll']?.ok).toBe(true);
      expect(verdict.checks['chat']).toEqual({ ok: true, detail: 'no chat platform configured: alerts go to the console' });

      items.push({ guid: 'new', title: 'Capo extradited to the United States', published: Date.now() });
      await until('the alert to be delivered', () => log.lines().some((l) => l['msg'] === 'alert delivered'), log);
      const metrics = await get(port, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = metrics.body;
      expect(sample(text, 'wirewatch_poll_cycles_total{outcome="ran"}')).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'wirewatch_feed_fetches_total{status="200"}')).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'wirewatch_stories_total')).toBe(1);
      expect(sample(text, 'wirewatch_matches_total{watchlist="extradition"}')).toBe(1);
      expect(sample(text, 'wirewatch_alerts_queued_total{platform="console"}')).toBe(1);
      expect(sample(text, 'wirewatch_alerts_delivered_total{platform="console"}')).toBe(1);
      expect(sample(text, 'wirewatch_delivery_latency_seconds_count{platform="console"}')).toBe(1);
      expect(sample(text, 'wirewatch_outbox_entries{state="pending"}')).toBe(0);
      expect(sample(text, 'wirewatch_feeds_in_backoff')).toBe(0);
      expect(sample(text, 'wirewatch_feed_parse_failures_total')).toBe(0);
      for (const name of ['wirewatch_feed_not_modified_total', 'wirewatch_alerts_failed_total', 'wirewatch_poll_cycle_duration_seconds', 'wirewatch_process_resident_memory_bytes']) {
        expect(text).toContain(`# TYPE ${name} `);
      }
    } finally {
      expect(await stop(run)).toBe(0);
    }
  });

  it('answers /readyz 503 naming the store when its Redis goes away, and /healthz still 200', async (context) => {
    const redis = await startThrowawayRedis();
    if ('skip' in redis) {
      context.skip(redis.skip);
      return;
    }
    const { run, log } = start(redis.url);
    try {
      const port = await httpPortOf(log);
      await until('the first poll', () => log.cycles() >= 1, log);
      expect((await get(port, '/readyz')).status).toBe(200);
      redis.stop();
      // The server takes a moment to go; the probe answers 503 within a few seconds of it.
      let down = await get(port, '/readyz');
      for (let tries = 0; down.status === 200 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        down = await get(port, '/readyz');
      }
      expect(down.status).toBe(503);
      const verdict = JSON.parse(down.body) as { ready: boolean; checks: Record<string, { ok: boolean; detail: string }> };
      expect(verdict.ready).toBe(false);
      expect(verdict.checks['store']?.ok).toBe(false);
      expect(verdict.checks['chat']?.ok).toBe(true);
      expect((await get(port, '/healthz')).status).toBe(200);
    } finally {
      run.child.kill('SIGKILL');
      await run.done;
      redis.stop();
    }
  });
});
