/**
 * `npm run bench`: prints the figures recorded in BENCHMARKS.md.
 *   npm run bench             every benchmark
 *   npm run bench -- poll     only the poll cycle
 */
import { benchPollCycle, formatPollRows } from './poll-cycle.js';

const only = process.argv[2];

if (!only || only === 'poll') {
  console.log(`\n## Poll cycle: 1,000 local feeds × 50 items (node ${process.version})\n`);
  const result = await benchPollCycle();
  console.log(formatPollRows(result.rows));
  console.log(`feed size ${(result.feedBytes / 1024).toFixed(1)} KB; peak RSS ${result.peakRssMb.toFixed(0)} MB`);
}
