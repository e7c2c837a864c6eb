/**
 * `wirewatch match` end to end, as whole processes: a JSON-lines file of stories on stdin, the
 * answers written to a file. Three contenders, each a fresh `node` process, their order rotating
 * from one run to the next so that drift of a shared machine falls on all of them:
 *
 * - `wirewatch match`: `node dist/cli.js match --config FILE`, the real CLI;
 * - the alternation baseline (match-alternation-baseline.ts): one combined `\b(?:…)\b` RegExp per
 *   watchlist, flag `iu`, on title and description; it does less (no accent folding, no queries or
 *   fields, does not say which term matched);
 * - read+write JSON only (json-lines-floor.ts): readline, JSON.parse, a constant stringified;
 * - with `otherCli` (BENCH_MATCH_CLI_OTHER=path of another build's dist/cli.js), that build's
 *   `match` too, for before/after figures measured side by side.
 *
 * The stories are those of the matcher benchmark (makeStories, ~600 characters, one in ten naming
 * a term) with a link, a source and a language, every other one with its accents removed; the
 * watchlists are makeWatchlists' (ten terms each). Each process is started with
 * `--import cpu-report.js`, which writes its own CPU time (user + system) and peak RSS at exit;
 * wall time is measured around the spawn. Throughput is lines per CPU second.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeStories, makeTerms, makeWatchlists } from './matcher.js';

export const CONTENDERS = ['wirewatch match', 'alternation baseline', 'read+write JSON only', 'wirewatch match, other build'] as const;
type Contender = (typeof CONTENDERS)[number];

export interface MatchCliRow {
  contender: Contender;
  cpuS: number[];
  wallS: number[];
  maxRssMb: number[];
}

export interface MatchCliSize {
  terms: number;
  lines: number;
  runs: number;
  rows: MatchCliRow[];
  /** Lines on which wirewatch and the baseline name the same watchlists: among accent-free stories, and among all. */
  agreement: { plain: { same: number; total: number }; all: { same: number; total: number } };
  /** With another build: whether its output is byte for byte this build's. */
  otherBuildIdentical: boolean | null;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const withoutAccents = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '');

/** The input file: one JSON story a line; every other story has its accents removed. */
function writeInput(path: string, terms: readonly string[], lines: number): void {
  const stories = makeStories(lines, terms).map((story, i) => {
    const plain = i % 2 === 1;
    return JSON.stringify({
      title: plain ? withoutAccents(story.title) : story.title,
      description: plain ? withoutAccents(story.summary) : story.summary,
      link: `https://news.example/story/${i}`,
      source: 'Example News',
      language: 'en',
    });
  });
  writeFileSync(path, `${stories.join('\n')}\n`);
}

function commandOf(contender: Contender, root: string, config: string, otherCli: string | undefined): string[] {
  switch (contender) {
    case 'wirewatch match, other build':
      return [otherCli!, 'match', '--config', config];
    case 'wirewatch match':
      return [join(root, 'dist/cli.js'), 'match', '--config', config];
    case 'alternation baseline':
      return [join(root, 'dist-bench/bench/match-alternation-baseline.js'), config];
    case 'read+write JSON only':
      return [join(root, 'dist-bench/bench/json-lines-floor.js')];
  }
}

/** One timed process: stdin from `input`, stdout to `output`. */
function runOnce(root: string, dir: string, args: string[], input: string, output: string): { cpuS: number; wallS: number; maxRssMb: number } {
  const report = join(dir, 'cpu.json');
  const stdin = openSync(input, 'r');
  const stdout = openSync(output, 'w');
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(root, 'dist-bench/bench/cpu-report.js')).href, ...args], {
    stdio: [stdin, stdout, 'pipe'],
    cwd: dir,
    env: { PATH: process.env['PATH'], BENCH_CPU_REPORT: report },
    encoding: 'utf8',
  });
  const wallS = (performance.now() - started) / 1000;
  closeSync(stdin);
  closeSync(stdout);
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const used = JSON.parse(readFileSync(report, 'utf8')) as { userUs: number; systemUs: number; maxRssKb: number };
  return { cpuS: (used.userUs + used.systemUs) / 1e6, wallS, maxRssMb: used.maxRssKb / 1024 };
}

/** Per line, whether both outputs name the same watchlists; every line must be an answer, not an error. */
function agreement(input: string, ours: string, theirs: string): MatchCliSize['agreement'] {
  const stories = readFileSync(input, 'utf8').trimEnd().split('\n');
  const a = readFileSync(ours, 'utf8').trimEnd().split('\n');
  const b = readFileSync(theirs, 'utf8').trimEnd().split('\n');
  if (a.length !== stories.length || b.length !== stories.length) throw new Error(`${stories.length} lines in, ${a.length} and ${b.length} out`);
  const result = { plain: { same: 0, total: 0 }, all: { same: 0, total: 0 } };
  for (let i = 0; i < stories.length; i++) {
    const x = JSON.parse(a[i]!) as { watchlists?: string[]; error?: string };
    const y = JSON.parse(b[i]!) as { watchlists?: string[]; error?: string };
    if (!x.watchlists || !y.watchlists) throw new Error(`line ${i + 1} answered with an error: ${x.error ?? y.error}`);
    const same = [...x.watchlists].sort().join(',') === [...y.watchlists].sort().join(',');
    const plain = !/[^\u0000-\u007f]/.test(stories[i]!);
    result.all.total++;
    if (same) result.all.same++;
    if (plain) {
      result.plain.total++;
      if (same) result.plain.same++;
    }
  }
  return result;
}

export function benchMatchCli(root: string, options: { sizes?: number[]; lines?: number; runs?: number; otherCli?: string } = {}): MatchCliSize[] {
  const sizes = options.sizes ?? [10, 1000];
  const lines = options.lines ?? 50_000;
  const runs = options.runs ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-match-cli-'));
  try {
    return sizes.map((size) => {
      const terms = makeTerms(size);
      const input = join(dir, `stories-${size}.jsonl`);
      const config = join(dir, `watchlists-${size}.json`);
      writeInput(input, terms, lines);
      // JSON is YAML too: the CLI reads this file as its config, the baseline with JSON.parse.
      writeFileSync(config, JSON.stringify({ watchlists: makeWatchlists(terms) }));
      const contenders = CONTENDERS.filter((contender) => contender !== 'wirewatch match, other build' || options.otherCli !== undefined);
      const rows: MatchCliRow[] = contenders.map((contender) => ({ contender, cpuS: [], wallS: [], maxRssMb: [] }));
      for (let run = 0; run < runs; run++) {
        for (let k = 0; k < rows.length; k++) {
          const row = rows[(run + k) % rows.length]!;
          const output = join(dir, `out-${CONTENDERS.indexOf(row.contender)}.jsonl`);
          const measured = runOnce(root, dir, commandOf(row.contender, root, config, options.otherCli), input, output);
          row.cpuS.push(measured.cpuS);
          row.wallS.push(measured.wallS);
          row.maxRssMb.push(measured.maxRssMb);
        }
      }
      const otherBuildIdentical = options.otherCli === undefined ? null : readFileSync(join(dir, 'out-0.jsonl')).equals(readFileSync(join(dir, 'out-3.jsonl')));
      return { terms: size, lines, runs, rows, agreement: agreement(input, join(dir, 'out-0.jsonl'), join(dir, 'out-1.jsonl')), otherBuildIdentical };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const percent = (part: { same: number; total: number }) => `${((part.same / part.total) * 100).toFixed(2)}% of ${part.total.toLocaleString('en-US')}`;

export function formatMatchCliRows(sizes: MatchCliSize[]): string {
  const out = [
    '| terms | process | lines per CPU second | CPU s (median) | low–high | wall s (median) | peak RSS | vs baseline |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const size of sizes) {
    const baseline = median(size.rows.find((row) => row.contender === 'alternation baseline')!.cpuS);
    for (const row of size.rows) {
      const cpu = median(row.cpuS);
      out.push(
        `| ${size.terms.toLocaleString('en-US')} | ${row.contender} | ${(size.lines / cpu).toFixed(0)} | ${cpu.toFixed(2)} | ${Math.min(...row.cpuS).toFixed(2)}–${Math.max(...row.cpuS).toFixed(2)} | ${median(row.wallS).toFixed(2)} | ${median(row.maxRssMb).toFixed(0)} MB | ${(baseline / cpu).toFixed(2)}× |`,
      );
    }
  }
  out.push('');
  for (const size of sizes) {
    out.push(
      `${size.terms.toLocaleString('en-US')} terms, ${size.lines.toLocaleString('en-US')} lines, ${size.runs} runs of each: wirewatch and the baseline name the same watchlists on ${percent(size.agreement.plain)} accent-free lines, ${percent(size.agreement.all)} lines in all` +
        (size.otherBuildIdentical === null ? '' : `; the other build's output is ${size.otherBuildIdentical ? 'byte for byte the same' : 'DIFFERENT'}`),
    );
  }
  return out.join('\n');
}
