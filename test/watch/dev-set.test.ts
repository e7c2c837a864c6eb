/**
 * The shipped watchlists against the labelled development headlines, through the real
 * `wirewatch match` command: precision and recall per watchlist and language, printed, and held
 * to the quality bar (both ≥ 0.95 for each watchlist in English and in Spanish).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HEADLINES_DEV, fixturesMissingReason } from '../helpers/shared-fixtures.js';
import { formatScores, score, type LabelledItem } from '../helpers/evaluate.js';

const QUALITY_BAR = 0.95;
const missing = fixturesMissingReason(HEADLINES_DEV);
if (missing) console.warn(missing);

describe.skipIf(missing)('default watchlists on the development headlines', () => {
  it('wirewatch match answers every line and the scores are printed', async () => {
    const input = readFileSync(HEADLINES_DEV, 'utf8');
    const items = input.trim().split('\n').map((line) => JSON.parse(line) as LabelledItem);
    const result = await runCli(['match'], { input });
    expect(result.code).toBe(0);
    const outputs = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { watchlists: string[] });
    expect(outputs).toHaveLength(items.length);
    const scores = score(items, outputs.map((o) => o.watchlists), ['extradition', 'tariffs', 'cartel_leaders']);
    console.log(`\nDefault watchlists on ${items.length} development headlines:\n${formatScores(scores)}\n`);
    for (const s of scores.filter((row) => row.language !== 'all')) {
      expect(s.precision, `${s.watchlist} precision (${s.language})`).toBeGreaterThanOrEqual(QUALITY_BAR);
      expect(s.recall, `${s.watchlist} recall (${s.language})`).toBeGreaterThanOrEqual(QUALITY_BAR);
    }
  });
});
