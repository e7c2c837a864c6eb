/**
 * Hostile feed content costs one item, never the feed: deeply nested markup (escaped, in CDATA,
 * as XML elements in any field), terminal escapes hidden in character references, bidi overrides.
 * Each case is a feed of ten good items and one hostile one, parsed and normalised for real.
 */
import { describe, expect, it } from 'vitest';
import { parseFeedDocument } from '../../src/feeds/parse.js';
import { normaliseFeed } from '../../src/feeds/normalise.js';
import { htmlToText } from '../../src/feeds/text.js';
import type { Story } from '../../src/feeds/story.js';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const nested = (levels: number, tag = 'b', inner = 'deep text') => `<${tag}>`.repeat(levels) + inner + `</${tag}>`.repeat(levels);

const GOOD_ITEMS = Array.from(
  { length: 10 },
  (_, i) => `<item><guid>good-${i}</guid><title>Good ${i}</title><link>https://outlet.example/${i}</link><description>Story ${i}.</description></item>`,
).join('\n');

function feedWith(hostileItem: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Outlet</title><link>https://outlet.example/</link>\n${GOOD_ITEMS}\n${hostileItem}\n</channel></rss>`;
}

async function storiesOf(document: string): Promise<Story[]> {
  const parsed = await parseFeedDocument(document, { baseUrl: 'https://outlet.example/feed.xml' });
  return normaliseFeed(parsed, { feedId: 'f', feedName: null, feedLanguage: 'en', documentUrl: 'https://outlet.example/feed.xml', now: 0 });
}

const GOOD_TITLES = Array.from({ length: 10 }, (_, i) => `Good ${i}`);

describe('deeply nested markup costs at most that item', () => {
  const LEVELS = 5_000;
  it.each([
    ['escaped HTML in a description', `<item><guid>bad</guid><title>Bad</title><description>${escape(nested(LEVELS))}</description></item>`],
    ['HTML escaped twice', `<item><guid>bad</guid><title>Bad</title><description>${escape(escape(nested(LEVELS)))}</description></item>`],
    ['HTML in CDATA', `<item><guid>bad</guid><title>Bad</title><description><![CDATA[${nested(LEVELS)}]]></description></item>`],
    ['escaped HTML in a title', `<item><guid>bad</guid><title>${escape(nested(LEVELS))}</title></item>`],
    ['elements in a description', `<item><guid>bad</guid><title>Bad</title><description>${nested(LEVELS)}</description></item>`],
    ['elements in a title', `<item><guid>bad</guid><title>${nested(LEVELS, 'x')}</title></item>`],
    ['elements in a category', `<item><guid>bad</guid><title>Bad</title><category>${nested(LEVELS, 'x')}</category></item>`],
    ['elements in an unknown element', `<item><guid>bad</guid><title>Bad</title><extra>${nested(LEVELS, 'x')}</extra></item>`],
    ['elements in content:encoded', `<item><guid>bad</guid><title>Bad</title><content:encoded>${nested(LEVELS, 'div')}</content:encoded></item>`],
    ['an unclosed element per level', `<item><guid>bad</guid><title>Bad</title><description>${'<p>x'.repeat(LEVELS)}</description></item>`],
  ])('%s: the ten good items survive', async (_name, hostile) => {
    const stories = await storiesOf(feedWith(hostile));
    expect(stories.map((story) => story.title).filter((title) => title.startsWith('Good'))).toEqual(GOOD_TITLES);
    expect(stories.length).toBeGreaterThanOrEqual(10);
  });

  it('the hostile item itself is kept, with its text', async () => {
    const stories = await storiesOf(feedWith(`<item><guid>bad</guid><title>Bad</title><description>${escape(nested(LEVELS))}</description></item>`));
    expect(stories.find((story) => story.identity.key === 'bad')).toMatchObject({ title: 'Bad', summary: 'deep text' });
  });

  it('an Atom feed with a deep xhtml content keeps its entries', async () => {
    const entries = Array.from({ length: 3 }, (_, i) => `<entry><id>e${i}</id><title>Entry ${i}</title><link href="https://outlet.example/e${i}"/></entry>`).join('');
    const hostile = `<entry><id>bad</id><title>Bad</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${nested(LEVELS, 'span')}</div></content></entry>`;
    const stories = await storiesOf(`<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>${entries}${hostile}</feed>`);
    expect(stories.map((story) => story.title)).toEqual(expect.arrayContaining(['Entry 0', 'Entry 1', 'Entry 2']));
  });

  it('htmlToText walks a very deep tree without recursion', () => {
    expect(htmlToText(nested(50_000))).toBe('deep text');
  });
});

/** Any C0 control but tab and newline, DEL, any C1 control, bidi embeddings/overrides/isolates. */
const CONTROL_OR_BIDI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal escapes in feed text never reach a Story', () => {
  const ESCAPES = [
    ['decimal ESC', '&#27;[2J'],
    ['hex ESC', '&#x1b;]0;pwned&#x7;'],
    ['decimal C1 CSI', '&#155;2J'],
    ['hex C1 CSI', '&#x9b;2J'],
    ['hex C1 OSC', '&#x9d;8;;https://evil.example&#x9c;'],
    ['double-escaped ESC', '&amp;#27;[2J'],
    ['double-escaped hex ESC', '&amp;#x1B;[31m'],
    ['raw C1 CSI', '\u009b2J'],
    ['right-to-left override', '&#x202e;gpj.exe'],
    ['bidi isolate', '&#x2067;cba&#x2069;'],
  ] as const;

  it.each(ESCAPES)('%s in title, description, category, item source and feed title', async (_name, hostile) => {
    const item = `<item><guid>bad</guid><title>Title ${hostile} end</title><description>Summary ${hostile} end</description><category>Cat ${hostile}</category><source url="https://s.example/">Source ${hostile}</source><link>https://outlet.example/a${hostile}</link></item>`;
    const document = `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${hostile}</title>${item}<item><guid>two</guid><title>Two</title></item></channel></rss>`;
    const stories = await storiesOf(document);
    expect(stories).toHaveLength(2);
    for (const story of stories) {
      for (const text of [story.title, story.summary, story.source, story.link ?? '', ...story.categories]) {
        expect(text).not.toMatch(CONTROL_OR_BIDI);
      }
    }
    expect(stories[0]?.title).toMatch(/^Title .*end$/);
    expect(stories[1]?.source).toMatch(/^Feed /);
  });

  it('tab and newline in a summary still separate words', () => {
    expect(htmlToText('one&#9;two&#10;three&#27;four')).toBe('one two threefour');
  });
});
