/**
 * Feed parsing, part of parse.ts: mapping rss-parser's output to ParsedFeed.
 */
import type { ParsedFeed, ParsedItem } from './types.js';

/** More items than any real feed publishes; a bigger list is a bug or an attack, and the newest come first. */
export const MAX_ITEMS = 5_000;

export interface ParseOptions {
  /** The URL the document was fetched from: the base for relative links. */
  baseUrl: string | null;
}

export type Raw = Record<string, unknown>;
export type RawOutput = Raw & { items: Raw[] };

export function toParsedFeed(raw: RawOutput, format: string, repairs: string[], options: ParseOptions): ParsedFeed {
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
    droppedItems: Math.max(0, raw.items.length - MAX_ITEMS),
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

/**
 * The first image the item names: an image enclosure, then Media RSS content/thumbnails, then
 * itunes:image. Each source is read only when those before it name none (most items name none).
 */
function imageOf(raw: Raw): string | null {
  const enclosure = recordOf(raw['enclosure']);
  const enclosed = isImage(enclosure['type'], undefined, enclosure['url']) ? textOf(enclosure['url']) : null;
  if (enclosed !== null) return enclosed;
  for (const link of arrayOf(raw['wwLinks'])) {
    const attrs = attrsOf(link);
    const url = attrs['rel'] === 'enclosure' && isImage(attrs['type'], undefined, attrs['href']) ? textOf(attrs['href']) : null;
    if (url !== null) return url;
  }
  const media = mediaImages(raw).find((url) => url !== null);
  if (media !== undefined) return media;
  return textOf(attrsOf(raw['wwItunesImage'])['href']) ?? textOf(raw['wwItunesImage']);
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
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
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
  // Most values are a string or absent: no walk, no list of parts.
  if (value === undefined) return null;
  const text = (typeof value === 'string' ? value : collectText(value)).trim();
  return text === '' ? null : text;
}

/** Marks where collectText puts a space between sibling texts. */
const SEPARATOR = Symbol('separator');

/**
 * Text of an xml2js value: a string, the `_` text of an element with attributes, the first of an
 * array, or the texts of an element's children (all of each child list) joined by spaces. An
 * explicit stack, not recursion: elements in a feed can nest arbitrarily deep.
 */
function collectText(value: unknown): string {
  const parts: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === SEPARATOR) parts.push(' ');
    else if (typeof next === 'string') parts.push(next);
    else if (typeof next === 'number') parts.push(String(next));
    else if (Array.isArray(next)) {
      if (next.length > 0) stack.push(next[0]);
    } else if (typeof next === 'object' && next !== null) {
      const record = next as Raw;
      if (typeof record['_'] === 'string') {
        parts.push(record['_']);
        continue;
      }
      // Children pushed in reverse, each separated by a space, each child list read whole.
      const children = Object.entries(record).filter(([key]) => key !== '$').flatMap(([, child]): unknown[] => (Array.isArray(child) ? (child as unknown[]) : [child]));
      children.forEach((child, index) => {
        stack.push(children[children.length - 1 - index]);
        if (index < children.length - 1) stack.push(SEPARATOR);
      });
    }
  }
  return parts.join('');
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

