/**
 * Feed parsing, part of parse.ts: textual clean-ups: cheap, safe on well-formed documents, applied before the first parse.
 */
import { decodeHTMLStrict } from 'entities';
import { WirewatchError } from '../errors.js';
import { flattenDeepNesting, MAX_NESTING } from './nesting.js';
import { printableExcerpt } from '../safe-text.js';

export interface CleanText {
  text: string;
  /** The format the root element announces (meaningful only once rss-parser accepted the text). */
  format: string;
  repairs: string[];
}

export function cleanUpText(input: string): CleanText {
  if (input.trim() === '') throw notAFeed('the document is empty');
  const binary = binaryEvidence(input);
  if (binary !== null) throw notAFeed(binary);
  if (!input.includes('<')) {
    throw notAFeed(`the document contains no markup (it starts with ${JSON.stringify(printableExcerpt(input.trim().slice(0, 40), 40))})`);
  }
  const repairs: string[] = [];
  const text = flattenNesting(fixEntities(stripProlog(removeControlCharacters(stripLeadingJunk(input, repairs), repairs)), repairs), repairs);
  return { text, format: formatOfRootTag(text), repairs };
}

/** Elements nested past MAX_NESTING lose their tags (text kept): see nesting.ts for why. */
function flattenNesting(text: string, repairs: string[]): string {
  const flattened = flattenDeepNesting(text, MAX_NESTING, 'xml');
  if (flattened.droppedTags > 0) addRepair(repairs, 'flattened-deep-nesting');
  return flattened.text;
}

/** How much of the start of a document is looked at for binary content. */
const BINARY_SAMPLE_CHARS = 4096;
/** Controls no text format uses (tab, newline, form feed, CR excepted) and the replacement character of undecodable bytes. */
const BINARY_CHARACTERS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufffd]/g;

/**
 * Images, archives and other binary bodies served as feeds: decoded as text they are full of
 * control characters and undecodable bytes (random bytes: one in eight), text feeds have none or a
 * stray few. The reason names counts only, never the bytes.
 */
function binaryEvidence(text: string): string | null {
  const sample = text.slice(0, BINARY_SAMPLE_CHARS);
  const suspicious = sample.match(BINARY_CHARACTERS)?.length ?? 0;
  if (suspicious < 16 || suspicious < sample.length * 0.05) return null;
  return `the body is binary data, not text (${suspicious} control or undecodable characters in its first ${sample.length})`;
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
  // A document with no '&' has nothing to fix; one whose references are all valid XML is
  // returned as it is, not rebuilt piece by piece around every CDATA section it holds.
  if (!text.includes('&')) return text;
  const pieces: string[] = [];
  let copied = 0;
  MARKUP_OR_AMPERSAND.lastIndex = 0;
  for (let match = MARKUP_OR_AMPERSAND.exec(text); match !== null; match = MARKUP_OR_AMPERSAND.exec(text)) {
    const fixed = fixedReference(match[0], match[1], repairs);
    if (fixed === match[0]) continue;
    pieces.push(text.slice(copied, match.index), fixed);
    copied = match.index + match[0].length;
  }
  if (pieces.length === 0) return text;
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/** What one match of MARKUP_OR_AMPERSAND becomes: itself when it is markup or a valid XML reference. */
function fixedReference(match: string, reference: string | undefined, repairs: string[]): string {
  if (match.startsWith('<')) return match;
  if (reference === undefined) return ampersand(repairs);
  if (reference.startsWith('#')) return fixNumericReference(match, reference, repairs);
  if (XML_ENTITIES.has(reference)) return match;
  const decoded = decodeHTMLStrict(match);
  if (decoded === match) return `${ampersand(repairs)}${reference};`;
  addRepair(repairs, 'html-entities');
  return numericReferences(decoded);
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
export function formatFor(rootName: string, version: string): string {
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
export function mentionsEntries(text: string): boolean {
  return /<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]/.test(text);
}

/** Elements whose content is HTML (escaped, in CDATA, or — here — written as markup: Atom type="xhtml", careless RSS). */
export const HTML_CARRIERS = new Set(['title', 'subtitle', 'description', 'summary', 'content', 'content:encoded']);

/** Whether an HTML-carrying element has an element as content (before its first other tag). */
export function hasInlineMarkup(text: string): boolean {
  return /<(?:title|subtitle|description|summary|content|content:encoded)(?:\s[^<>]*)?(?<!\/)>[^<]*<[A-Za-z]/.test(text);
}

/** `what` may quote the document: only through printableExcerpt. */
export function notAFeed(what: string): WirewatchError {
  return new WirewatchError('feed_not_a_feed', `not a feed: ${what}`);
}

