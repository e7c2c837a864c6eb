/**
 * The cost of the nesting bound (src/feeds/nesting.ts): its share of parsing the real-world feed
 * corpus, and how deeply nested HTML compares with the same number of flat tags.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFeedDocument } from '../src/feeds/parse.js';
import { flattenDeepNesting, MAX_NESTING } from '../src/feeds/nesting.js';
import { htmlToText } from '../src/feeds/text.js';

/** The shared fixtures sit beside the project folder (this file runs compiled, from dist-bench/bench/). */
const CORPUS = resolve(import.meta.dirname, '../../../shared/fixtures/feeds');

function feedFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return feedFiles(path);
    return /\.(xml|rss|atom|rdf)$/i.test(name) ? [path] : [];
  });
}

function timed(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

export async function benchNestingShare(): Promise<string> {
  const texts = feedFiles(CORPUS).map((path) => readFileSync(path, 'utf8'));
  let boundMs = 0;
  let parseMs = 0;
  // The first round warms up; the last is reported.
  for (let round = 0; round < 3; round++) {
    boundMs = 0;
    parseMs = 0;
    for (const text of texts) {
      boundMs += timed(() => flattenDeepNesting(text, MAX_NESTING, 'xml'));
      const started = performance.now();
      await parseFeedDocument(text, { baseUrl: null }).catch(() => null);
      parseMs += performance.now() - started;
    }
  }
  const megabytes = texts.reduce((sum, text) => sum + text.length, 0) / 1e6;
  return (
    `| corpus | files | MB | nesting pass ms | whole parse ms | share |\n|---|---:|---:|---:|---:|---:|\n` +
    `| shared feed corpus | ${texts.length} | ${megabytes.toFixed(1)} | ${boundMs.toFixed(0)} | ${parseMs.toFixed(0)} | ${((boundMs / parseMs) * 100).toFixed(1)}% |`
  );
}

export function benchDeepHtml(): string {
  const rows = ['| tags | nested ms | flat ms (baseline) | ratio |', '|---:|---:|---:|---:|'];
  for (const tags of [5_000, 80_000, 333_000]) {
    const nested = `${'<b>'.repeat(tags)}x${'</b>'.repeat(tags)}`;
    const flat = '<b>x</b>'.repeat(tags);
    htmlToText(nested.slice(0, 4_000));
    const nestedMs = timed(() => htmlToText(nested));
    const flatMs = timed(() => htmlToText(flat));
    rows.push(`| ${tags.toLocaleString('en')} | ${nestedMs.toFixed(0)} | ${flatMs.toFixed(0)} | ${(nestedMs / flatMs).toFixed(2)} |`);
  }
  return rows.join('\n');
}
