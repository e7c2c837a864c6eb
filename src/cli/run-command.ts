/**
 * `wirewatch run` (what `npm start` does): the long-running service. Polls once at start-up,
 * then on POLL_SCHEDULE; serves /healthz, /readyz, /metrics (and chat webhooks) on HTTP_PORT;
 * SIGTERM/SIGINT stop scheduling and sending, let the cycle and the sends in flight finish within
 * SHUTDOWN_TIMEOUT, give unsent claims back to the outbox, close the store and exit 0.
 */
import type { Config } from '../config/index.js';
import { openRuntime, consoleSubscription, type Runtime } from '../app/runtime.js';
import { runPollCycle, type CycleReport } from '../pipeline/poll-cycle.js';
import { planCycle } from '../pipeline/cycle-plan.js';
import { assertWritable } from '../store/index.js';
import { startHttpServer, type RunningHttpServer } from '../http/server.js';
import { startDeliveryLoop } from '../delivery/loop.js';
import { startPollScheduler, type PollScheduler } from '../pipeline/scheduler.js';
import { healthRoutes, type ReadinessCheck } from '../http/health-routes.js';
import { runWithLease } from '../coordination/index.js';
import { startMemoryReducerAid } from '../app/memory-reducer-aid.js';
import { EXIT } from './io.js';
import type { CommandContext } from './context.js';

/** Queued alerts are looked at this often (retries come due with time), and after every poll that queued some. */
const DELIVERY_INTERVAL_MS = 1000;
const DELIVERY_BATCH = 100;

/**
 * How often expired entries are swept from a SQLite store (Redis expires keys itself), and dead
 * alerts past their retention dropped from the outbox (on every backend).
 */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** What a newcomer needs to know in the first minute: what is watched, and what happens next. */
export function startupBanner(config: Readonly<Config>, storeDescription: string): string {
  const feeds = config.feeds.map((feed) => `    - ${feed.name ?? feed.id} (${new URL(feed.url).host})`).join('\n');
  const watchlists = config.watchlists.map((w) => `    - ${w.id}: ${w.name}`).join('\n');
  const platforms = [config.discord ? 'Discord' : null, config.slack ? 'Slack' : null].filter(Boolean).join(' and ');
  const where = platforms
    ? `wirewatch is running. Alerts go to the ${platforms} channels subscribed with /wirewatch subscribe.`
    : `wirewatch is running. No chat token is set, so alerts are printed here.`;
  return [
    where,
    `  config: ${config.configFile}`,
    `  store:  ${storeDescription}`,
    `  polls:  on "${config.poll.schedule}" (cron), stories older than ${Math.round(config.poll.maxItemAgeMs / 3_600_000)} h never alert`,
    `  watching ${config.feeds.length} feed(s):`,
    feeds || '    (none: add feeds to the config file)',
    `  for ${config.watchlists.length} watchlist(s):`,
    watchlists || '    (none: add watchlists to the config file)',
    ``,
    `The first poll of each feed only records the stories already there; alerts start with the`,
    `next new story that matches. To see what matches right now, run:`,
    `    npx wirewatch poll --once --dry-run`,
    ``,
  ].join('\n');
}

/** When the store was last swept of expired entries (epoch ms; 0: not yet in this process). */
export interface SweepState {
  at: number;
}

/**
 * One poll cycle as the service runs it: read the subscriptions and the open events, poll, record
 * the cycle, and sweep expired entries from the store once SWEEP_INTERVAL_MS has passed since the
 * last sweep. What the cycle queued is sent by the delivery loop, not waited for here.
 */
export async function runServiceCycle(runtime: Runtime, signal: AbortSignal, lastSweep: SweepState): Promise<CycleReport> {
  const { config, clock, logger } = runtime;
  // Subscriptions, tenants' watchlists and feeds are read every cycle: chat commands change them
  // while we run (on any replica), and a change applies from the next cycle.
  const stored = await runtime.repositories.subscriptions.list();
  const subscriptions = config.discord || config.slack ? stored : [consoleSubscription(config), ...stored];
  const plan = await planCycle({
    configFeeds: config.feeds,
    shippedWatchlists: config.watchlists,
    subscriptions,
    repositories: runtime.repositories,
  });
  // Another replica may have run the last cycles: its events are read before this one's stories join them.
  // A failure here costs the grouping, not the poll: stories then alert on their own.
  await runtime.events.sync(clock.now()).catch((error: unknown) => logger.error({ err: error }, 'open events could not be read; this cycle groups no stories'));
  const synced = runtime.watchlistSync.apply(plan.watchlists);
  if (synced.compiled + synced.removed > 0) logger.debug(synced, 'watchlists recompiled');
  const report = await runPollCycle(plan.targets, { ...runtime.pollContext, watchlistNames: plan.watchlistNames }, {
    dryRun: false,
    ignoreBackoff: false,
    signal,
  });
  runtime.metrics?.cycleFinished('ran', report);
  await runtime.repositories.cycles.record({
    finishedAt: clock.now(),
    feeds: report.feeds.length,
    failed: report.feeds.filter((feed) => feed.status === 'failed').length,
    alerts: report.alerts,
  });
  if (clock.now() - lastSweep.at >= SWEEP_INTERVAL_MS) {
    lastSweep.at = clock.now();
    const removed = await runtime.store.sweepExpired(clock.now());
    // Dead alerts wait DELIVERY_TTL for `wirewatch deliveries retry`; by then their story is past
    // MAX_ITEM_AGE and forgotten by the delivery records too.
    const dropped = await runtime.outbox.dropDeadBefore(clock.now() - config.poll.deliveryTtlMs);
    logger.debug({ removed, dead_dropped: dropped }, 'expired store entries swept');
    if (dropped > 0) logger.info({ dead_dropped: dropped }, 'dead alerts older than DELIVERY_TTL dropped from the outbox');
  }
  return report;
}

/** What /readyz checks: the store answers, a poll finished lately (on any replica), chat is connected. */
function readinessChecks(runtime: Runtime, periodMs: () => number): ReadinessCheck[] {
  const { clock } = runtime;
  return [
    {
      name: 'store',
      run: async () => {
        await runtime.store.get('readiness-probe');
        return { ok: true, detail: `${runtime.store.kind} answers` };
      },
    },
    {
      name: 'poll',
      run: async () => {
        const last = await runtime.repositories.cycles.last();
        // A few ticks' grace: a long cycle makes the next tick a no-op.
        const allowedMs = Math.max(3 * periodMs(), 60_000);
        if (!last) return { ok: false, detail: 'no poll cycle has finished yet' };
        const ageMs = clock.now() - last.finishedAt;
        const age = `the last poll finished ${Math.round(ageMs / 1000)} s ago`;
        return ageMs <= allowedMs ? { ok: true, detail: age } : { ok: false, detail: `${age}, more than ${Math.round(allowedMs / 1000)} s` };
      },
    },
    {
      name: 'chat',
      run: () => {
        const prefixes = runtime.platforms.map((platform) => ({ name: platform.prefix.replace(/:$/, ''), up: platform.connected() }));
        if (prefixes.length === 0) return Promise.resolve({ ok: true, detail: 'no chat platform configured: alerts go to the console' });
        const down = prefixes.filter((platform) => !platform.up).map((platform) => platform.name);
        return Promise.resolve(
          down.length === 0
            ? { ok: true, detail: `connected: ${prefixes.map((platform) => platform.name).join(', ')}` }
            : { ok: false, detail: `not connected: ${down.join(', ')}` },
        );
      },
    },
  ];
}

export async function runCommand({ io, loadConfig, createLogger }: CommandContext): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config);
  const runtime = await openRuntime(config, { logger, stdout: io.stdout, outputFormat: 'text', metrics: true });
  try {
    await assertWritable(runtime.store, runtime.clock.now());
  } catch (error) {
    await runtime.close();
    throw error;
  }
  io.stderr.write(startupBanner(config, `${runtime.store.kind} ${runtime.store.description}`));
  logger.info({ feeds: config.feeds.length, watchlists: config.watchlists.length, schedule: config.poll.schedule }, 'service started');

  // One HTTP server: health, readiness and metrics, and the chat platforms' webhooks if any.
  let scheduler: PollScheduler | null = null;
  const metrics = runtime.metrics;
  const routes = [
    ...healthRoutes({
      checks: readinessChecks(runtime, () => scheduler?.periodMs() ?? 60_000),
      metrics: () => (metrics ? metrics.render() : Promise.resolve({ contentType: 'text/plain', body: '' })),
    }),
    ...runtime.platforms.flatMap((platform) => platform.routes),
  ];
  let http: RunningHttpServer | null = null;
  try {
    http = await startHttpServer({ port: config.http.port, host: config.http.host, routes, logger });
    for (const platform of runtime.platforms) await platform.start();
  } catch (error) {
    await http?.stop();
    await runtime.close();
    throw error;
  }

  // One process owns a SQLite file: claims left in its outbox are from a run that died (a crash, a
  // kill -9), so they are due again now rather than when their lease lapses. Replicas sharing Redis
  // wait for the lease, since another replica may still be sending them.
  if (runtime.store.kind !== 'redis') {
    const released = await runtime.outbox.releaseClaimed(runtime.clock.now());
    if (released > 0) logger.info({ released }, 'alerts a previous run had claimed are due again');
  }
  const delivery = startDeliveryLoop({ worker: runtime.delivery, intervalMs: DELIVERY_INTERVAL_MS, batchSize: DELIVERY_BATCH, logger });
  const lastSweep: SweepState = { at: 0 };
  scheduler = startPollScheduler({
    expression: config.poll.schedule,
    // Replicas on one Redis: each tick runs on the replica that takes the poll lease. The lease is
    // held for half a period after the start, so a replica whose tick fires a little later for
    // the same slot finds it taken (decision 009); a single process always takes it.
    cycle: async (signal) => {
      const leased = await runWithLease(
        runtime.coordination.leases,
        'poll',
        { ttlMs: config.poll.leaseTtlMs, holdForMs: Math.floor((scheduler?.periodMs() ?? 60_000) / 2), clock: runtime.clock, logger },
        async (lost) => {
          logger.debug('poll cycle started');
          try {
            const report = await runServiceCycle(runtime, AbortSignal.any([signal, lost]), lastSweep);
            if (report.alerts > 0) delivery.kick();
          } catch (error) {
            metrics?.cycleFinished('failed');
            throw error;
          }
        },
      );
      if (!leased.ran) {
        metrics?.cycleFinished('skipped');
        logger.debug('poll tick skipped: another replica is polling');
      }
    },
    logger,
  });
  const stopped = new Promise<string>((resolve) => {
    const remove = io.onShutdownSignal((signal) => {
      remove();
      resolve(signal);
    });
  });
  void scheduler.runNow();
  // Between cycles the process is idle; on Node 24 V8 gives the cycles' memory back only with this (decision 020).
  const memoryReducerAid = startMemoryReducerAid({ v8Version: process.versions.v8 });
  logger.debug({ v8: process.versions.v8, active: memoryReducerAid.active }, 'memory reducer aid');

  const signal = await stopped;
  logger.info({ signal, deadline_ms: config.shutdownTimeoutMs }, 'shutting down: no new polls or sends, finishing those in flight');
  // The poll and the sends in flight get the same deadline, side by side.
  const [poll, sends] = await Promise.all([scheduler.stop(config.shutdownTimeoutMs), delivery.stop(config.shutdownTimeoutMs)]);
  if (!poll.finishedInTime) logger.warn('the poll in flight did not finish in time and was aborted; it resumes next start');
  if (!sends.finishedInTime) logger.warn('a send in flight did not finish in time; its alert is sent again once its claim lapses (the delivery record stops a repeat)');
  memoryReducerAid.stop();
  for (const platform of runtime.platforms) await platform.stop();
  await http.stop();
  await runtime.close();
  logger.info('stopped');
  return EXIT.ok;
}
