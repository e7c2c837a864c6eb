/**
 * Parses a decoded feed document (RSS 0.9x/2.0, RSS 1.0/RDF, Atom) into a ParsedFeed.
 *
 * rss-parser is the parser of record. Real feeds are often not well-formed XML, so the text goes
 * through cheap textual clean-ups first (cleanUpText). When rss-parser still rejects it, finds no
 * items where the text has some, or would scramble HTML written as elements, the document is
 * parsed leniently with htmlparser2, the feed root is located, fixed up and re-serialised as
 * well-formed XML (repairTree), and rss-parser gets a second try. Every repair is listed in `repairs`.
 *
 * Failures are always WirewatchErrors: 'feed_not_a_feed' when there is no feed in the document,
 * 'feed_parse_error' when there is one that cannot be read even after repair.
 */
import { createRequire } from 'node:module';
import type Parser from 'rss-parser';
import { WirewatchError } from '../errors.js';
import { printableExcerpt } from '../safe-text.js';
import type { ParsedFeed } from './types.js';
import { cleanUpText, hasInlineMarkup, mentionsEntries } from './parse-clean-text.js';
import { repairTree } from './parse-repair-tree.js';
import { toParsedFeed, type ParseOptions, type Raw, type RawOutput } from './parse-mapping.js';

export { MAX_ITEMS, type ParseOptions } from './parse-mapping.js';


/** Element names the item mapping reads beyond rss-parser's defaults, under names rss-parser does not use itself. */
const ITEM_FIELDS: Parser.CustomFieldItem<Raw>[] = [
  ['source', 'wwSource'],
  ['media:content', 'wwMediaContent', { keepArray: true }],
  ['media:thumbnail', 'wwMediaThumbnail', { keepArray: true }],
  ['media:group', 'wwMediaGroup', { keepArray: true }],
  ['itunes:image', 'wwItunesImage'],
  ['link', 'wwLinks', { keepArray: true }],
  ['category', 'wwCategories', { keepArray: true }],
  ['dc:subject', 'wwSubjects', { keepArray: true }],
  // Raw Atom dates: rss-parser only exposes them converted to ISO strings.
  ['published', 'wwPublished'],
  ['updated', 'wwUpdated'],
  ['issued', 'wwIssued'],
  ['modified', 'wwModified'],
  ['created', 'wwCreated'],
  ['ww-unparsed-published', 'wwUnparsedPublished'],
  ['ww-unparsed-updated', 'wwUnparsedUpdated'],
  // The element's attributes (xml:base, xml:lang, rdf:about): copyFromXML copies the `$` key as is.
  ['$', 'wwAttrs', { keepArray: true }],
];
/**
 * rss-parser's typings allow only plain names for feed-level fields, but it copies them with the
 * same [from, to, options] tuples as item fields, hence the cast where they are passed.
 */
const FEED_FIELDS: Parser.CustomFieldItem<Raw>[] = [
  ['dc:language', 'wwDcLanguage'],
  ['$', 'wwAttrs', { keepArray: true }],
];

/**
 * rss-parser, with xml2js and sax, is loaded when the first document is parsed: about 40 ms of CPU
 * and 10 MB that a process would spend for nothing when every feed answers 304 or the same body.
 *
 * rss-parser derives `contentSnippet` (which nothing here reads) with a regex that is quadratic on
 * a '<' with no '>' after it: a 160 KB description of "x&lt;p" takes 7 s, a megabyte minutes.
 * rss-parser calls the helper through its utils module, so replacing it there, before the first
 * parse, disarms that.
 */
let rssParser: typeof Parser | null = null;

function loadRssParser(): typeof Parser {
  if (rssParser === null) {
    const require = createRequire(import.meta.url);
    const utils = require('rss-parser/lib/utils.js') as { getSnippet: (html: string) => string };
    utils.getSnippet = () => '';
    rssParser = require('rss-parser') as typeof Parser;
  }
  return rssParser;
}

export async function parseFeedDocument(text: string, options: ParseOptions): Promise<ParsedFeed> {
  try {
    return await parseOrRepair(text, options);
  } catch (error) {
    if (error instanceof WirewatchError) throw error;
    throw new WirewatchError('feed_parse_error', `feed could not be parsed: ${reasonOf(error)}`, { cause: error });
  }
}

async function parseOrRepair(text: string, options: ParseOptions): Promise<ParsedFeed> {
  const cleaned = cleanUpText(text);
  let strict: RawOutput | null = null;
  let strictError: unknown = null;
  try {
    strict = await runRssParser(cleaned.text);
  } catch (error) {
    strictError = error;
  }
  // Even an accepted document goes through the tree when rss-parser's reading of it is poor: no
  // items although the text has some (prefixed Atom elements), or HTML written as elements inside
  // a description/content, whose text xml2js reorders ("see the  page<a>Showcase</a>").
  const worthRepair = strict === null || hasInlineMarkup(cleaned.text) || (strict.items.length === 0 && mentionsEntries(cleaned.text));
  if (strict && !worthRepair) return toParsedFeed(strict, cleaned.format, cleaned.repairs, options);
  let repaired: { raw: RawOutput; format: string; repairs: string[] };
  try {
    const tree = repairTree(cleaned.text);
    repaired = { raw: await runRssParser(tree.xml), format: tree.format, repairs: tree.repairs };
  } catch (error) {
    if (strict) return toParsedFeed(strict, cleaned.format, cleaned.repairs, options);
    throw asParseError(error, strictError);
  }
  // The repaired reading must not lose items the strict one had, and must find some to be worth its repairs.
  if (strict && repaired.raw.items.length < Math.max(strict.items.length, 1)) {
    return toParsedFeed(strict, cleaned.format, cleaned.repairs, options);
  }
  return toParsedFeed(repaired.raw, repaired.format, [...cleaned.repairs, ...repaired.repairs], options);
}

async function runRssParser(xml: string): Promise<RawOutput> {
  // A fresh parser per document: xml2js parser state must not leak between documents.
  const RssParser = loadRssParser();
  const parser = new RssParser<Raw, Raw>({
    defaultRSS: 2,
    customFields: { item: ITEM_FIELDS, feed: FEED_FIELDS as string[] },
  });
  // Typed loosely on purpose: every field is read through the defensive helpers below.
  const output: RawOutput = await parser.parseString(xml);
  if (!Array.isArray(output.items)) output.items = [];
  return output;
}

function asParseError(error: unknown, strictError: unknown): WirewatchError {
  if (error instanceof WirewatchError) return error;
  const strictReason = strictError === null ? '' : ` (strict parse: ${reasonOf(strictError)})`;
  return new WirewatchError('feed_parse_error', `feed could not be parsed even after repair: ${reasonOf(error)}${strictReason}`, {
    cause: error,
  });
}

/** The parser's message, one bounded printable line: sax quotes the offending character, which can be anything. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return printableExcerpt(message.replace(/\s+/g, ' ').trim(), 300);
}

