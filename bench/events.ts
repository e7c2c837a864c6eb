/**
 * Story grouping: the cost of assigning one story with 10,000 stories in the window.
 *
 * 12,000 synthetic stories (bench/story-generator.ts: events of the desk's kinds reported one to
 * six times in English or Spanish, and everyday noise) over 54 hours, so none leaves the 72-hour
 * window. The first 10,000 fill it; each of the next 2,000 is timed on its own — terms, index
 * look-up, scoring, joining — and p50/p99 reported. The baseline, in the same process, starts
 * from the same 10,000 stories and compares each new story with every open event (no index).
 * A third row times the same assignments with the state written to a SQLite file after each
 * one, as the service does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfigFile } from '../src/config/file.js';
import { EventClusterer, EventTracker, StoryVocabulary, type ClusterStory } from '../src/events/index.js';
import { createEventRepository, openStore } from '../src/store/index.js';
import { syntheticStories } from './story-generator.js';

const HOUR = 3600_000;
const WINDOW = 72 * HOUR;
const FILL = 10_000;
const MEASURED = 2_000;
const PERSISTED = 500;

export interface EventsRow {
  name: string;
  stories: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  openEvents: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function row(name: string, timesMs: number[], openEvents: number): EventsRow {
  const sorted = [...timesMs].sort((a, b) => a - b);
  return {
    name,
    stories: timesMs.length,
    p50Us: percentile(sorted, 0.5) * 1000,
    p99Us: percentile(sorted, 0.99) * 1000,
    maxUs: sorted.at(-1)! * 1000,
    openEvents,
  };
}

function timeEach(clusterer: EventClusterer, stories: readonly ClusterStory[]): { times: number[]; ids: string[] } {
  const times: number[] = [];
  const ids: string[] = [];
  for (const story of stories) {
    const started = performance.now();
    ids.push(clusterer.assign(story).eventId);
    times.push(performance.now() - started);
  }
  return { times, ids };
}

/** B-cubed F1 of `predicted` against `gold` (the generator's events), over the same items. */
function bcubedF1(gold: readonly number[], predicted: readonly string[]): number {
  let precision = 0;
  let recall = 0;
  gold.forEach((event, i) => {
    let together = 0;
    let sameCluster = 0;
    let sameEvent = 0;
    gold.forEach((other, j) => {
      const cluster = predicted[j] === predicted[i];
      if (cluster) sameCluster++;
      if (other === event) sameEvent++;
      if (cluster && other === event) together++;
    });
    precision += together / sameCluster;
    recall += together / sameEvent;
  });
  precision /= gold.length;
  recall /= gold.length;
  return (2 * precision * recall) / (precision + recall);
}

export async function benchEvents(
  packageRoot: string,
): Promise<{ rows: EventsRow[]; agreement: number; windowStories: number; f1: { index: number; baseline: number } }> {
  const file = loadConfigFile(resolve(packageRoot, 'config/default.yaml'));
  if (!file.ok) throw new Error('the shipped config does not load');
  const vocabulary = new StoryVocabulary(file.value.entities);
  const stories = syntheticStories(FILL + MEASURED, { seed: 7, spanMs: 54 * HOUR });
  const fill = stories.slice(0, FILL);
  const measured = stories.slice(FILL);

  const indexed = new EventClusterer({ vocabulary, windowMs: WINDOW });
  for (const story of fill) indexed.assign(story);
  const filled = indexed.records().map((record) => structuredClone(record));
  const windowStories = filled.reduce((sum, record) => sum + record.storyCount, 0);
  const now = fill.at(-1)!.publishedAt;

  const exhaustive = new EventClusterer({ vocabulary, windowMs: WINDOW, exhaustive: true });
  exhaustive.load(filled.map((record) => structuredClone(record)), now);

  // Warm both up on stories of another seed, then start both again from the same window.
  for (const story of syntheticStories(300, { seed: 99, startAt: now - HOUR, spanMs: HOUR })) {
    indexed.assign(story);
    exhaustive.assign(story);
  }
  indexed.load(filled.map((record) => structuredClone(record)), now);
  exhaustive.load(filled.map((record) => structuredClone(record)), now);

  const ours = timeEach(indexed, measured);
  const baseline = timeEach(exhaustive, measured);
  const agreement = ours.ids.filter((id, index) => id === baseline.ids[index]).length / measured.length;
  const gold = measured.map((story) => story.event);
  const f1 = { index: bcubedF1(gold, ours.ids), baseline: bcubedF1(gold, baseline.ids) };

  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-bench-events-'));
  const persistedTimes: number[] = [];
  try {
    const store = await openStore(`sqlite://${join(dir, 'events.sqlite')}`);
    const repository = createEventRepository(store, { windowMs: WINDOW });
    // The same window, written once, then a tracker that reads it back as at a start-up.
    const writer = new EventClusterer({ vocabulary, windowMs: WINDOW });
    writer.load(filled.map((record) => structuredClone(record)), now);
    await repository.save({ changed: writer.records(), closed: [] }, now);
    const tracker = await EventTracker.open(new EventClusterer({ vocabulary, windowMs: WINDOW }), repository, now);
    for (const story of measured.slice(0, PERSISTED)) {
      const started = performance.now();
      await tracker.assign(story, story.publishedAt);
      persistedTimes.push(performance.now() - started);
    }
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  return {
    rows: [
      row('wirewatch: index by term, rarest anchor terms first', ours.times, indexed.size),
      row('baseline: compare with every open event', baseline.times, exhaustive.size),
      row('wirewatch, state written to a SQLite file after each story', persistedTimes, 0),
    ],
    agreement,
    windowStories,
    f1,
  };
}

export function formatEventsRows(rows: readonly EventsRow[]): string {
  const lines = ['| assignment | stories timed | p50 | p99 | max | open events after |', '|---|---:|---:|---:|---:|---:|'];
  const us = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(0)} µs`);
  for (const r of rows) lines.push(`| ${r.name} | ${r.stories.toLocaleString('en-US')} | ${us(r.p50Us)} | ${us(r.p99Us)} | ${us(r.maxUs)} | ${r.openEvents ? r.openEvents.toLocaleString('en-US') : '—'} |`);
  return lines.join('\n');
}
