/**
 * `npm run bench`: prints the figures recorded in BENCHMARKS.md.
 *   npm run bench             every benchmark, each in a fresh process
 *   npm run bench -- match    only the matcher
 *   npm run bench -- poll     only the poll cycle
 *   npm run bench -- hostile  only the cost of the nesting bound on feed text
 *
 * Each benchmark runs in its own process and imports only what it measures: the matcher was
 * measured up to 40% slower in a process that had merely loaded the network and Redis client
 * libraries the poll benchmark needs (see BENCHMARKS.md).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const only = process.argv[2];

if (only === 'match') {
  const { benchMatcher, formatMatcherRows } = await import('./matcher.js');
  console.log(`\n## Matcher: 10,000 stories of ~600 characters (node ${process.version})\n`);
  console.log(formatMatcherRows(benchMatcher()));
} else if (only === 'poll') {
  const { benchPollCycle, formatPollRows } = await import('./poll-cycle.js');
  console.log(`\n## Poll cycle: 1,000 local feeds × 50 items (node ${process.version})\n`);
  const result = await benchPollCycle();
  console.log(formatPollRows(result.rows));
  console.log(`feed size ${(result.feedBytes / 1024).toFixed(1)} KB; peak RSS ${result.peakRssMb.toFixed(0)} MB`);
} else if (only === 'hostile') {
  const { benchNestingShare, benchDeepHtml } = await import('./hostile.js');
  console.log(`\n## Nesting bound (node ${process.version})\n`);
  console.log(await benchNestingShare());
  console.log('');
  console.log(benchDeepHtml());
} else if (only === undefined) {
  for (const benchmark of ['match', 'poll', 'hostile']) {
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), benchmark], { stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
} else {
  console.error(`unknown benchmark "${only}": use match, poll or hostile`);
  process.exit(2);
}
