/**
 * `npm run bench`: prints the figures recorded in BENCHMARKS.md.
 *   npm run bench             every benchmark
 *   npm run bench -- poll     only the poll cycle
 *   npm run bench -- match    only the matcher
 */
import { benchPollCycle, formatPollRows } from './poll-cycle.js';
import { benchMatcher, formatMatcherRows } from './matcher.js';

const only = process.argv[2];

if (!only || only === 'match') {
  console.log(`\n## Matcher: 10,000 stories of ~600 characters (node ${process.version})\n`);
  console.log(formatMatcherRows(benchMatcher()));
}

if (!only || only === 'poll') {
  console.log(`\n## Poll cycle: 1,000 local feeds × 50 items (node ${process.version})\n`);
  const result = await benchPollCycle();
  console.log(formatPollRows(result.rows));
  console.log(`feed size ${(result.feedBytes / 1024).toFixed(1)} KB; peak RSS ${result.peakRssMb.toFixed(0)} MB`);
}
