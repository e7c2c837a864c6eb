/**
 * Open events kept in the store: on a real SQLite file and on the real Redis server (started by
 * the global setup). A restart in the middle of an event carries on with it; the window passing
 * deletes it; a replica taking over the poll cycle reloads what the other wrote. Each test uses
 * its own stretch of time, so tests sharing the Redis server do not see each other's events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfigFile } from '../../src/config/file.js';
import { createClusterer, EventTracker, type ClusterStory } from '../../src/events/index.js';
import { createEventRepository, openStore, type KeyValueStore } from '../../src/store/index.js';
import type { EntityDefinition } from '../../src/watch/definition.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { CENTROID_STORIES, LISTED_STORIES } from '../../src/events/clusterer.js';

const redisUrl = inject('redisUrl');
const redisSkipReason = inject('redisSkipReason');
if (!redisUrl) console.warn(`Redis event-state tests skipped: ${redisSkipReason}`);

const HOUR = 3600_000;
const WINDOW = 72 * HOUR;
let entities: EntityDefinition[];
let dir: string;
let stretch = 0;

beforeAll(() => {
  const file = loadConfigFile(resolve(PROJECT_ROOT, 'config/default.yaml'));
  if (!file.ok) throw new Error('the shipped config must load');
  entities = file.value.entities;
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-events-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A start time of its own for each test: 30 days after the previous one, in the past so TTLs run from now. */
function freshStart(): number {
  stretch++;
  return Date.now() - 400 * 24 * HOUR + stretch * 30 * 24 * HOUR + process.pid;
}

const english = (at: number): ClusterStory => ({
  title: 'Mexico sends 18 more cartel prisoners to the US',
  description: 'The 18 inmates, among them leaders of the Gulf Cartel, were flown from Mexico City on Wednesday.',
  language: 'en',
  publishedAt: at,
  link: 'https://outlet-a.example/18-prisoners',
});
const spanish = (at: number): ClusterStory => ({
  title: 'México envía a 18 reos más a Estados Unidos',
  description: 'Entre los 18 presos trasladados este miércoles hay líderes del Cártel del Golfo, informó el Gabinete de Seguridad.',
  language: 'es',
  publishedAt: at,
  link: 'https://outlet-b.example/18-reos',
});

interface Backend {
  name: string;
  skip: boolean;
  url: () => string;
}

const backends: Backend[] = [
  { name: 'sqlite', skip: false, url: () => `sqlite://${join(dir, 'events.sqlite')}` },
  { name: 'redis', skip: !redisUrl, url: () => redisUrl ?? 'redis://127.0.0.1:1' },
];

describe.each(backends.map((backend) => [backend.name, backend] as const))('open events on %s', (_name, backend) => {
  const opened: KeyValueStore[] = [];
  const open = async () => {
    const store = await openStore(backend.url());
    opened.push(store);
    return store;
  };
  const tracker = async (store: KeyValueStore, now: number) =>
    EventTracker.open(createClusterer({ entities, windowMs: WINDOW }), createEventRepository(store, { windowMs: WINDOW }), now);
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it.skipIf(backend.skip)('a restart in the middle of an event: the next report joins it, it is not new', async () => {
    const t0 = freshStart();
    const before = await open();
    const first = await (await tracker(before, t0)).assign(english(t0), t0);
    expect(first.isNew).toBe(true);
    await before.close();
    opened.splice(opened.indexOf(before), 1);

    const after = await open();
    const next = await (await tracker(after, t0 + 5 * HOUR)).assign(spanish(t0 + 5 * HOUR), t0 + 5 * HOUR);
    expect(next.isNew).toBe(false);
    expect(next.eventId).toBe(first.eventId);
    expect(next.event.storyCount).toBe(2);
    const stored = await createEventRepository(after, { windowMs: WINDOW }).loadOpen(t0 + 5 * HOUR);
    expect(stored.records.find((record) => record.id === first.eventId)?.stories.map((s) => s.link)).toEqual([
      'https://outlet-a.example/18-prisoners',
      'https://outlet-b.example/18-reos',
    ]);
  });

  it.skipIf(backend.skip)('the window passing: a later report opens a new event and the old one leaves the store', async () => {
    const t0 = freshStart();
    const store = await open();
    const events = await tracker(store, t0);
    const first = await events.assign(english(t0), t0);
    expect(await store.get(`event:${first.eventId}`)).toMatchObject({ id: first.eventId, storyCount: 1 });
    const late = t0 + WINDOW + HOUR;
    const next = await events.assign(spanish(late), late);
    expect(next.isNew).toBe(true);
    expect(await store.get(`event:${first.eventId}`)).toBeUndefined();
    const reloaded = await createEventRepository(store, { windowMs: WINDOW }).loadOpen(late);
    expect(reloaded.records.map((record) => record.id)).toEqual([next.eventId]);
  });

  it.skipIf(backend.skip)('a replica taking over reloads the events another one wrote', async () => {
    const t0 = freshStart();
    const first = await tracker(await open(), t0);
    const second = await tracker(await open(), t0);
    const opening = await first.assign(english(t0), t0);
    expect(await second.sync(t0 + HOUR)).toBe(true);
    expect(await second.sync(t0 + HOUR)).toBe(false);
    const followUp = await second.assign(spanish(t0 + HOUR), t0 + HOUR);
    expect(followUp.isNew).toBe(false);
    expect(followUp.eventId).toBe(opening.eventId);
  });
});

describe('an event record stays bounded', () => {
  it(`keeps ${LISTED_STORIES} stories listed and ${CENTROID_STORIES} in its centroid, and counts them all`, () => {
    const events = createClusterer({ entities, windowMs: WINDOW });
    const t0 = Date.UTC(2026, 0, 5);
    let id = '';
    for (let n = 0; n < 80; n++) {
      const report = n % 2 === 0 ? english(t0 + n * 60_000) : spanish(t0 + n * 60_000);
      const assignment = events.assign({ ...report, link: `https://outlet-${n}.example/` });
      if (n === 0) id = assignment.eventId;
      expect(assignment.eventId).toBe(id);
    }
    const record = events.record(id)!;
    expect(record.storyCount).toBe(80);
    expect(record.centroidStories).toBe(CENTROID_STORIES);
    expect(record.stories).toHaveLength(LISTED_STORIES);
    expect(record.stories[0]!.link).toBe('https://outlet-0.example/');
    expect(record.stories.at(-1)!.link).toBe('https://outlet-79.example/');
  });
});
