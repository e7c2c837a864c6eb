/**
 * `wirewatch poll --once [--feed URL]... [--dry-run] [--json]`: one cycle, then exit.
 * --feed tries feeds that are not configured ("would this feed work, and what would it send?").
 */
import { feedIdFromUrl } from '../config/index.js';
import type { FeedSource } from '../feeds/feed-source.js';
import { WirewatchError } from '../errors.js';
import { redactUrl } from '../redact.js';
import { parseFeedUrl } from '../feeds/fetch/address-guard.js';
import { openRuntime, consoleSubscription } from '../app/runtime.js';
import { buildTargets, runPollCycle, type CycleReport } from '../pipeline/poll-cycle.js';
import { EXIT } from './io.js';
import type { DeliveryWorker } from '../delivery/worker.js';
import type { CommandContext } from './context.js';

/** URLs given with --feed, checked by the same rule the fetcher applies (http and https only). */
function adHocFeeds(urls: string[]): FeedSource[] {
  return urls.map((url) => {
    let parsed: URL;
    try {
      parsed = parseFeedUrl(url);
    } catch (error) {
      throw new WirewatchError('cli_usage', `--feed "${redactUrl(url)}": ${(error as Error).message}`);
    }
    return { id: feedIdFromUrl(parsed.href), url: parsed.href, name: null, language: null };
  });
}

function describe(report: CycleReport, dryRun: boolean): string {
  const by = (status: string) => report.feeds.filter((f) => f.status === status).length;
  const stories = report.feeds.reduce((sum, f) => sum + f.stories, 0);
  const parts = [`${report.feeds.length} feed(s)`, `${stories} stories`];
  if (by('baseline')) parts.push(`${by('baseline')} polled for the first time (recorded, no alerts)`);
  if (by('not-modified') + by('unchanged')) parts.push(`${by('not-modified') + by('unchanged')} unchanged`);
  if (by('failed')) parts.push(`${by('failed')} failed`);
  const rolled = report.rollUps > 0 ? ` (past the burst limit, ${report.rollUps} roll-up message(s) list the rest)` : '';
  const alerts = dryRun ? `${report.alerts} current item(s) match` : `${report.alerts} alert(s)${rolled}`;
  return `wirewatch: polled ${parts.join(', ')}; ${alerts}${dryRun ? ' (dry run: nothing recorded)' : ''}.\n`;
}

/** Rounds until nothing due is left (bounded: a failing sink leaves its alerts queued for `run`). */
async function deliverDueNow(worker: DeliveryWorker): Promise<number> {
  let delivered = 0;
  for (let round = 0; round < 1000; round++) {
    const result = await worker.deliverDue();
    delivered += result.delivered;
    if (result.claimed === 0) break;
  }
  return delivered;
}

export async function pollCommand({ io, values, loadConfig, createLogger }: CommandContext): Promise<number> {
  const config = loadConfig();
  const dryRun = values['dry-run'] === true;
  const feedUrls = (values['feed'] as string[] | undefined) ?? [];
  const feeds = feedUrls.length > 0 ? adHocFeeds(feedUrls) : config.feeds;
  const logger = createLogger(config);
  const runtime = await openRuntime(config, {
    logger,
    stdout: io.stdout,
    outputFormat: values['json'] === true ? 'json' : 'text',
    ...(dryRun ? { storeUrl: 'memory://' } : {}),
  });
  try {
    const targets = buildTargets(feeds, [consoleSubscription(config)]);
    const report = await runPollCycle(targets, runtime.pollContext, { dryRun, ignoreBackoff: true });
    // A real poll queued its alerts: send what is due now, and say what was sent.
    const sent = dryRun ? report.alerts : await deliverDueNow(runtime.delivery);
    io.stderr.write(describe({ ...report, alerts: sent }, dryRun));
    return report.feeds.some((feed) => feed.status === 'failed') ? EXIT.failure : EXIT.ok;
  } finally {
    await runtime.close();
  }
}
