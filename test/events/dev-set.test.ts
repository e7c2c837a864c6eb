/**
 * Story grouping on the labelled development headlines, through the real `wirewatch cluster`
 * command: the items with a day-precise `published` date, in date order (ties in file order),
 * scored over the items with an `event` id. Printed with two baselines run on the same items —
 * every story its own event, and title-word Jaccard — and held to B3-F1 ≥ 0.93.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HEADLINES_DEV, fixturesMissingReason } from '../helpers/shared-fixtures.js';
import { everyStoryAlone, formatScore, scoreGrouping, titleJaccard } from '../helpers/clustering.js';

const QUALITY_BAR = 0.93;
const WINDOW_MS = 72 * 3600_000;
const missing = fixturesMissingReason(HEADLINES_DEV);
if (missing) console.warn(missing);

interface LabelledItem {
  title: string;
  description: string | null;
  url: string | null;
  published: string | null;
  language: string;
  event: string | null;
}

/** The items with a date that names the day (not "2025-02" or "2025"), in date order, ties in file order. */
function datedItems(): (LabelledItem & { publishedAt: number })[] {
  const items = readFileSync(HEADLINES_DEV, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LabelledItem);
  return items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => item.published !== null && /^\d{4}-\d{2}-\d{2}/.test(item.published))
    .map(({ item, index }) => ({ ...item, publishedAt: Date.parse(item.published!), index }))
    .sort((a, b) => a.publishedAt - b.publishedAt || a.index - b.index);
}

describe.skipIf(missing)('story grouping on the development headlines', () => {
  it('wirewatch cluster answers every line; B3-F1 and the baselines are printed', async () => {
    const items = datedItems();
    const input = items
      .map((item) => JSON.stringify({ title: item.title, description: item.description, language: item.language, published: item.published, link: item.url }))
      .join('\n');
    const result = await runCli(['cluster'], { input: `${input}\n` });
    expect(result.code, result.stderr).toBe(0);
    const outputs = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { cluster: string; new: boolean });
    expect(outputs).toHaveLength(items.length);

    const gold = items.map((item) => item.event);
    const ours = scoreGrouping(gold, outputs.map((output) => output.cluster));
    const alone = scoreGrouping(gold, everyStoryAlone(items));
    const jaccards = [0.2, 0.3, 0.4, 0.5].map((threshold) => ({ threshold, score: scoreGrouping(gold, titleJaccard(items, WINDOW_MS, threshold)) }));
    const jaccard = jaccards.reduce((best, next) => (next.score.f1 > best.score.f1 ? next : best));
    console.log(
      [
        '',
        `Story grouping on ${items.length} dated development headlines (${ours.items} with an event id, ${ours.multiStoryEvents} events with 2+ stories):`,
        formatScore('wirewatch cluster', ours),
        formatScore('every story its own event', alone),
        formatScore(`title-word Jaccard ≥ ${jaccard.threshold} (best of 0.2–0.5)`, jaccard.score),
        '',
      ].join('\n'),
    );
    expect(ours.f1).toBeGreaterThanOrEqual(QUALITY_BAR);
    // Every input line answered with an id, and "new" exactly once per cluster, on its first story.
    const seen = new Set<string>();
    for (const output of outputs) {
      expect(output.new).toBe(!seen.has(output.cluster));
      seen.add(output.cluster);
    }
  });
});
