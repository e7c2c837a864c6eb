/**
 * `npm run bench`: prints the figures recorded in BENCHMARKS.md.
 *   npm run bench             every benchmark, each in a fresh process
 *   npm run bench -- match    only the matcher
 *   npm run bench -- match-beside  the matcher in fresh processes that first load @redis/client, undici,
 *                             both or neither, alternating (BENCH_ALTERNATIONS per layout, default 6)
 *   npm run bench -- match-cli  `wirewatch match` end to end in fresh processes, against one alternation
 *                             RegExp per watchlist and against reading and writing the JSON alone, at 10 and
 *                             1,000 terms (BENCH_MATCH_CLI_LINES lines, default 50,000; BENCH_MATCH_CLI_RUNS
 *                             runs of each, default 5; BENCH_MATCH_CLI_OTHER=another build's dist/cli.js adds
 *                             its `match` as a row, for before/after figures)
 *   npm run bench -- news     the poll cycle with news against undici, rss-parser and alternation RegExps alone, in-process (with
 *                             seven more 304 pairs there, reported as medians, and each news round again with no
 *                             watchlists: the spine alone) and
 *                             whole-process, for 100, 1,000 and 3,000 feeds (BENCH_NEWS_FEEDS=100,1000 sets the counts)
 *   npm run bench -- hostile  only the cost of the nesting bound on feed text
 *   npm run bench -- long     one very long repetitive story, doubling in size
 *   npm run bench -- tenants  10,000 watchlists in one matcher
 *   npm run bench -- alerts   500 stories × 1,000 matching watchlists (each layout in its own process)
 *   npm run bench -- outbox   deliveries through the outbox (memory, SQLite, Redis) to a sink that answers at once
 *   npm run bench -- events   story grouping: one assignment with 10,000 stories in the window
 *   npm run bench -- service  `wirewatch run` at rest on 1,000 feeds a minute: one replica, then two on one Redis
 *                             (about four minutes a layout; BENCH_SERVICE_WINDOW=seconds sets the window, default 180;
 *                             each replica gets the image's NODE_OPTIONS, or BENCH_SERVICE_NODE_OPTIONS when set, '' for none)
 *   npm run bench -- store    the SQLite store's size over 48 simulated hours of news on 200 feeds, delivered,
 *                             with TTLs of hours: how much each alert adds, and that growth stops once they turn over
 *
 * Each benchmark runs in its own process and imports only what it measures: the matcher runs about
 * 40% slower in a process that has loaded the Redis client (see BENCHMARKS.md, `-- match-beside`).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const only = process.argv[2];

if (only === 'match') {
  const { benchMatcher, formatMatcherRows } = await import('./matcher.js');
  console.log(`\n## Matcher: 10,000 stories of ~600 characters (node ${process.version})\n`);
  console.log(formatMatcherRows(benchMatcher()));
} else if (only === 'match-beside') {
  const { benchMatcherBeside, formatBesideRows } = await import('./matcher-beside.js');
  const alternations = Number(process.env['BENCH_ALTERNATIONS'] ?? 6);
  console.log(`\n## Matcher beside other libraries: 1,000 terms, ${alternations} fresh processes per layout (node ${process.version})\n`);
  console.log(formatBesideRows(benchMatcherBeside(import.meta.url, alternations)));
} else if (only === 'match-beside-child') {
  const { matchBesideChild } = await import('./matcher-beside.js');
  console.log(JSON.stringify(await matchBesideChild(process.argv[3]!)));
} else if (only === 'news') {
  const { formatNewsRows, marginal304, ROUNDS } = await import('./news-cycle.js');
  const counts = (process.env['BENCH_NEWS_FEEDS'] ?? '100,1000,3000').split(',').map(Number);
  console.log(`\n## The poll cycle with news against the libraries alone: ${counts.join(', ')} feeds, ${ROUNDS} news rounds (node ${process.version})`);
  const results: Record<string, { feeds: number; rows: import('./news-cycle.js').CycleRow[] }[]> = { in: [], whole: [] };
  for (const feeds of counts) {
    for (const layout of ['in', 'whole'] as const) {
      const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `news-${layout}`, String(feeds)], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
      if (run.status !== 0) process.exit(run.status ?? 1);
      const rows = JSON.parse(run.stdout.toString()) as import('./news-cycle.js').CycleRow[];
      results[layout]!.push({ feeds, rows });
      console.log(`\n### ${feeds.toLocaleString('en-US')} feeds, ${layout === 'in' ? 'in-process' : 'whole-process'}\n`);
      console.log(formatNewsRows(rows, feeds, layout === 'whole'));
    }
  }
  for (const layout of ['in', 'whole'] as const) {
    const sizes = results[layout]!;
    for (let i = 1; i < sizes.length; i++) {
      const m = marginal304(sizes[i - 1]!, sizes[i]!);
      console.log(`${layout === 'in' ? 'in-process' : 'whole-process'} all-304, marginal CPU per feed from ${sizes[i - 1]!.feeds} to ${sizes[i]!.feeds} feeds: wirewatch ${m.wirewatch.toFixed(3)} ms, undici ${m.undici.toFixed(3)} ms`);
    }
  }
} else if (only === 'news-in' || only === 'news-whole') {
  const { benchNewsInProcess, benchNewsWholeProcess } = await import('./news-cycle.js');
  const feeds = Number(process.argv[3]);
  console.log(JSON.stringify(only === 'news-in' ? await benchNewsInProcess(feeds) : await benchNewsWholeProcess(feeds)));
} else if (only === 'match-cli') {
  const { benchMatchCli, formatMatchCliRows } = await import('./match-cli.js');
  const lines = Number(process.env['BENCH_MATCH_CLI_LINES'] ?? 50_000);
  const runs = Number(process.env['BENCH_MATCH_CLI_RUNS'] ?? 5);
  console.log(`\n## \`wirewatch match\` end to end: ${lines.toLocaleString('en-US')} JSON lines, ${runs} fresh processes of each (node ${process.version})\n`);
  const otherCli = process.env['BENCH_MATCH_CLI_OTHER'];
  console.log(formatMatchCliRows(benchMatchCli(resolve(import.meta.dirname, '../..'), { lines, runs, ...(otherCli ? { otherCli } : {}) })));
} else if (only === 'hostile') {
  const { benchNestingShare, benchDeepHtml } = await import('./hostile.js');
  console.log(`\n## Nesting bound (node ${process.version})\n`);
  console.log(await benchNestingShare());
  console.log('');
  console.log(benchDeepHtml());
} else if (only === 'long') {
  const { benchLongStory, formatLongStoryRows } = await import('./long-story.js');
  console.log(`\n## One long repetitive story, shipped watchlists (node ${process.version})\n`);
  console.log(formatLongStoryRows(benchLongStory(resolve(import.meta.dirname, '../..'))));
} else if (only === 'tenants') {
  const { benchTenants, formatTenants } = await import('./tenants.js');
  console.log(`\n## 10,000 watchlists of ten terms (node ${process.version})\n`);
  console.log(formatTenants(benchTenants()));
} else if (only === 'alerts') {
  console.log(`\n## 500 stories × 1,000 watchlists that all match (node ${process.version})\n`);
  console.log('| layout | alerts | time | alerts/s | stories/s | peak RSS |\n|---|---:|---:|---:|---:|---:|');
  for (const layout of ['one-channel', 'many-channels']) {
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'alerts-layout', layout], { stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
} else if (only === 'alerts-layout') {
  const { benchAlerts, formatAlerts } = await import('./tenants.js');
  console.log(formatAlerts(benchAlerts(process.argv[3] as 'one-channel' | 'many-channels')));
} else if (only === 'outbox') {
  const { benchOutbox, formatOutboxRows, THROUGHPUT_ALERTS, CHANNELS, LATENCY_ALERTS } = await import('./outbox.js');
  console.log(`\n## Outbox: ${THROUGHPUT_ALERTS.toLocaleString('en-US')} alerts over ${CHANNELS} channels, then ${LATENCY_ALERTS} one at a time (node ${process.version})\n`);
  const { rows, skipped } = await benchOutbox();
  console.log(formatOutboxRows(rows));
  for (const line of skipped) console.log(line);
} else if (only === 'events') {
  const { benchEvents, formatEventsRows } = await import('./events.js');
  console.log(`\n## Story grouping: one assignment with 10,000 stories in the window (node ${process.version})\n`);
  const { rows, agreement, windowStories, f1 } = await benchEvents(resolve(import.meta.dirname, '../..'));
  console.log(formatEventsRows(rows));
  console.log(`${windowStories.toLocaleString('en-US')} stories in the window before the timed ones; index and baseline put ${(agreement * 100).toFixed(1)}% of the timed stories in the same event`);
  console.log(`B3-F1 of the timed stories against the generator's events: index ${f1.index.toFixed(3)}, baseline ${f1.baseline.toFixed(3)}`);
} else if (only === 'service') {
  const { benchService, formatServiceRows, REPLICA_NODE_OPTIONS } = await import('./service.js');
  const windowS = Number(process.env['BENCH_SERVICE_WINDOW'] ?? 180);
  console.log(`\n## The service at rest: 1,000 feeds polled every minute, all 304 after the first cycle (node ${process.version}, NODE_OPTIONS=${REPLICA_NODE_OPTIONS || '(none)'})\n`);
  const { rows, skipped } = await benchService(windowS);
  console.log(formatServiceRows(rows));
  for (const line of skipped) console.log(line);
} else if (only === 'store') {
  const { benchStoreGrowth, formatGrowthRow, formatRowSizes, growthHeader, STORE_GROWTH_DEFAULTS: o } = await import('./store-growth.js');
  const ttls = Object.entries(o.env).map(([name, value]) => `${name}=${value}`).join(', ');
  console.log(`\n## Store growth: ${o.feeds} feeds, 10 new items a round each (latest ${o.keep} kept), a round every ${o.periodMs / 3_600_000} h for ${o.rounds} rounds, ${ttls} (node ${process.version})\n`);
  console.log(growthHeader());
  let base: Parameters<typeof formatGrowthRow>[1];
  const rows = await benchStoreGrowth(o, (row) => {
    base ??= row;
    console.log(formatGrowthRow(row, base));
  });
  console.log(`\nkey and value text per row at the end: ${formatRowSizes(rows.at(-1)!)}`);
} else if (only === undefined) {
  for (const benchmark of ['match', 'match-beside', 'match-cli', 'news', 'hostile', 'long', 'tenants', 'alerts', 'outbox', 'events', 'service', 'store']) {
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), benchmark], { stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
} else {
  console.error(`unknown benchmark "${only}": use match, match-beside, match-cli, news, hostile, long, tenants, alerts, outbox, events, service or store`);
  process.exit(2);
}
