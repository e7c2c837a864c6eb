/**
 * Matching one very long, repetitive story with the shipped watchlists: a title repeating
 * "Tariffs on Mexico. " from 5 KB to 720 KB, doubling, matched and listed as `wirewatch
 * match` does. Near-linear evaluation means each doubling of the size about doubles the time
 * (until the cap on occurrences per term is reached, after which the time is that of folding and
 * scanning alone). The baseline, in the same process, is one ordinary headline.
 */
import { resolve } from 'node:path';
import { loadConfigFile } from '../src/config/file.js';
import { compileWatchlists, type MatchInput, type WatchlistMatcher } from '../src/watch/matcher.js';
import { listMatches } from '../src/watch/explain.js';

/** BENCH_LONG_SIZES=45,90 measures other sizes (an older build would take minutes at 360 KB). */
const SIZES_KB = (process.env['BENCH_LONG_SIZES'] ?? '5,10,20,40,90,180,360,720').split(',').map(Number);
const HEADLINE = 'Tariffs on Mexico. ';

export interface LongStoryRow {
  kilobytes: number;
  ms: number;
  watchlists: string[];
}

function timeOnce(matcher: WatchlistMatcher, input: MatchInput): { ms: number; watchlists: string[] } {
  const started = performance.now();
  const result = matcher.match(input);
  listMatches(result.matches);
  return { ms: performance.now() - started, watchlists: result.watchlists };
}

export function benchLongStory(projectRoot: string): { rows: LongStoryRow[]; headlineMs: number } {
  const config = loadConfigFile(resolve(projectRoot, 'config/default.yaml'));
  if (!config.ok) throw new Error(`config/default.yaml does not load: ${JSON.stringify(config.problems)}`);
  const matcher = compileWatchlists(config.value.watchlists, config.value.entities);
  const headline: MatchInput = { title: 'Trump announces new tariffs on Mexico', summary: '', language: 'en' };
  for (let i = 0; i < 1000; i++) matcher.match(headline); // warm-up
  const started = performance.now();
  for (let i = 0; i < 1000; i++) matcher.match(headline);
  const headlineMs = (performance.now() - started) / 1000;
  const rows = SIZES_KB.map((kilobytes) => {
    const title = HEADLINE.repeat(Math.round((kilobytes * 1024) / HEADLINE.length));
    const input: MatchInput = { title, summary: '', language: 'en' };
    // Repeated for at least half a second (a slow run once), the median reported.
    const runs = [timeOnce(matcher, input)];
    let spent = runs[0]!.ms;
    while (spent < 500) {
      const run = timeOnce(matcher, input);
      runs.push(run);
      spent += run.ms;
    }
    const median = runs.sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
    return { kilobytes, ms: median.ms, watchlists: median.watchlists };
  });
  return { rows, headlineMs };
}

export function formatLongStoryRows({ rows, headlineMs }: { rows: LongStoryRow[]; headlineMs: number }): string {
  const lines = ['| title | match + list, ms (median) | × previous size | × one headline | watchlists |', '|---:|---:|---:|---:|---|'];
  rows.forEach((row, i) => {
    const growth = i === 0 ? '' : `${(row.ms / rows[i - 1]!.ms).toFixed(1)}×`;
    lines.push(`| ${row.kilobytes} KB | ${row.ms.toFixed(1)} | ${growth} | ${Math.round(row.ms / headlineMs).toLocaleString('en')}× | ${row.watchlists.join(', ')} |`);
  });
  lines.push('', `one headline: ${(headlineMs * 1000).toFixed(1)} µs`);
  return lines.join('\n');
}
