/**
 * The matcher beside other libraries: the 1,000-term matcher of the matcher benchmark in fresh
 * processes that first import nothing, @redis/client, undici, or both (imported only, nothing
 * created), or that only create one object whose prototype is String.prototype (what
 * @redis/client's `class VerbatimString extends String` amounts to), the layouts alternating so
 * that drift of a shared machine falls on all of them. The rate is stories per second of CPU time
 * (user + system) of the timed loop. Each child also says whether V8 still keeps String.prototype
 * in fast mode (%HasFastProperties, hence --allow-natives-syntax for the children).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compileWatchlists } from '../src/watch/matcher.js';
import { makeStories, makeTerms, makeWatchlists } from './matcher.js';

export const LAYOUTS: Record<string, string[]> = {
  clean: [],
  '@redis/client': ['@redis/client'],
  undici: ['undici'],
  'undici + @redis/client': ['undici', '@redis/client'],
  'no library; Object.create(String.prototype)': [],
};

/** Kept reachable, so the object is not collected before the timed loop. */
export let stringPrototypeChild: unknown = null;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** V8's own answer; only in a process started with --allow-natives-syntax. */
function hasFastProperties(object: unknown): boolean {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8 intrinsics parse only in code compiled at run time.
  return (new Function('object', 'return %HasFastProperties(object)') as (o: unknown) => boolean)(object);
}

/** In the child: import the layout's libraries, then time the matcher; the median of five rounds. */
export async function matchBesideChild(layout: string, rounds = 5, budgetMs = 1000): Promise<{ cpuRate: number; wallRate: number; stringPrototypeFast: boolean }> {
  for (const library of LAYOUTS[layout] ?? []) await import(library);
  if (layout.endsWith('Object.create(String.prototype)')) stringPrototypeChild = Object.create(String.prototype);
  const terms = makeTerms(1000);
  const stories = makeStories(10_000, terms);
  const matcher = compileWatchlists(makeWatchlists(terms));
  for (const story of stories) matcher.match(story); // warm-up
  const cpuRates: number[] = [];
  const wallRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let done = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    while (performance.now() - started < budgetMs) {
      for (const story of stories) matcher.match(story);
      done += stories.length;
    }
    const wallS = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    cpuRates.push(done / ((used.user + used.system) / 1e6));
    wallRates.push(done / wallS);
  }
  return { cpuRate: median(cpuRates), wallRate: median(wallRates), stringPrototypeFast: hasFastProperties(String.prototype) };
}

export interface BesideRow {
  layout: string;
  cpuRates: number[];
  /** String.prototype in fast mode after the timed loops, in every child of the layout. */
  stringPrototypeFast: boolean[];
}

/** In the parent: `alternations` fresh processes per layout, the layouts in turn. */
export function benchMatcherBeside(entry: string, alternations: number): BesideRow[] {
  const rows: BesideRow[] = Object.keys(LAYOUTS).map((layout) => ({ layout, cpuRates: [], stringPrototypeFast: [] }));
  for (let i = 0; i < alternations; i++) {
    // Rotate the order too, so no layout always runs first or last.
    for (let j = 0; j < rows.length; j++) {
      const row = rows[(i + j) % rows.length]!;
      const run = spawnSync(process.execPath, ['--allow-natives-syntax', fileURLToPath(entry), 'match-beside-child', row.layout], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`match-beside-child ${row.layout} failed: ${run.stderr}`);
      const child = JSON.parse(run.stdout) as { cpuRate: number; stringPrototypeFast: boolean };
      row.cpuRates.push(child.cpuRate);
      row.stringPrototypeFast.push(child.stringPrototypeFast);
    }
  }
  return rows;
}

export function formatBesideRows(rows: BesideRow[]): string {
  const clean = median(rows[0]!.cpuRates);
  return [
    '| loaded first | stories per CPU second (median) | low–high | vs clean | String.prototype fast |',
    '|---|---:|---:|---:|---|',
    ...rows.map((row) => {
      const mid = median(row.cpuRates);
      const low = Math.min(...row.cpuRates);
      const high = Math.max(...row.cpuRates);
      return `| ${row.layout} | ${mid.toFixed(0)} | ${low.toFixed(0)}–${high.toFixed(0)} | ${(((mid - clean) / clean) * 100).toFixed(1)}% | ${[...new Set(row.stringPrototypeFast)].join(', ')} |`;
    }),
  ].join('\n');
}
