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
import { decodeHTMLStrict } from 'entities';
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';
import Parser from 'rss-parser';
import { WirewatchError } from '../errors.js';
import type { ParsedFeed, ParsedItem } from './types.js';

/** More items than any real feed publishes; a bigger list is a bug or an attack, and the newest come first. */
export const MAX_ITEMS = 5_000;

export interface ParseOptions {
  /** The URL the document was fetched from: the base for relative links. */
  baseUrl: string | null;
}

type Raw = Record<string, unknown>;
type RawOutput = Raw & { items: Raw[] };

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
 * rss-parser derives `contentSnippet` (which nothing here reads) with a regex that is quadratic on
 * a '<' with no '>' after it: a 160 KB description of "x&lt;p" takes 7 s, a megabyte minutes.
 * rss-parser calls the helper through its utils module, so replacing it there disarms that.
 */
const rssParserUtils = createRequire(import.meta.url)('rss-parser/lib/utils.js') as { getSnippet: (html: string) => string };
rssParserUtils.getSnippet = () => '';

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
  const parser = new Parser<Raw, Raw>({
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

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Textual clean-ups: cheap, safe on well-formed documents, applied before the first parse
// ---------------------------------------------------------------------------------------------

interface CleanText {
  text: string;
  /** The format the root element announces (meaningful only once rss-parser accepted the text). */
  format: string;
  repairs: string[];
}

function cleanUpText(input: string): CleanText {
  if (input.trim() === '') throw notAFeed('the document is empty');
  if (!input.includes('<')) {
    throw notAFeed(`the document contains no markup (it starts with ${JSON.stringify(input.trim().slice(0, 40))})`);
  }
  const repairs: string[] = [];
  const text = fixEntities(stripProlog(removeControlCharacters(stripLeadingJunk(input, repairs), repairs)), repairs);
  return { text, format: formatOfRootTag(text), repairs };
}

/** Characters XML 1.0 forbids anywhere (NUL, C0 controls but tab/newline/CR, U+FFFE/FFFF); sax lets them into titles. */
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function removeControlCharacters(text: string, repairs: string[]): string {
  const cleaned = text.replace(FORBIDDEN_CHARACTERS, '');
  if (cleaned.length !== text.length) addRepair(repairs, 'removed-control-characters');
  return cleaned;
}

function stripLeadingJunk(text: string, repairs: string[]): string {
  const start = text.indexOf('<');
  if (start <= 0) return text;
  // Whitespace before a root element is legal XML; before the XML declaration, or any other junk, it is not.
  if (text.slice(0, start).trim() !== '' || text.startsWith('<?xml', start)) addRepair(repairs, 'stripped-leading-junk');
  return text.slice(start);
}

/** Whitespace, comments, processing instructions and a DOCTYPE (with at most one internal subset). Written so no input can backtrack badly. */
const PROLOG_TOKEN = /\s+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^[>]*(?:\[[^\]]*\][^[>]*)?>/iy;

function prologTokens(text: string): { tokens: string[]; end: number } {
  const tokens: string[] = [];
  let end = 0;
  for (;;) {
    PROLOG_TOKEN.lastIndex = end;
    const token = PROLOG_TOKEN.exec(text)?.[0];
    if (token === undefined) return { tokens, end };
    tokens.push(token);
    end += token.length;
  }
}

/**
 * Drops the XML declaration (the text is already decoded, so its encoding would only mislead, and
 * one that follows a comment is an error) and the DOCTYPE (its external DTD is never fetched; the
 * HTML entities it would define are handled by fixEntities).
 */
function stripProlog(text: string): string {
  const { tokens, end } = prologTokens(text);
  const kept = tokens.filter((token) => !/^<\?xml\s/i.test(token) && !/^<!DOCTYPE/i.test(token));
  return kept.join('') + text.slice(end);
}

/** CDATA sections and comments (skipped: their text is not entity-decoded), or an ampersand with the reference it starts. */
const MARKUP_OR_AMPERSAND =
  /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|&(?:(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,40});)?/g;
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Makes every `&` in text and attribute values a valid XML reference: HTML named entities become
 * numeric references (`&nbsp;` → `&#160;`), numeric references XML forbids (`&#0;`) or HTML reads
 * as windows-1252 (`&#150;` → `&#8211;`) get their HTML meaning, anything else is a raw `&` and
 * is escaped. CDATA sections and comments are left alone: their text is literal.
 */
function fixEntities(text: string, repairs: string[]): string {
  return text.replace(MARKUP_OR_AMPERSAND, (match: string, reference: string | undefined) => {
    if (match.startsWith('<')) return match;
    if (reference === undefined) return ampersand(repairs);
    if (reference.startsWith('#')) return fixNumericReference(match, reference, repairs);
    if (XML_ENTITIES.has(reference)) return match;
    const decoded = decodeHTMLStrict(match);
    if (decoded === match) return `${ampersand(repairs)}${reference};`;
    addRepair(repairs, 'html-entities');
    return numericReferences(decoded);
  });
}

function ampersand(repairs: string[]): string {
  addRepair(repairs, 'escaped-raw-ampersand');
  return '&amp;';
}

function fixNumericReference(match: string, reference: string, repairs: string[]): string {
  const hex = reference[1] === 'x' || reference[1] === 'X';
  const code = Number.parseInt(reference.slice(hex ? 2 : 1), hex ? 16 : 10);
  if (isXmlChar(code) && !(code >= 0x80 && code <= 0x9f)) return match;
  addRepair(repairs, 'fixed-character-references');
  return numericReferences(decodeHTMLStrict(match));
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function numericReferences(text: string): string {
  return Array.from(text, (char) => `&#${char.codePointAt(0)};`).join('');
}

function addRepair(repairs: string[], repair: string): void {
  if (!repairs.includes(repair)) repairs.push(repair);
}

/** Mirrors how rss-parser picks its builder from the root element, so `format` names the one that ran. */
function formatFor(rootName: string, version: string): string {
  if (rootName === 'feed') return 'atom';
  if (rootName === 'rdf:RDF') return 'rss1';
  if (rootName === 'rss' && /0\.9/.test(version) && !/^2/.test(version)) return 'rss0.9';
  return rootName === 'rss' ? 'rss2' : 'unknown';
}

function formatOfRootTag(text: string): string {
  const tag = /<([^\s/>]+)([^>]*)/y;
  tag.lastIndex = prologTokens(text).end;
  const match = tag.exec(text);
  const version = /\bversion\s*=\s*["']([^"']*)/.exec(match?.[2] ?? '')?.[1] ?? '';
  return formatFor(match?.[1] ?? '', version);
}

/** Whether the text has an item or entry start tag, prefixed or not. */
function mentionsEntries(text: string): boolean {
  return /<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]/.test(text);
}

/** Elements whose content is HTML (escaped, in CDATA, or — here — written as markup: Atom type="xhtml", careless RSS). */
const HTML_CARRIERS = new Set(['title', 'subtitle', 'description', 'summary', 'content', 'content:encoded']);

/** Whether an HTML-carrying element has an element as content (before its first other tag). */
function hasInlineMarkup(text: string): boolean {
  return /<(?:title|subtitle|description|summary|content|content:encoded)(?:\s[^<>]*)?(?<!\/)>[^<]*<[A-Za-z]/.test(text);
}

function notAFeed(what: string): WirewatchError {
  return new WirewatchError('feed_not_a_feed', `not a feed: ${what}`);
}

// ---------------------------------------------------------------------------------------------
// Lenient repair: parse as tolerant XML, find the feed root, re-serialise it well-formed
// ---------------------------------------------------------------------------------------------

type DomDocument = ReturnType<typeof parseDocument>;
type DomNode = DomDocument['children'][number];
type DomElement = Extract<DomNode, { attribs: Record<string, string> }>;
type FeedKind = 'rss' | 'rdf' | 'atom' | 'entry';

interface RepairedTree {
  xml: string;
  format: string;
  repairs: string[];
}

const ATOM_NAMESPACES = new Set(['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#']);

function repairTree(text: string): RepairedTree {
  if (nestingDepthExceeds(text, MAX_DEPTH)) {
    throw new WirewatchError('feed_parse_error', `elements are nested more than ${MAX_DEPTH} levels deep`);
  }
  // htmlparser2 in xmlMode never rejects input: it closes what is left open at the end (truncated
  // documents), pops mismatched end tags, and keeps names, prefixes and CDATA as written.
  const document = parseDocument(text, { xmlMode: true });
  const top = document.children.find((node): node is DomElement => DomUtils.isTag(node));
  if (top === undefined) throw notAFeed('the document has no root element');
  const root = elementsUnder(document).find((element) => feedKindOf(element, top) !== null);
  const kind = root === undefined ? null : feedKindOf(root, top);
  if (root === undefined || kind === null) throw notAFeed(`the document's root element is <${top.name}>`);
  const repairs = ['lenient-reserialise'];
  if (root !== top) repairs.push('embedded-feed-root');
  removeCommentsAndDirectives(root);
  if (dropInvalidNames(root) > 0) repairs.push('dropped-invalid-names');
  if (escapeInlineMarkup(root) > 0) repairs.push('escaped-inline-markup');
  return kind === 'rss' || kind === 'rdf' ? rssTree(root, kind, repairs) : atomTree(root, kind, repairs);
}

function feedKindOf(element: DomElement, top: DomElement): FeedKind | null {
  const { prefix, local } = splitName(element.name);
  if (local === 'rss' && prefix === null) return 'rss';
  // RSS 1.0 is <rdf:RDF>; a bare <rdf>/<RDF> holding items is read the same way, but RDF that
  // carries no channel or item (FOAF, DOAP …) is data, not a feed.
  if (local.toLowerCase() === 'rdf') return hasDescendant(element, ['channel', 'item']) ? 'rdf' : null;
  if (local !== 'feed' && !(local === 'entry' && element === top)) return null;
  if (prefix !== null && !ATOM_NAMESPACES.has(namespaceOf(element, prefix) ?? '')) return null;
  return local === 'feed' ? 'atom' : 'entry';
}

function rssTree(root: DomElement, kind: 'rss' | 'rdf', repairs: string[]): RepairedTree {
  // rss-parser looks the RSS 1.0 root up by the literal name 'rdf:RDF'.
  if (kind === 'rdf' && root.name !== 'rdf:RDF') {
    root.name = 'rdf:RDF';
    repairs.push('renamed-rdf-root');
  }
  let channel = root.children.find((child): child is DomElement => isNamed(child, 'channel'));
  if (channel === undefined) {
    // rss-parser dereferences channel[0] unconditionally. RSS 2 keeps everything inside the
    // channel; RSS 1.0 keeps items beside it, so there the new channel stays empty.
    channel = newElement('channel');
    if (kind === 'rss') for (const child of [...root.children]) DomUtils.appendChild(channel, child);
    DomUtils.prependChild(root, channel);
    repairs.push('added-missing-channel');
  }
  // An unclosed element before the items (<itunes:category> without its end tag) swallows them
  // in the lenient parse; rss-parser only reads items that are children of channel (RSS 2) or root (RSS 1.0).
  if (hoistItems(kind === 'rss' ? channel : root) > 0) repairs.push('hoisted-nested-items');
  const format = kind === 'rdf' ? 'rss1' : formatFor('rss', root.attribs['version'] ?? '');
  return { xml: serialise(root), format, repairs };
}

function hoistItems(parent: DomElement): number {
  const nested = elementsUnder(parent).filter((element) => element.name === 'item' && element.parent !== parent);
  for (const item of nested) DomUtils.appendChild(parent, item);
  return nested.length;
}

function hasDescendant(element: DomElement, names: string[]): boolean {
  return elementsUnder(element).some((descendant) => names.includes(splitName(descendant.name).local));
}

/** htmlparser2 does not re-export domhandler's node classes; a one-node parse makes one. */
function newElement(name: string): DomElement {
  const element = parseDocument(`<${name}/>`, { xmlMode: true }).children[0];
  if (element === undefined || !DomUtils.isTag(element)) throw new Error(`could not create <${name}>`);
  return element;
}

function newText(data: string): DomNode & { data: string } {
  const text = parseDocument('x', { xmlMode: true }).children[0];
  if (text === undefined || !DomUtils.isText(text)) throw new Error('could not create a text node');
  text.data = data;
  return text;
}

function atomTree(root: DomElement, kind: 'atom' | 'entry', repairs: string[]): RepairedTree {
  const prefixed = root.name.includes(':');
  if (stripAtomPrefixes(root) > 0) repairs.push(prefixed ? 'namespaced-atom-root' : 'namespaced-atom-elements');
  const entries = kind === 'entry' ? [root] : root.children.filter((child): child is DomElement => isNamed(child, 'entry'));
  if (fixAtomLinks([root, ...entries]) > 0) repairs.push('atom-link-without-href');
  if (hideUnparseableDates(entries) > 0) repairs.push('unparseable-atom-dates');
  if (kind === 'atom') return { xml: serialise(root), format: 'atom', repairs };
  repairs.push('wrapped-atom-entry');
  return { xml: `<feed xmlns="http://www.w3.org/2005/Atom">${serialise(root)}</feed>`, format: 'atom', repairs };
}

/** `<a:feed xmlns:a="…Atom">`, `<p0:entry xmlns:p0="…Atom">`: rss-parser only knows unprefixed Atom names. */
function stripAtomPrefixes(root: DomElement): number {
  let renamed = 0;
  for (const element of [root, ...elementsUnder(root)]) {
    const { prefix, local } = splitName(element.name);
    if (prefix !== null && ATOM_NAMESPACES.has(namespaceOf(element, prefix) ?? '')) {
      element.name = local;
      renamed += 1;
    }
  }
  return renamed;
}

/** rss-parser reads `link.$.rel` on every Atom link and throws on a bare `<link>url</link>` or `<link/>`. */
function fixAtomLinks(parents: DomElement[]): number {
  let fixed = 0;
  for (const link of parents.flatMap((parent) => parent.children.filter((child): child is DomElement => isNamed(child, 'link')))) {
    if (Object.keys(link.attribs).length > 0) continue;
    const url = DomUtils.textContent(link).trim();
    if (url === '') DomUtils.removeElement(link);
    else link.attribs['href'] = url;
    link.children = [];
    fixed += 1;
  }
  return fixed;
}

/** rss-parser converts published/updated with `new Date(…).toISOString()`, which throws on a bad date and loses the whole feed. */
function hideUnparseableDates(entries: DomElement[]): number {
  let hidden = 0;
  for (const child of entries.flatMap((entry) => entry.children)) {
    if (!isNamed(child, 'published') && !isNamed(child, 'updated')) continue;
    const text = DomUtils.textContent(child).trim();
    if (text === '' || !Number.isNaN(Date.parse(text))) continue;
    child.name = `ww-unparsed-${child.name}`;
    hidden += 1;
  }
  return hidden;
}

/**
 * Real documents nest a few dozen levels (a few hundred with unclosed <br>s in raw HTML). Thousands
 * mean a broken generator or an attack: htmlparser2's open-element stack makes parsing them
 * quadratic (80,000 levels: over a second), and the recursive serialisers overflow the call stack
 * at about 3,000.
 */
const MAX_DEPTH = 2_000;
/** Skips CDATA, comments, declarations; captures a tag's slash, name and self-closing slash. No part can cross a '<', so no backtracking blow-up. */
const TAG_TOKEN = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<[!?][^<>]*>?|<(\/?)([A-Za-z_][^\s/<>]*)[^<>]*?(\/?)>/g;

/** Tracks open elements the way htmlparser2's xmlMode does (an end tag closes up to its match, a stray one is ignored), in linear time. */
function nestingDepthExceeds(text: string, limit: number): boolean {
  const open: string[] = [];
  const openCounts = new Map<string, number>();
  for (const [, endSlash, name, selfClosing] of text.matchAll(TAG_TOKEN)) {
    if (name === undefined || selfClosing === '/') continue;
    if (endSlash !== '/') {
      open.push(name);
      openCounts.set(name, (openCounts.get(name) ?? 0) + 1);
      if (open.length > limit) return true;
    } else if ((openCounts.get(name) ?? 0) > 0) {
      // Close everything opened since the matching start tag.
      let closed: string | undefined;
      do {
        closed = open.pop();
        if (closed !== undefined) openCounts.set(closed, (openCounts.get(closed) ?? 1) - 1);
      } while (closed !== undefined && closed !== name);
    }
  }
  return false;
}

/** Lenient parsing accepts tag and attribute names XML does not (`<img alt="a"" />` gives an attribute named `"`); rss-parser would reject them again. */
const XML_NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.:\u00B7\u00C0-\uFFFF-]*$/;

function dropInvalidNames(root: DomElement): number {
  let dropped = 0;
  for (const element of elementsUnder(root)) {
    for (const name of Object.keys(element.attribs)) {
      if (XML_NAME.test(name)) continue;
      delete element.attribs[name];
      dropped += 1;
    }
    if (XML_NAME.test(element.name)) continue;
    // Keep the content, lose the bogus tag.
    for (const child of [...element.children]) DomUtils.prepend(element, child);
    element.children = [];
    DomUtils.removeElement(element);
    dropped += 1;
  }
  return dropped;
}

function removeCommentsAndDirectives(root: DomElement): void {
  // A comment holding "--" or a stray <!DOCTYPE> inside the root would make the output ill-formed again.
  const unwanted = nodesUnder(root).filter((node) => node.type === ElementType.Comment || node.type === ElementType.Directive);
  for (const node of unwanted) DomUtils.removeElement(node);
}

/**
 * Turns HTML written as elements inside an HTML-carrying element into text, as if it had been
 * escaped: rss-parser's xml2js would otherwise hand back the text and the child elements
 * separately and out of order. Serialised in HTML mode, unclosed <br>/<img> come out as written.
 */
function escapeInlineMarkup(root: DomElement): number {
  let escaped = 0;
  for (const element of elementsUnder(root)) {
    if (!HTML_CARRIERS.has(element.name) || !element.children.some((child) => DomUtils.isTag(child))) continue;
    const html = DomUtils.getInnerHTML(element, { encodeEntities: 'utf8' });
    const text = newText(html);
    element.children = [text];
    text.parent = element;
    escaped += 1;
  }
  return escaped;
}

type DomParent = { children: DomNode[] };

/** Every node below `parent` in document order. An explicit stack: domutils' walkers shift and unshift theirs, which is quadratic in depth. */
function nodesUnder(parent: DomParent): DomNode[] {
  const nodes: DomNode[] = [];
  const stack = [...parent.children].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    nodes.push(node);
    if ('children' in node) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index] as DomNode);
  }
  return nodes;
}

function elementsUnder(parent: DomParent): DomElement[] {
  return nodesUnder(parent).filter((node): node is DomElement => DomUtils.isTag(node));
}

function serialise(root: DomElement): string {
  return DomUtils.getOuterHTML(root, { xmlMode: true });
}

function isNamed(node: DomNode, name: string): node is DomElement {
  return DomUtils.isTag(node) && node.name === name;
}

function splitName(name: string): { prefix: string | null; local: string } {
  const colon = name.indexOf(':');
  return colon === -1 ? { prefix: null, local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

/** The namespace URI a prefix is bound to at this element (nearest xmlns:prefix on it or an ancestor). */
function namespaceOf(element: DomElement, prefix: string): string | null {
  const attribute = `xmlns:${prefix}`;
  for (let node: DomNode | null = element; node !== null; node = node.parent as DomNode | null) {
    if (DomUtils.isTag(node) && node.attribs[attribute] !== undefined) return node.attribs[attribute];
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Mapping rss-parser's output to ParsedFeed
// ---------------------------------------------------------------------------------------------

function toParsedFeed(raw: RawOutput, format: string, repairs: string[], options: ParseOptions): ParsedFeed {
  const attrs = recordOf(raw['wwAttrs']);
  const documentBase = absoluteUrl(options.baseUrl);
  // xml:base on the feed element refines the document's own URL; an unresolvable one is ignored.
  const feedBase = absoluteUrl(resolveUrl(textOf(attrs['xml:base']), [documentBase])) ?? documentBase;
  const link = resolveUrl(linkOf(raw['link']), [feedBase]);
  const feedLinkBase = absoluteUrl(link);
  const items = raw.items.slice(0, MAX_ITEMS).map((item) => toParsedItem(item, format, [feedBase, feedLinkBase]));
  return {
    format,
    title: textOf(raw['title']),
    link,
    language: textOf(raw['language']) ?? textOf(raw['wwDcLanguage']) ?? textOf(attrs['xml:lang']),
    items,
    repairs,
  };
}

function toParsedItem(raw: Raw, format: string, outerBases: Array<string | null>): ParsedItem {
  const attrs = recordOf(raw['wwAttrs']);
  const itemBase = absoluteUrl(resolveUrl(textOf(attrs['xml:base']), outerBases));
  // The most specific base first (RFC 3986 §5.1): the item's xml:base, the feed's xml:base or the
  // document URL, and only when neither is known the site the feed links to.
  const bases = [itemBase, ...outerBases];
  const atom = format === 'atom';
  return {
    guid: textOf(raw['guid']) ?? textOf(raw['id']) ?? textOf(attrs['rdf:about']),
    link: resolveUrl(linkOf(raw['link']) ?? linkOf(raw['wwLinks']), bases),
    title: textOf(raw['title']),
    summaryHtml: atom ? htmlOf(raw['summary']) : (htmlOf(raw['content']) ?? htmlOf(raw['summary'])),
    contentHtml: atom ? htmlOf(raw['content']) : htmlOf(raw['content:encoded']),
    date: dateOf(raw, atom),
    categories: categoriesOf(raw),
    imageUrl: resolveUrl(imageOf(raw), bases),
    sourceName: sourceNameOf(raw['wwSource']),
    language: textOf(raw['language']) ?? textOf(attrs['xml:lang']),
  };
}

/** The raw date string, publication before modification. rss-parser's Atom pubDate is already converted, so Atom reads the raw elements. */
function dateOf(raw: Raw, atom: boolean): string | null {
  const keys = atom
    ? ['wwPublished', 'wwIssued', 'wwCreated', 'wwUnparsedPublished', 'wwUpdated', 'wwModified', 'wwUnparsedUpdated']
    : ['pubDate', 'date', 'wwPublished', 'wwIssued', 'wwCreated', 'wwUpdated', 'wwModified'];
  for (const key of keys) {
    const value = textOf(raw[key]);
    if (value) return value;
  }
  return null;
}

function categoriesOf(raw: Raw): string[] {
  // wwCategories holds the same <category> elements rss-parser reads for RSS, plus Atom's.
  const values = [...arrayOf(raw['wwCategories']), ...arrayOf(raw['wwSubjects'])];
  const names = values.map((value) => {
    const attrs = attrsOf(value);
    // Atom puts the category in attributes; RSS in the text (with an optional domain attribute).
    return textOf(attrs['term']) ?? textOf(value) ?? textOf(attrs['label']);
  });
  return [...new Set(names.filter((name): name is string => name !== null))];
}

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif|bmp)(?:[?#]|$)/i;

/** The first image the item names: an image enclosure, then Media RSS content/thumbnails, then itunes:image. */
function imageOf(raw: Raw): string | null {
  const enclosure = recordOf(raw['enclosure']);
  const candidates: Array<string | null> = [
    isImage(enclosure['type'], undefined, enclosure['url']) ? textOf(enclosure['url']) : null,
    ...arrayOf(raw['wwLinks']).map((link) => {
      const attrs = attrsOf(link);
      return attrs['rel'] === 'enclosure' && isImage(attrs['type'], undefined, attrs['href']) ? textOf(attrs['href']) : null;
    }),
    ...mediaImages(raw),
    textOf(attrsOf(raw['wwItunesImage'])['href']) ?? textOf(raw['wwItunesImage']),
  ];
  return candidates.find((url) => url !== null) ?? null;
}

function mediaImages(raw: Raw): Array<string | null> {
  const groups = arrayOf(raw['wwMediaGroup']).map(recordOf);
  const contents = [...arrayOf(raw['wwMediaContent']), ...groups.flatMap((group) => arrayOf(group['media:content']))];
  const thumbnails = [...arrayOf(raw['wwMediaThumbnail']), ...groups.flatMap((group) => arrayOf(group['media:thumbnail']))];
  return [
    ...contents.map((content) => {
      const attrs = attrsOf(content);
      return isImage(attrs['type'], attrs['medium'], attrs['url']) ? textOf(attrs['url']) : null;
    }),
    ...thumbnails.map((thumbnail) => textOf(attrsOf(thumbnail)['url'])),
  ];
}

function isImage(type: unknown, medium: unknown, url: unknown): boolean {
  if (typeof medium === 'string' && medium !== '') return medium === 'image';
  if (typeof type === 'string' && type !== '') return type.toLowerCase().startsWith('image/');
  return typeof url === 'string' && IMAGE_EXTENSION.test(url);
}

/** Google News: <source url="…">Outlet</source>. Atom: <source> holds the origin feed's metadata, whose title names the outlet. */
function sourceNameOf(value: unknown): string | null {
  const record = recordOf(value);
  if ('title' in record) return textOf(record['title']);
  return typeof value === 'string' || typeof record['_'] === 'string' ? textOf(value) : null;
}

// ---------------------------------------------------------------------------------------------
// Reading xml2js values: a string, { _: text, $: attributes }, an element object, or an array of those
// ---------------------------------------------------------------------------------------------

function recordOf(value: unknown): Raw {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' && first !== null ? (first as Raw) : {};
}

function attrsOf(value: unknown): Raw {
  return recordOf(recordOf(value)['$']);
}

function arrayOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The trimmed text of a value (nested element text joined), or null when there is none. */
function textOf(value: unknown): string | null {
  const text = collectText(value).trim();
  return text === '' ? null : text;
}

function collectText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length > 0 ? collectText(value[0]) : '';
  if (typeof value !== 'object' || value === null) return '';
  const record = value as Raw;
  if (typeof record['_'] === 'string') return record['_'];
  return Object.entries(record)
    .filter(([key]) => key !== '$')
    .map(([, child]) => (Array.isArray(child) ? child.map(collectText).join(' ') : collectText(child)))
    .join(' ');
}

/** HTML bodies are kept as published (untrimmed) unless blank. */
function htmlOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  return textOf(value);
}

/** A link as text (RSS) or as an href attribute (Atom-style <link href>), preferring rel="alternate". */
function linkOf(value: unknown): string | null {
  const links = arrayOf(value);
  const isAlternate = (link: unknown): boolean => {
    const rel = textOf(attrsOf(link)['rel']);
    return rel === null || rel === 'alternate';
  };
  for (const link of [...links.filter(isAlternate), ...links]) {
    const url = textOf(attrsOf(link)['href']) ?? textOf(link);
    if (url) return url;
  }
  return null;
}

function absoluteUrl(value: string | null): string | null {
  if (value === null || !URL.canParse(value)) return null;
  return new URL(value).href;
}

/** Absolute references are kept as given; relative ones are resolved against the first absolute base there is, else kept as given. */
function resolveUrl(reference: string | null, bases: Array<string | null>): string | null {
  if (reference === null) return null;
  if (URL.canParse(reference)) return reference;
  const base = bases.find((candidate): candidate is string => candidate !== null && URL.canParse(candidate));
  return base !== undefined && URL.canParse(reference, base) ? new URL(reference, base).href : reference;
}
