/**
 * Every real-world feed file of the shared corpus through decodeFeedBody → parseFeedDocument.
 * The corpus lives beside the project (../shared/fixtures/feeds); without it these tests skip.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFeedBody } from '../../src/feeds/decode.js';
import { parseFeedDocument } from '../../src/feeds/parse.js';
import { WirewatchError } from '../../src/errors.js';
import { FEED_CORPUS, fixturesMissingReason, listCorpusFiles } from '../helpers/shared-fixtures.js';

interface Outcome {
  file: string;
  items: number;
  titles: string[];
  encoding: string | null;
  /** Whether the decoded text has an item or entry element at all. */
  hasEntries: boolean;
  code: string | null;
  reason: string | null;
}

/**
 * 18 of the 282 files contain no <item> or <entry> element at all (HTML pages and fragments,
 * <catalog> XML, empty channels, a comment-only file, a capture cut off before its first item),
 * so 264 is the most any parser can yield. Every file that has an item must yield one.
 */
const MIN_YIELDING_FILES = 264;

const missing = fixturesMissingReason(FEED_CORPUS);
if (missing !== null) console.log(`corpus tests: ${missing}`);

async function runFile(file: string): Promise<Outcome> {
  const outcome: Outcome = { file, items: 0, titles: [], encoding: null, hasEntries: false, code: null, reason: null };
  try {
    const decoded = decodeFeedBody(readFileSync(join(FEED_CORPUS, file)), null);
    outcome.encoding = decoded.encoding;
    outcome.hasEntries = /<(?:[\w.-]+:)?(?:item|entry)[\s>/]/.test(decoded.text);
    const feed = await parseFeedDocument(decoded.text, { baseUrl: null });
    outcome.items = feed.items.length;
    outcome.titles = feed.items.map((item) => item.title ?? '');
  } catch (error) {
    outcome.code = error instanceof WirewatchError ? error.code : `unexpected ${String(error)}`;
    outcome.reason = error instanceof Error ? error.message : String(error);
  }
  return outcome;
}

describe.skipIf(missing !== null)('feed corpus', () => {
  const outcomes = new Map<string, Outcome>();
  const outcome = (file: string): Outcome => {
    const found = outcomes.get(file);
    if (found === undefined) throw new Error(`${file} is not in the corpus`);
    return found;
  };

  beforeAll(async () => {
    for (const file of listCorpusFiles()) outcomes.set(file, await runFile(file));
    const all = [...outcomes.values()];
    const empty = all.filter((result) => result.items === 0);
    console.log(`feed corpus: ${all.length - empty.length} of ${all.length} files yield at least one item`);
    for (const result of empty) {
      console.log(`  no items: ${result.file} — ${result.code ?? 'parsed, 0 items'}${result.reason ? `: ${result.reason}` : ''}`);
    }
  }, 120_000);

  it('has the 282 files the corpus README describes', () => {
    expect(outcomes.size).toBe(282);
  });

  it('fails only with coded feed errors, file by file', () => {
    for (const result of outcomes.values()) {
      if (result.code !== null) expect(['feed_not_a_feed', 'feed_parse_error', 'feed_decode_error'], result.file).toContain(result.code);
    }
  });

  it(`yields items from at least ${MIN_YIELDING_FILES} files, and from every file that has an item or entry`, () => {
    const yielding = [...outcomes.values()].filter((result) => result.items > 0);
    expect(yielding.length).toBeGreaterThanOrEqual(MIN_YIELDING_FILES);
    const lost = [...outcomes.values()].filter((result) => result.hasEntries && result.items === 0).map((result) => result.file);
    expect(lost).toEqual([]);
  });

  it.each([
    ['rss-parser/test/input/unrecognized.rss', "not a feed: the document's root element is <head>"],
    ['node-feedparser/test/feeds/notafeed.html', "not a feed: the document's root element is <html>"],
    ['feedparser/tests/illformed/rss_empty_document.xml', 'not a feed: the document has no root element'],
    ['feed-rs/feed-rs/fixture/xml/xml_sample_1.xml', "not a feed: the document's root element is <catalog>"],
  ])('rejects %s as feed_not_a_feed', (file, reason) => {
    expect(outcome(file)).toMatchObject({ code: 'feed_not_a_feed', reason });
  });

  it.each([
    ['rss-parser/test/input/encoding.rss', 'windows-1252', ['Mãe de utente é a nova presidente da Raríssimas', 'Reações dos partidos', 'França, Alemanha, Suíça']],
    ['node-feedparser/test/feeds/iconv.xml', 'windows-1251', ['В Бузулуке главные стройплощадки', 'ЧОПовцы в Оренбурге', 'Два оренбуржца перевозили героин']],
    ['RSS-Parser/rssparser/src/commonTest/resources/feed-test-greek.xml', 'iso-8859-7', ['«Πορτραίτα καραντίνας»', 'έμπνευση', 'συλλογή Φέλιου']],
    ['node-feedparser/test/feeds/compressed.xml', 'windows-1251', ['В Бузулуке главные стройплощадки', 'ЧОПовцы в Оренбурге']],
    ['rss-parser/test/input/uolNoticias.rss', 'windows-1252', ['Bolsonaro perde de Haddad', 'simulações de 2º turno']],
    ['feedparser/tests/illformed/chardet/koi8r.xml', 'koi8-r', ['Как пережить новогоднюю ночь']],
    ['feedparser/tests/illformed/chardet/eucjp.xml', 'euc-jp', ['ゲーム三昧な正月']],
    ['feed-rs/feed-rs/fixture/xml/xml_iso8859.xml', 'windows-1252', ['Neue Glasfaserförderung']],
  ])('decodes %s as %s, with the real words in its titles', (file, encoding, words) => {
    const result = outcome(file);
    expect(result.encoding).toBe(encoding);
    const titles = result.titles.join('\n');
    for (const word of words) expect(titles).toContain(word);
    expect(titles).not.toContain('\uFFFD');
  });

  it('parses the 1.6 MB podcast feed (730 items) well under a second', async () => {
    const bytes = readFileSync(join(FEED_CORPUS, 'rss-parser/test/input/giantbomb-podcast.rss'));
    const started = performance.now();
    const feed = await parseFeedDocument(decodeFeedBody(bytes, null).text, { baseUrl: null });
    const elapsed = performance.now() - started;
    console.log(`giantbomb-podcast.rss: ${feed.items.length} items in ${elapsed.toFixed(0)} ms`);
    expect(feed.items).toHaveLength(730);
    expect(elapsed).toBeLessThan(1_000);
  });
});
