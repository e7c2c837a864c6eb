/**
 * A changed document is read with its recorded items left out of the parse. What must hold, on
 * small documents and on every file of the real-world corpus: each item still answers with the id
 * a whole parse gives it, whether it was parsed or known from the record.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFeedBody } from '../../src/feeds/decode.js';
import { readDocumentItems, type DocumentItems } from '../../src/pipeline/document-items.js';
import type { SeenRecord } from '../../src/store/repositories.js';
import { FEED_CORPUS, fixturesMissingReason, listCorpusFiles } from '../helpers/shared-fixtures.js';

const DOCUMENT_URL = 'https://news.example/feed.xml';
const context = { feedId: 'f', feedName: null, feedLanguage: null, documentUrl: DOCUMENT_URL, now: Date.UTC(2026, 0, 1) };

const item = (n: number, title = `Story ${n}`) =>
  `<item><title>${title}</title><link>https://news.example/${n}</link><description>Text of story ${n}.</description></item>`;
const rss = (...items: string[]) => `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>https://news.example/</link>${items.join('\n')}</channel></rss>`;

/** The record a poll would write after reading `read`: every item, with the key of its text. */
function recordOf(read: DocumentItems, previous?: SeenRecord): SeenRecord {
  const items: SeenRecord['items'] = new Map(previous?.items);
  for (const parsed of read.feed.items) {
    const key = read.segmentKeyOf(parsed);
    items.set(parsed.id, key === undefined ? [parsed.id, 0, 0] : [parsed.id, 0, 0, key]);
  }
  for (const known of read.known) items.set(known.id, [known.id, 0, 0, known.segmentKey]);
  return { baselineAt: 0, items };
}

const idsOf = (read: DocumentItems) => ({ parsed: read.feed.items.map((i) => i.id), known: read.known.map((k) => k.id) });

describe('readDocumentItems', () => {
  it('parses only the items whose text the record does not hold; the others answer with their recorded ids', async () => {
    const first = await readDocumentItems(rss(item(1), item(2), item(3)), context, undefined);
    expect(first.known).toEqual([]);
    const next = await readDocumentItems(rss(item(4), item(1), item(2), item(3)), context, recordOf(first));
    const whole = await readDocumentItems(rss(item(4), item(1), item(2), item(3)), context, undefined);
    expect(idsOf(next)).toEqual({ parsed: [whole.feed.items[0]!.id], known: whole.feed.items.slice(1).map((i) => i.id) });
    expect(next.feed.stories(next.feed.items).map((s) => s.title)).toEqual(['Story 4']);
  });

  it('an item whose text changed is parsed again, and keeps its id (same link)', async () => {
    const first = await readDocumentItems(rss(item(1), item(2)), context, undefined);
    const next = await readDocumentItems(rss(item(1, 'Story 1, updated'), item(2)), context, recordOf(first));
    expect(next.feed.items.map((i) => i.id)).toEqual([first.feed.items[0]!.id]);
    expect(next.known.map((k) => k.id)).toEqual([first.feed.items[1]!.id]);
  });

  it('a record made at another document URL is not used', async () => {
    const first = await readDocumentItems(rss(item(1), item(2)), context, undefined);
    const moved = await readDocumentItems(rss(item(1), item(2)), { ...context, documentUrl: 'https://elsewhere.example/feed.xml' }, recordOf(first));
    expect(moved.known).toEqual([]);
    expect(moved.feed.items).toHaveLength(2);
  });

  it('a record without keys (written before they existed) parses the whole document', async () => {
    const first = await readDocumentItems(rss(item(1), item(2)), context, undefined);
    const keyless: SeenRecord = { baselineAt: 0, items: new Map(first.feed.items.map((i) => [i.id, [i.id, 0, 0]])) };
    const next = await readDocumentItems(rss(item(1), item(2)), context, keyless);
    expect(next.known).toEqual([]);
    expect(next.feed.items.map((i) => i.id)).toEqual(first.feed.items.map((i) => i.id));
  });

  it('every item known: the document around them is still read, with no items', async () => {
    const first = await readDocumentItems(rss(item(1), item(2)), context, undefined);
    const next = await readDocumentItems(rss(item(1), item(2)).replace('<title>News</title>', '<title>News, renamed</title>'), context, recordOf(first));
    expect(idsOf(next)).toEqual({ parsed: [], known: first.feed.items.map((i) => i.id) });
  });
});

const missing = fixturesMissingReason(FEED_CORPUS);
if (missing !== null) console.log(`document-items corpus tests: ${missing}`);

describe.skipIf(missing !== null)('readDocumentItems on every file of the real-world corpus', () => {
  it('gives each item the id a whole parse gives it, with every other item left out of the parse', async () => {
    let segmented = 0;
    let leftOut = 0;
    const readWhole: string[] = [];
    for (const file of listCorpusFiles()) {
      const text = decodeFeedBody(readFileSync(join(FEED_CORPUS, file)), 'application/xml').text;
      let whole: DocumentItems;
      try {
        whole = await readDocumentItems(text, context, undefined);
      } catch {
        continue; // not a feed, or not readable: the whole parse fails the same way either way
      }
      const keyed = whole.feed.items.filter((i) => whole.segmentKeyOf(i) !== undefined);
      if (keyed.length === 0) continue;
      segmented++;
      // Record every other item, as if the feed had been read when only those were there.
      const record = recordOf({ ...whole, feed: { ...whole.feed, items: keyed.filter((_, n) => n % 2 === 0) } });
      const next = await readDocumentItems(text, context, record).catch((error: unknown) => {
        throw new Error(`${file}: ${String(error)}`);
      });
      leftOut += next.known.length;
      const ids = new Set([...next.feed.items.map((i) => i.id), ...next.known.map((k) => k.id)]);
      expect([...ids].sort(), file).toEqual(whole.feed.items.map((i) => i.id).sort());
      // At least the recorded items are left out (more when the document lists the same text
      // twice), or none: a document that reads as a feed only with its items is read whole.
      if (next.known.length === 0) readWhole.push(file);
      else expect(next.known.length, file).toBeGreaterThanOrEqual(Math.ceil(keyed.length / 2));
      for (const known of next.known) expect(record.items.get(known.id), file).toBeDefined();
      // The items still parsed read the same as in the whole document.
      const wholeStories = new Map(whole.feed.stories(whole.feed.items).map((story) => [story.id, story]));
      for (const story of next.feed.stories(next.feed.items)) {
        if (record.items.has(story.id)) continue; // the same text listed twice: the copy counts as known
        expect(story, file).toEqual(wholeStories.get(story.id));
      }
    }
    console.log(`document-items corpus: ${segmented} files segmented, ${leftOut} items known without a parse; read whole: ${readWhole.join(', ')}`);
    expect(segmented).toBeGreaterThan(200);
    expect(readWhole.length).toBeLessThan(5);
  });
});
