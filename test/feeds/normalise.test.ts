import { describe, expect, it } from 'vitest';
import { canonicalLink } from '../../src/feeds/link.js';
import { htmlToText, repairMojibake } from '../../src/feeds/text.js';
import { detectLanguage, primaryLanguage } from '../../src/feeds/language.js';
import { parseFeedDate } from '../../src/feeds/dates.js';
import { resolveIdentity } from '../../src/feeds/identity.js';
import { normaliseFeed } from '../../src/feeds/normalise.js';
import type { ParsedFeed, ParsedItem } from '../../src/feeds/types.js';

describe('canonicalLink', () => {
  it.each([
    ['https://Example.com/a?utm_source=x&utm_medium=rss&id=5#top', null, 'https://example.com/a?id=5'],
    ['https://example.com/a?fbclid=abc', null, 'https://example.com/a'],
    ['https://example.com/a?gclid=1&mc_cid=2&q=tariffs', null, 'https://example.com/a?q=tariffs'],
    ['/news/item-1', 'https://example.com/feed/', 'https://example.com/news/item-1'],
    ['item-2', 'https://example.com/feed/', 'https://example.com/feed/item-2'],
    ['https://news.google.com/rss/articles/CBMi?oc=5&utm_source=x', null, 'https://news.google.com/rss/articles/CBMi?oc=5&utm_source=x'],
    ['http://feeds.feedburner.com/~r/reuters/x/~3/abc/story.htm?utm_source=feedburner', null, 'http://feeds.feedburner.com/~r/reuters/x/~3/abc/story.htm?utm_source=feedburner'],
    ['https://www.google.com/url?rct=j&sa=t&url=https://x.org/a&utm_source=y', null, 'https://www.google.com/url?rct=j&sa=t&url=https://x.org/a&utm_source=y'],
    ['https://www.google.com/search?q=x&utm_source=y', null, 'https://www.google.com/search?q=x'],
    // Read without parsing the query unless a name may be a tracking one: the same links either way.
    ['https://example.com/a?utm%5Fsource=x&id=2', null, 'https://example.com/a?id=2'],
    ['https://example.com/a?utm+source=1', null, 'https://example.com/a?utm+source=1'],
    ['https://example.com/a?q=a%20b', null, 'https://example.com/a?q=a%20b'],
    ['https://example.com/a?q=a%20b&utm_source=x', null, 'https://example.com/a?q=a+b'],
    // Tracking pairs dropped from the query's text where URLSearchParams would write the rest back
    // unchanged; rewritten through it where it would not (a pair with no '=', an empty pair, '%').
    ['https://example.com/a?utm_source=a%20b&id=5&x.y=1-2', null, 'https://example.com/a?id=5&x.y=1-2'],
    ['https://example.com/a?id&utm_source=x', null, 'https://example.com/a?id='],
    ['https://example.com/a?id=1&&utm_source=x', null, 'https://example.com/a?id=1'],
    ['https://example.com/a?id=a%2fb&utm_source=x', null, 'https://example.com/a?id=a%2Fb'],
    ['https://example.com/a?q=x=y&utm_source=x', null, 'https://example.com/a?q=x%3Dy'],
    ['https://example.com/a?utm_source&UTM_Medium=x', null, 'https://example.com/a'],
    ['https://example.com/a#', null, 'https://example.com/a'],
    ['https://example.com/a?', null, 'https://example.com/a'],
    ['javascript:alert(1)', null, null],
    ['mailto:a@b.c', null, null],
    ['', null, null],
    [null, null, null],
  ])('%s (base %s) → %s', (link, base, expected) => {
    expect(canonicalLink(link, base)).toBe(expected);
  });
});

describe('htmlToText', () => {
  it.each([
    ['<p>Mexico <b>sends</b> 26</p><p>cartel figures</p>', 'Mexico sends 26 cartel figures'],
    ['Caro&nbsp;Quintero &amp; &quot;El Mayo&quot;', 'Caro Quintero & "El Mayo"'],
    ['&lt;p&gt;double &amp;amp; escaped&lt;/p&gt;', 'double & escaped'],
    ['<div class="feedflare"><a href="x">Share</a></div>Real text', 'Real text'],
    ['<script>var x = 1;</script>visible', 'visible'],
    ['line<br>break', 'line break'],
    ['  lots \n\n of\t space  ', 'lots of space'],
    ['<img src="pixel.gif" width="1" height="1">', ''],
    ['M&eacute;xico extradita', 'México extradita'],
  ])('%s → %s', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('repairMojibake', () => {
  it.each([
    ['animarÃ¡n la Navidad', 'animarán la Navidad'],
    ['MÃ©xico extraditÃ³ a â€œEl Mayoâ€\u009d', 'México extraditó a “El Mayo”'],
    ['São Paulo', 'São Paulo'],
    ['plain ascii', 'plain ascii'],
    ['Ã la carte', 'Ã la carte'],
  ])('%s → %s', (input, output) => {
    expect(repairMojibake(input)).toBe(output);
  });
});

describe('language', () => {
  it.each([
    ['en-US', 'en'],
    ['es-419', 'es'],
    ['ES_mx', 'es'],
    ['', null],
    [null, null],
  ])('primaryLanguage(%s) = %s', (tag, expected) => expect(primaryLanguage(tag)).toBe(expected));

  it.each([
    ['Mexico sends 26 cartel figures to the United States in a new transfer', 'en'],
    ['México envía a 26 narcotraficantes a Estados Unidos en un nuevo traslado', 'es'],
    ['Cinco de Mayo', null],
    ['CJNG', null],
  ])('detectLanguage(%s) = %s', (text, expected) => expect(detectLanguage(text)).toBe(expected));
});

describe('parseFeedDate', () => {
  const now = Date.UTC(2026, 10, 28, 12);
  it.each([
    ['Fri, 27 Nov 2026 10:00:00 GMT', Date.UTC(2026, 10, 27, 10)],
    ['2026-11-27T10:00:00Z', Date.UTC(2026, 10, 27, 10)],
    ['2026-11-27T04:00:00-06:00', Date.UTC(2026, 10, 27, 10)],
    ['1518478934', 1518478934000],
    ['not a date', null],
    ['', null],
    ['Fri, 27 Nov 2099 10:00:00 GMT', null],
    ['Mon, 01 Jan 1900 00:00:00 GMT', null],
  ])('%s → %s', (raw, expected) => expect(parseFeedDate(raw, now)).toBe(expected));
});

describe('resolveIdentity', () => {
  it.each([
    ['guid and link', { guid: ' g1 ', link: 'https://x/1', title: 'A', date: 'd' }, { kind: 'guid-link', key: 'g1\nhttps://x/1' }],
    ['guid alone', { guid: 'g1', link: null, title: 'A', date: 'd' }, { kind: 'guid', key: 'g1' }],
    ['blank guid, link', { guid: '  ', link: 'https://x/1', title: 'A', date: 'd' }, { kind: 'link', key: 'https://x/1' }],
    ['link alone', { guid: null, link: 'https://x/1', title: 'A', date: 'd' }, { kind: 'link', key: 'https://x/1' }],
  ])('%s', (_name, candidates, expected) => expect(resolveIdentity(candidates)).toEqual(expected));

  it('falls back to title and date, which tell two items apart', () => {
    const a = resolveIdentity({ guid: null, link: null, title: 'D', date: 'd1' });
    const b = resolveIdentity({ guid: null, link: null, title: 'D', date: 'd2' });
    expect(a.kind).toBe('title-date');
    expect(a.key).not.toBe(b.key);
  });

  it('gives an item the same id whatever else its fetch holds', () => {
    const feedOf = (...items: ParsedItem[]) =>
      normaliseFeed(feed(items), { feedId: 'f1', feedName: null, feedLanguage: 'en', documentUrl: 'https://outlet.example/feed', now: 0 });
    const alone = feedOf(item({ guid: 'g', title: 'First' }));
    const withTwin = feedOf(item({ guid: 'g', title: 'Second' }), item({ guid: 'g', title: 'First' }));
    const withLinkTwin = feedOf(item({ guid: 'g', link: 'https://x/2', title: 'Other' }), item({ guid: 'g', title: 'First' }));
    expect(withTwin).toHaveLength(1); // the same guid twice in one document is one story
    expect(withLinkTwin.find((s) => s.title === 'First')?.id).toBe(alone[0]!.id);
  });
});

function item(overrides: Partial<ParsedItem>): ParsedItem {
  return {
    guid: null, link: null, title: null, summaryHtml: null, contentHtml: null, date: null,
    categories: [], imageUrl: null, sourceName: null, language: null, ...overrides,
  };
}

const feed = (items: ParsedItem[], extra: Partial<ParsedFeed> = {}): ParsedFeed => ({
  format: 'rss2', title: 'Feed Title', link: 'https://outlet.example/', language: null, items, droppedItems: 0, repairs: [], ...extra,
});

describe('normaliseFeed', () => {
  const now = Date.UTC(2026, 10, 28, 12);

  it('produces a stable, plain-text story', () => {
    const input = feed([
      item({
        guid: 'abc',
        link: '/2026/11/27/story?utm_source=rss',
        title: 'Mexico <em>extradites</em> 26',
        summaryHtml: '<p>Mexico sent 26 cartel figures to the US.</p>',
        date: 'Fri, 27 Nov 2026 10:00:00 GMT',
        categories: ['World', ' World ', 'Mexico'],
        sourceName: 'Reuters',
      }),
    ]);
    const context = { feedId: 'f1', feedName: null, feedLanguage: 'en', documentUrl: 'https://outlet.example/feed', now };
    const [story] = normaliseFeed(input, context);
    expect(story).toMatchObject({
      feedId: 'f1',
      identity: { kind: 'guid-link', key: 'abc\nhttps://outlet.example/2026/11/27/story' },
      title: 'Mexico extradites 26',
      link: 'https://outlet.example/2026/11/27/story',
      summary: 'Mexico sent 26 cartel figures to the US.',
      published: '2026-11-27T10:00:00.000Z',
      publishedFrom: 'feed',
      language: 'en',
      categories: ['World', 'Mexico'],
      source: 'Reuters',
    });
    expect(normaliseFeed(input, context)[0]!.id).toBe(story!.id);
  });

  it('uses first-seen time for a missing date, the feed title as source, and detects the language', () => {
    const [story] = normaliseFeed(feed([item({ title: 'México envía a 26 narcotraficantes a Estados Unidos' })]), {
      feedId: 'f1', feedName: null, feedLanguage: null, documentUrl: null, now,
    });
    expect(story).toMatchObject({ publishedFrom: 'first-seen', published: new Date(now).toISOString(), source: 'Feed Title', language: 'es' });
  });

  it('falls back to the content when the description is only a tracking pixel', () => {
    const [story] = normaliseFeed(
      feed([item({ title: 'T', summaryHtml: '<img src="x.gif" width="1">', contentHtml: '<p>The real text of the story is here.</p>' })]),
      { feedId: 'f', feedName: 'Configured name', feedLanguage: null, documentUrl: null, now },
    );
    expect(story).toMatchObject({ summary: 'The real text of the story is here.', source: 'Configured name' });
  });

  it('drops items with nothing a person could read', () => {
    expect(normaliseFeed(feed([item({ guid: 'x' })]), { feedId: 'f', feedName: null, feedLanguage: null, documentUrl: null, now })).toEqual([]);
  });
});

describe('normaliseFeed isolates a bad item', () => {
  it('skips an item that cannot be normalised, reports it, and keeps the rest', () => {
    const failures: number[] = [];
    const broken = { ...item({ guid: 'bad', title: 'Bad' }), categories: null } as unknown as ParsedItem;
    const stories = normaliseFeed(feed([item({ guid: 'a', title: 'First' }), broken, item({ guid: 'b', title: 'Last' })]), {
      feedId: 'f', feedName: null, feedLanguage: 'en', documentUrl: null, now: 0,
      onItemError: (index) => failures.push(index),
    });
    expect(stories.map((s) => s.title)).toEqual(['First', 'Last']);
    expect(failures).toEqual([1]);
  });
});
