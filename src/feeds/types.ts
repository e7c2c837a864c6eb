/**
 * The shapes that flow through the feeds capability: what a fetch returns, what the parser
 * extracts from a document, and the normalised Story every later stage works on.
 */

/** One entry as the parser found it, before normalisation. All text is as published (may hold HTML). */
export interface ParsedItem {
  guid: string | null;
  /** The item's link, resolved against xml:base / the feed link when it was relative. */
  link: string | null;
  title: string | null;
  /** Short description / Atom summary, possibly HTML. */
  summaryHtml: string | null;
  /** Full content (content:encoded / Atom content), possibly HTML. */
  contentHtml: string | null;
  /** The date string as published (pubDate, dc:date, updated, published …). */
  date: string | null;
  categories: string[];
  imageUrl: string | null;
  /** The outlet named by an item-level <source> element (Google News), if any. */
  sourceName: string | null;
  language: string | null;
}

export interface ParsedFeed {
  /** 'rss2', 'rss1', 'rss0.9', 'atom' — which builder produced it. */
  format: string;
  title: string | null;
  link: string | null;
  language: string | null;
  items: ParsedItem[];
  /** Items past MAX_ITEMS, left unread (the caller logs them; feeds list newest first). */
  droppedItems: number;
  /** Repairs applied to get a parse (e.g. 'escaped-raw-ampersand', 'lenient-reserialise'); empty when the document was clean. */
  repairs: string[];
}

/** How the body's characters were decoded, for logs and tests. */
export interface DecodedBody {
  text: string;
  /** WHATWG encoding label actually used, e.g. 'utf-8', 'windows-1251'. */
  encoding: string;
  /** Which rule chose the encoding. */
  encodingSource: 'http-header' | 'xml-declaration' | 'bom' | 'sniffed' | 'default';
  /** True when the bytes were gzip-compressed without a Content-Encoding header and we inflated them. */
  inflated: boolean;
}
