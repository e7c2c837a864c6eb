/**
 * Locating the items of a document in its text, without a parse: exact cuts where the items can
 * be cut out, null (parse whole) where they cannot.
 */
import { describe, expect, it } from 'vitest';
import { locateItems, segmentKey, withoutItems } from '../../src/feeds/item-segments.js';

const cut = (text: string) => locateItems(text)?.map((segment) => text.slice(segment.start, segment.end)) ?? null;

describe('locateItems', () => {
  it.each<[string, string, string[] | null]>([
    ['RSS items', '<rss><channel><title>t</title><item><title>a</title></item>\n<item a="1"><title>b</title></item></channel></rss>', ['<item><title>a</title></item>', '<item a="1"><title>b</title></item>']],
    ['Atom entries', '<feed><entry><id>1</id></entry><entry xml:base="x/"><id>2</id></entry></feed>', ['<entry><id>1</id></entry>', '<entry xml:base="x/"><id>2</id></entry>']],
    ['RDF items beside the channel, its <items> list not an item', '<rdf:RDF><channel><items><rdf:Seq><rdf:li/></rdf:Seq></items></channel><item rdf:about="u"><title>a</title></item></rdf:RDF>', ['<item rdf:about="u"><title>a</title></item>']],
    ['an item written in CDATA is text', '<rss><channel><item><description><![CDATA[<item>fake</item>]]></description></item></channel></rss>', ['<item><description><![CDATA[<item>fake</item>]]></description></item>']],
    ['an item in a comment is text', '<rss><channel><!-- <item>old</item> --><item><title>a</title></item></channel></rss>', ['<item><title>a</title></item>']],
    ['closing tags with space', '<rss><channel><item ><title>a</title></item ></channel></rss>', ['<item ><title>a</title></item >']],
    ['no items', '<rss><channel><title>t</title></channel></rss>', []],
    ['prefixed items are not seen (parsed whole)', '<rss:rss><rss:item>a</rss:item></rss:rss>', []],
    ['items and entries both: parse whole', '<rss><channel><item>a</item><entry>b</entry></channel></rss>', null],
    ['an item inside an item: parse whole', '<rss><channel><item><item>a</item></item></channel></rss>', null],
    ['a self-closing item: parse whole', '<rss><channel><item/><item>a</item></channel></rss>', null],
    ['an unclosed item: parse whole', '<rss><channel><item><title>a</title></channel></rss>', null],
    ['a closing tag with no opening: parse whole', '<rss><channel></item></channel></rss>', null],
    ['an unterminated CDATA: parse whole', '<rss><channel><item><![CDATA[ a </item></channel></rss>', null],
    ['an unterminated comment: parse whole', '<rss><channel><!-- <item>a</item></channel></rss>', null],
    ['a tag cut off at the end: parse whole', '<rss><channel><item>a</item', null],
    ['an Atom entry document: its entry is the root, parse whole', '<?xml version="1.0"?><!-- c --><entry xmlns="http://www.w3.org/2005/Atom"><id>1</id></entry>', null],
    ['an RSS fragment of bare items: the first is the root, parse whole', '<item><title>a</title></item><item><title>b</title></item>', null],
  ])('%s', (_, text, expected) => {
    expect(cut(text)).toEqual(expected);
  });
});

describe('withoutItems', () => {
  const text = '<rss><channel><title>t</title>\n<item>a</item>\n<item>b</item>\n<item>c</item>\n</channel></rss>';
  const segments = locateItems(text)!;
  it.each<[boolean[], string]>([
    [[false, false, false], text],
    [[true, false, false], '<rss><channel><title>t</title>\n\n<item>b</item>\n<item>c</item>\n</channel></rss>'],
    [[false, true, true], '<rss><channel><title>t</title>\n<item>a</item>\n\n\n</channel></rss>'],
    [[true, true, true], '<rss><channel><title>t</title>\n\n\n\n</channel></rss>'],
  ])('leaving out %j keeps everything around the items', (leaveOut, expected) => {
    expect(withoutItems(text, segments, leaveOut)).toBe(expected);
  });
});

describe('segmentKey', () => {
  const text = '<rss><item>a</item><item>a</item><item>b</item></rss>';
  const [first, second, third] = locateItems(text)!;
  it('is the same for the same text at another place, and differs for other text or another document URL', () => {
    expect(segmentKey(text, first!, 'https://a.example/feed')).toBe(segmentKey(text, second!, 'https://a.example/feed'));
    expect(segmentKey(text, first!, 'https://a.example/feed')).not.toBe(segmentKey(text, third!, 'https://a.example/feed'));
    expect(segmentKey(text, first!, 'https://a.example/feed')).not.toBe(segmentKey(text, first!, 'https://b.example/feed'));
    expect(segmentKey(text, first!, null)).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
