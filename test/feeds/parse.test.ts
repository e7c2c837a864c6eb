import { describe, expect, it } from 'vitest';
import { MAX_ITEMS, parseFeedDocument } from '../../src/feeds/parse.js';
import { WirewatchError } from '../../src/errors.js';
import type { ParsedFeed } from '../../src/feeds/types.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';

function parse(text: string, baseUrl: string | null = null): Promise<ParsedFeed> {
  return parseFeedDocument(text, { baseUrl });
}

async function failure(text: string): Promise<WirewatchError> {
  const error: unknown = await parse(text).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WirewatchError);
  return error as WirewatchError;
}

const rss2 = (items: string, channel = '<title>Wire</title><link>https://news.example/</link>'): string =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>${channel}${items}</channel></rss>`;

describe('parseFeedDocument: clean documents', () => {
  const RSS = `<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>Wire</title>
    <link>https://news.example/</link>
    <language>en-gb</language>
    <item>
      <title>Central bank raises rates</title>
      <link>world/rates.html</link>
      <guid isPermaLink="false">rates-1</guid>
      <description><![CDATA[<p>Short summary</p>]]></description>
      <content:encoded><![CDATA[<p>Full text</p>]]></content:encoded>
      <dc:date>2019-10-01T14:00:00Z</dc:date>
      <pubDate>Tue, 01 Oct 2019 14:30:00 GMT</pubDate>
      <category>Economy</category>
      <category domain="https://news.example/tags">Banks</category>
      <media:content url="https://img.example/clip.mp4" medium="video"/>
      <media:content url="https://img.example/rates.jpg" medium="image"/>
      <source url="https://outlet.example/rss">Outlet Daily</source>
      <dc:language>fr</dc:language>
    </item>
  </channel>
</rss>`;

  it('maps an RSS 2.0 item field by field', async () => {
    const feed = await parse(RSS);
    expect(feed).toMatchObject({ format: 'rss2', title: 'Wire', link: 'https://news.example/', language: 'en-gb', repairs: [] });
    expect(feed.items).toEqual([
      {
        guid: 'rates-1',
        link: 'https://news.example/world/rates.html',
        title: 'Central bank raises rates',
        summaryHtml: '<p>Short summary</p>',
        contentHtml: '<p>Full text</p>',
        date: 'Tue, 01 Oct 2019 14:30:00 GMT',
        categories: ['Economy', 'Banks'],
        imageUrl: 'https://img.example/rates.jpg',
        sourceName: 'Outlet Daily',
        language: 'fr',
      },
    ]);
  });

  it('resolves relative links against the document URL before the feed link', async () => {
    const feed = await parse(RSS, 'https://feeds.example/europe/rss.xml');
    expect(feed.items[0]?.link).toBe('https://feeds.example/europe/world/rates.html');
  });

  it('maps an Atom entry, resolving against xml:base', async () => {
    const feed = await parse(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="${ATOM_NS}" xml:lang="de" xml:base="https://blog.example/de/">
  <title type="text">Blog</title>
  <link rel="self" href="https://blog.example/feed.atom"/>
  <link rel="alternate" href="https://blog.example/"/>
  <entry xml:lang="en">
    <id>tag:blog.example,2024:1</id>
    <title>Rates and banks</title>
    <link rel="enclosure" type="image/png" href="img/1.png"/>
    <link rel="alternate" type="text/html" href="posts/1"/>
    <updated>2024-01-02T08:00:00+01:00</updated>
    <published>2024-01-01T08:00:00+01:00</published>
    <summary>Short</summary>
    <content type="html">&lt;p&gt;Long&lt;/p&gt;</content>
    <category term="economy" label="Economy"/>
  </entry>
  <entry><id>tag:blog.example,2024:2</id><title>Only updated</title><updated>2024-01-03T00:00:00Z</updated></entry>
</feed>`);
    expect(feed).toMatchObject({ format: 'atom', title: 'Blog', link: 'https://blog.example/', language: 'de', repairs: [] });
    expect(feed.items[0]).toEqual({
      guid: 'tag:blog.example,2024:1',
      link: 'https://blog.example/de/posts/1',
      title: 'Rates and banks',
      summaryHtml: 'Short',
      contentHtml: '<p>Long</p>',
      date: '2024-01-01T08:00:00+01:00',
      categories: ['economy'],
      imageUrl: 'https://blog.example/de/img/1.png',
      sourceName: null,
      language: 'en',
    });
    expect(feed.items[1]).toMatchObject({ title: 'Only updated', date: '2024-01-03T00:00:00Z', link: null });
  });

  it('maps RSS 1.0 (RDF): rdf:about as guid, dc:date, dc:subject', async () => {
    const feed = await parse(`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example/"><title>RDF wire</title><link>https://news.example/</link></channel>
  <item rdf:about="https://news.example/1"><title>Item one</title><link>https://news.example/1</link>
    <dc:date>2020-03-01T10:00:00Z</dc:date><dc:subject>Politics</dc:subject></item>
</rdf:RDF>`);
    expect(feed).toMatchObject({ format: 'rss1', title: 'RDF wire', repairs: [] });
    expect(feed.items[0]).toMatchObject({ guid: 'https://news.example/1', date: '2020-03-01T10:00:00Z', categories: ['Politics'] });
  });

  it.each([
    ['<rss>', 'rss2'],
    ['<rss version="0.91">', 'rss0.9'],
    ['<rss version="0.92">', 'rss0.9'],
    ['<rss version="2.0">', 'rss2'],
  ])('%s is parsed as %s', async (root, format) => {
    const feed = await parse(`${root}<channel><title>T</title><item><title>Versioned</title></item></channel></rss>`);
    expect(feed.format).toBe(format);
    expect(feed.items[0]?.title).toBe('Versioned');
  });

  it('takes images from media:group thumbnails and itunes:image', async () => {
    const feed = await parse(
      rss2(
        '<item><title>A</title><media:group xmlns:media="http://search.yahoo.com/mrss/"><media:thumbnail url="https://i.example/a.jpg"/></media:group></item>' +
          '<item><title>B</title><itunes:image xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" href="https://i.example/b.png"/></item>' +
          '<item><title>C</title><enclosure url="https://i.example/c.mp3" type="audio/mpeg" length="1"/></item>',
      ),
    );
    expect(feed.items.map((item) => item.imageUrl)).toEqual(['https://i.example/a.jpg', 'https://i.example/b.png', null]);
  });

  it('leaves valid XML references, and CDATA holding HTML entities, as they are: no repairs', async () => {
    const feed = await parse(rss2('<item><title>Tom &amp; Jerry &lt;3 &#8217;&#x2019;</title><description><![CDATA[a&nbsp;b]]></description></item>'));
    expect(feed.repairs).toEqual([]);
    expect(feed.items[0]).toMatchObject({ title: 'Tom & Jerry <3 ’’', summaryHtml: 'a&nbsp;b' });
  });

  it('returns an empty feed as empty, without repairs', async () => {
    const feed = await parse(rss2(''));
    expect(feed).toMatchObject({ format: 'rss2', title: 'Wire', items: [], repairs: [] });
  });
});

describe('parseFeedDocument: repairs', () => {
  const cases: Array<{ repair: string; document: string; check: (feed: ParsedFeed) => void }> = [
    {
      repair: 'stripped-leading-junk',
      document: `\n\n   ${rss2('<item><title>Whitespace before the declaration</title></item>')}`,
      check: (feed) => expect(feed.items[0]?.title).toBe('Whitespace before the declaration'),
    },
    {
      repair: 'stripped-leading-junk',
      document: `HTTP/1.1 200 OK\r\n\r\n${rss2('<item><title>Headers before the document</title></item>')}`,
      check: (feed) => expect(feed.items[0]?.title).toBe('Headers before the document'),
    },
    {
      repair: 'escaped-raw-ampersand',
      document: rss2(
        '<item><title>Tom & Jerry &c. &unknownentity;</title><link>https://x.example/?a=1&b=2</link>' +
          '<description><![CDATA[Salt & Pepper&nbsp;&eacute;]]></description></item>',
      ),
      check: (feed) => {
        expect(feed.items[0]).toMatchObject({ title: 'Tom & Jerry &c. &unknownentity;', link: 'https://x.example/?a=1&b=2' });
        // CDATA is literal text: nothing in it is touched.
        expect(feed.items[0]?.summaryHtml).toBe('Salt & Pepper&nbsp;&eacute;');
      },
    },
    {
      repair: 'html-entities',
      document: rss2('<item><title>Caf&eacute;&nbsp;Society &mdash; &AMP; &hellip;</title></item>'),
      check: (feed) => expect(feed.items[0]?.title).toBe('Café\u00a0Society — & …'),
    },
    {
      repair: 'fixed-character-references',
      document: rss2('<item><title>&#147;Quoted&#148; &#150; &#0;end</title></item>'),
      check: (feed) => expect(feed.items[0]?.title).toBe('“Quoted” – \uFFFDend'),
    },
    {
      repair: 'removed-control-characters',
      document: rss2('<item><title>Bell\u0007 and\u0000 null</title></item>'),
      check: (feed) => expect(feed.items[0]?.title).toBe('Bell and null'),
    },
    {
      repair: 'lenient-reserialise',
      document: '<rss version="2.0"><channel><title>Cut</title><item><title>Complete item</title></item><item><title>Cut off mid',
      check: (feed) => expect(feed.items.map((item) => item.title)).toEqual(['Complete item', 'Cut off mid']),
    },
    {
      repair: 'lenient-reserialise',
      document: rss2('<item><title>Bad nesting</item><item><title>Stray end tag</title></b></item>'),
      check: (feed) => expect(feed.items.map((item) => item.title)).toEqual(['Bad nesting', 'Stray end tag']),
    },
    {
      repair: 'namespaced-atom-root',
      document: `<a:feed xmlns:a="${ATOM_NS}" xmlns="http://www.w3.org/1999/xhtml"><a:title>NS</a:title>
        <a:entry><a:id>urn:1</a:id><a:title>Prefixed entry</a:title><a:link href="https://x.example/1"/>
        <a:updated>2006-01-18T12:26:54+01:00</a:updated></a:entry></a:feed>`,
      check: (feed) => {
        expect(feed).toMatchObject({ format: 'atom', title: 'NS' });
        expect(feed.items[0]).toMatchObject({ guid: 'urn:1', title: 'Prefixed entry', link: 'https://x.example/1' });
      },
    },
    {
      repair: 'namespaced-atom-elements',
      document: `<feed xmlns="${ATOM_NS}"><title>Mixed</title>
        <p0:entry xmlns:p0="${ATOM_NS}"><p0:title>Child with a prefix</p0:title><p0:category term="Cat"/>
        <p0:id>urn:2</p0:id><p0:updated>2012-08-04T01:29:34.677Z</p0:updated></p0:entry></feed>`,
      check: (feed) => expect(feed.items[0]).toMatchObject({ title: 'Child with a prefix', guid: 'urn:2', categories: ['Cat'] }),
    },
    {
      repair: 'wrapped-atom-entry',
      document: `<?xml version="1.0"?><entry xmlns="${ATOM_NS}"><id>urn:3</id><title>Lone entry</title>
        <updated>2009-08-31T18:55:12.569Z</updated><summary>Only an entry</summary></entry>`,
      check: (feed) => expect(feed.items[0]).toMatchObject({ title: 'Lone entry', summaryHtml: 'Only an entry', date: '2009-08-31T18:55:12.569Z' }),
    },
    {
      repair: 'embedded-feed-root',
      document: `<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body><feed xmlns="${ATOM_NS}"><title>Inside HTML</title>
        <entry><id>urn:4</id><title>Embedded entry</title></entry></feed></body></html>`,
      check: (feed) => expect(feed).toMatchObject({ title: 'Inside HTML', items: [{ title: 'Embedded entry' }] }),
    },
    {
      repair: 'renamed-rdf-root',
      document: '<RDF><channel><title>Bare RDF</title></channel><item><title>RDF item</title></item></RDF>',
      check: (feed) => expect(feed).toMatchObject({ format: 'rss1', items: [{ title: 'RDF item' }] }),
    },
    {
      repair: 'added-missing-channel',
      document: '<rss version="2.0"><title>No channel</title><item><title>Orphan item</title></item></rss>',
      check: (feed) => expect(feed).toMatchObject({ title: 'No channel', items: [{ title: 'Orphan item' }] }),
    },
    {
      repair: 'hoisted-nested-items',
      document: rss2('<itunes:category text="News"><item><title>Swallowed by an unclosed element</title></item>'),
      check: (feed) => expect(feed.items[0]?.title).toBe('Swallowed by an unclosed element'),
    },
    {
      repair: 'atom-link-without-href',
      document: `<feed xmlns="${ATOM_NS}"><title>Links</title><entry><id>urn:5</id><title>Text link</title>
        <link>https://x.example/text-link</link><link/></entry></feed>`,
      check: (feed) => expect(feed.items[0]?.link).toBe('https://x.example/text-link'),
    },
    {
      repair: 'unparseable-atom-dates',
      document: `<feed xmlns="${ATOM_NS}"><title>Dates</title><entry><id>urn:6</id><title>Bad date</title>
        <published>last Tuesday</published></entry><entry><id>urn:7</id><title>Good date</title><published>2024-05-01T00:00:00Z</published></entry></feed>`,
      check: (feed) => expect(feed.items.map((item) => item.date)).toEqual(['last Tuesday', '2024-05-01T00:00:00Z']),
    },
    {
      repair: 'escaped-inline-markup',
      document: `<feed xmlns="${ATOM_NS}"><title>XHTML</title><entry><id>urn:8</id><title>Ordered</title>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Read the <a href="https://x.example/">full story</a> here.<br>Next line</div></content></entry></feed>`,
      check: (feed) =>
        // xml2js alone would give "Read the  here.…<a …>full story</a>": text and child elements apart.
        expect(feed.items[0]?.contentHtml).toBe(
          '<div xmlns="http://www.w3.org/1999/xhtml">Read the <a href="https://x.example/">full story</a> here.<br>Next line</div>',
        ),
    },
    {
      repair: 'escaped-inline-markup',
      document: rss2('<item><title>Raw HTML</title><description><p>Caf&eacute; <em>open</em> &amp; <b>busy</b></p></description></item>'),
      check: (feed) => expect(feed.items[0]?.summaryHtml).toBe('<p>Café <em>open</em> &amp; <b>busy</b></p>'),
    },
    {
      repair: 'dropped-invalid-names',
      document: rss2('<item><title>Stray quote</title><description><img src="a.png" alt="x"" /> text</description></item>'),
      check: (feed) => expect(feed.items[0]?.title).toBe('Stray quote'),
    },
  ];

  it.each(cases)('$repair: $document', async ({ repair, document, check }) => {
    const feed = await parse(document);
    expect(feed.repairs).toContain(repair);
    check(feed);
  });

  it('drops the XML declaration and a DOCTYPE (with internal subset) without calling it a repair', async () => {
    const feed = await parse(`<?xml version="1.0" encoding="windows-1252"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd" [
  <!ENTITY custom "x">
]>
<rss version="0.91"><channel><title>Netscape</title><item><title>Old school</title></item></channel></rss>`);
    expect(feed).toMatchObject({ format: 'rss0.9', repairs: [], items: [{ title: 'Old school' }] });
  });

  it('keeps whitespace before a root element without declaration as legal (no repair)', async () => {
    const feed = await parse(`\n  <rss version="2.0"><channel><title>T</title><item><title>Fine</title></item></channel></rss>`);
    expect(feed.repairs).toEqual([]);
  });
});

describe('parseFeedDocument: errors', () => {
  it.each([
    ['an empty document', '', 'not a feed: the document is empty'],
    ['whitespace only', ' \r\n\t ', 'not a feed: the document is empty'],
    ['JSON', '{"version":"https://jsonfeed.org/version/1.1"}', 'not a feed: the document contains no markup (it starts with "{\\"version\\":\\"https://jsonfeed.org/version")'],
    ['only a comment', '<!-- Description: Empty document -->\n', 'not a feed: the document has no root element'],
    ['an HTML page', '<!DOCTYPE html><html><head><title>Moved</title></head><body><p>Object moved <a href="/x">here</a></body></html>', "not a feed: the document's root element is <html>"],
    ['an HTML fragment', '<p>First entry content</p><p>More</p>', "not a feed: the document's root element is <p>"],
    ['another XML vocabulary', '<?xml version="1.0"?><catalog><book id="bk101"><title>XML Guide</title></book></catalog>', "not a feed: the document's root element is <catalog>"],
    [
      'RDF data that is not RSS',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:foaf="http://xmlns.com/foaf/0.1/"><foaf:Person><foaf:name>A</foaf:name></foaf:Person></rdf:RDF>',
      "not a feed: the document's root element is <rdf:RDF>",
    ],
  ])('%s → feed_not_a_feed', async (_name, document, message) => {
    const error = await failure(document);
    expect(error.code).toBe('feed_not_a_feed');
    expect(error.message).toBe(message);
  });

  it('elements nested 60,000 deep lose their tags past the bound, not the feed', async () => {
    const deep = `<rss version="2.0"><channel><item><title>Deep</title><description>${'<b>'.repeat(60_000)}x</description></item></channel></rss>`;
    const feed = await parse(deep);
    expect(feed.repairs).toContain('flattened-deep-nesting');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ title: 'Deep' });
    expect(feed.items[0]?.summaryHtml).toContain('x');
  });

  it('never throws anything but feed_not_a_feed / feed_parse_error, wherever a document is cut off', async () => {
    const document = rss2(
      '<item><title>Caf&eacute; &amp; bar</title><link>https://x.example/?a=1&b=2</link><description><![CDATA[<p>x</p>]]></description></item>' +
        '<item><title>Second</title></item>',
    );
    for (let end = 0; end <= document.length; end++) {
      const outcome = await parse(document.slice(0, end)).then(
        (feed) => (Array.isArray(feed.items) ? 'ok' : 'bad'),
        (error: unknown) => (error instanceof WirewatchError ? error.code : String(error)),
      );
      expect(['ok', 'feed_not_a_feed', 'feed_parse_error'], `cut at ${end}`).toContain(outcome);
    }
  });
});

describe('parseFeedDocument: limits', () => {
  it(`keeps only the first ${MAX_ITEMS} items`, async () => {
    const items = Array.from({ length: MAX_ITEMS + 100 }, (_, index) => `<item><title>Item ${index}</title></item>`).join('');
    const feed = await parse(rss2(items));
    expect(feed.items).toHaveLength(MAX_ITEMS);
    expect(feed.items[0]?.title).toBe('Item 0');
    expect(feed.items.at(-1)?.title).toBe(`Item ${MAX_ITEMS - 1}`);
  });

  it('stays fast on a description rss-parser would take seconds over ("<" without ">")', async () => {
    const started = performance.now();
    const feed = await parse(rss2(`<item><title>Hostile</title><description>${'x&lt;p'.repeat(40_000)}</description></item>`));
    expect(feed.items).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
