/**
 * Every real-world feed file of the shared corpus, served byte for byte by a loopback HTTP
 * server, through the real fetcher → decodeFeedBody → parseFeedDocument → normaliseFeed.
 * The corpus lives beside the project (../shared/fixtures/feeds); without it these tests skip.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFeedBody } from '../../src/feeds/decode.js';
import { parseFeedDocument } from '../../src/feeds/parse.js';
import { normaliseFeed } from '../../src/feeds/normalise.js';
import { createFeedFetcher, type FeedFetcher } from '../../src/feeds/fetch/feed-fetcher.js';
import { WirewatchError } from '../../src/errors.js';
import { FEED_CORPUS, fixturesMissingReason, listCorpusFiles } from '../helpers/shared-fixtures.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { testFetcherOptions } from '../helpers/fetcher.js';

interface Outcome {
  file: string;
  /** Items the parser found. */
  items: number;
  /** Stories normalisation kept: items with a title, a link or some text. */
  stories: number;
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
 * so 264 is the most any parser can yield. Five more hold only entries with no title, link or
 * text (an id alone, an empty author, GeoRSS points): nothing a person could read, so no story.
 */
const MIN_FILES_WITH_ITEMS = 264;
const MIN_FILES_WITH_STORIES = 259;

const missing = fixturesMissingReason(FEED_CORPUS);
if (missing !== null) console.log(`corpus tests: ${missing}`);

async function runFile(file: string, server: LoopbackServer, fetcher: FeedFetcher): Promise<Outcome> {
  const outcome: Outcome = { file, items: 0, stories: 0, titles: [], encoding: null, hasEntries: false, code: null, reason: null };
  const path = `/${file.split('/').map(encodeURIComponent).join('/')}`;
  // Served as a generic XML document: no charset in the header, so the decoder's own rules decide.
  server.route(path, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' }).end(readFileSync(join(FEED_CORPUS, file)));
  });
  try {
    const response = await fetcher.fetch({ url: server.url(path), trusted: true });
    if (response.kind !== 'ok') throw new Error(`unexpected ${response.kind}`);
    const decoded = decodeFeedBody(response.body, response.contentType);
    outcome.encoding = decoded.encoding;
    outcome.hasEntries = /<(?:[\w.-]+:)?(?:item|entry)[\s>/]/.test(decoded.text);
    const feed = await parseFeedDocument(decoded.text, { baseUrl: response.finalUrl });
    const stories = normaliseFeed(feed, { feedId: 'corpus', feedName: null, feedLanguage: null, documentUrl: response.finalUrl, now: Date.now() });
    outcome.items = feed.items.length;
    outcome.stories = stories.length;
    outcome.titles = stories.map((story) => story.title);
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

  let server: LoopbackServer;
  let fetcher: FeedFetcher;
  beforeAll(async () => {
    server = await startLoopbackServer();
    fetcher = createFeedFetcher(testFetcherOptions());
    for (const file of listCorpusFiles()) outcomes.set(file, await runFile(file, server, fetcher));
    const all = [...outcomes.values()];
    const empty = all.filter((result) => result.stories === 0);
    const withItems = all.filter((result) => result.items > 0).length;
    console.log(
      `feed corpus: ${all.length - empty.length} of ${all.length} files yield stories (${withItems} yield parsed items)`,
    );
    for (const result of empty) {
      const why = result.code ?? (result.items > 0 ? `parsed ${result.items} item(s) with nothing readable` : 'parsed, 0 items');
      console.log(`  no stories: ${result.file} — ${why}${result.reason ? `: ${result.reason}` : ''}`);
    }
  }, 120_000);

  afterAll(async () => {
    await fetcher?.close();
    await server?.close();
  });

  it('has the 282 files the corpus README describes', () => {
    expect(outcomes.size).toBe(282);
  });

  it('fails only with coded feed errors, file by file', () => {
    for (const result of outcomes.values()) {
      if (result.code !== null) expect(['feed_not_a_feed', 'feed_parse_error', 'feed_decode_error'], result.file).toContain(result.code);
    }
  });

  it(`yields stories from at least ${MIN_FILES_WITH_STORIES} files, items from every file that has an item or entry`, () => {
    const all = [...outcomes.values()];
    expect(all.filter((result) => result.items > 0).length).toBeGreaterThanOrEqual(MIN_FILES_WITH_ITEMS);
    expect(all.filter((result) => result.stories > 0).length).toBeGreaterThanOrEqual(MIN_FILES_WITH_STORIES);
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

  it('reads all 730 items of the 1.6 MB podcast feed', () => {
    expect(outcome('rss-parser/test/input/giantbomb-podcast.rss').stories).toBe(730);
  });
});
