/**
 * A bound on how deep markup may nest before it is parsed. Real feeds nest a few dozen levels (a
 * few hundred with unclosed <br>s in raw HTML). Thousands mean a broken generator or an attack:
 * htmlparser2's open-element stack makes parsing them quadratic (80,000 levels: over a second),
 * and every recursive consumer downstream (xml2js's builder inside rss-parser, dom-serializer,
 * domutils) overflows the call stack at a few thousand. Tags past the bound are dropped and their
 * text kept, so the item that carried them degrades instead of taking the feed down with it.
 */

/** Deeper than any real document; shallow enough for every recursive consumer. */
export const MAX_NESTING = 500;

/** Skips CDATA, comments, declarations; captures a tag's slash, name and self-closing slash. No part can cross a '<', so no backtracking blow-up. */
const TAG_TOKEN = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<[!?][^<>]*>?|<(\/?)([A-Za-z_][^\s/<>]*)[^<>]*?(\/?)>/g;

/** HTML elements that never have content, so never deepen the tree. */
const HTML_VOID = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

export interface FlattenedMarkup {
  text: string;
  /** How many start and end tags were dropped. */
  droppedTags: number;
}

/**
 * Drops start tags that would open an element deeper than `limit`, and their end tags, keeping
 * everything else as written. Tracks open elements the way htmlparser2 does (an end tag closes up
 * to its match, a stray one is ignored) in linear time; `html` makes names case-insensitive and
 * void elements leaf nodes.
 */
export function flattenDeepNesting(text: string, limit: number, mode: 'xml' | 'html'): FlattenedMarkup {
  if (!mayNestDeeperThan(text, limit)) return { text, droppedTags: 0 };
  const open: Array<{ name: string; kept: boolean }> = [];
  const openCounts = new Map<string, number>();
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let droppedTags = 0;
  const drop = (start: number, length: number) => {
    pieces.push(text.slice(copiedUpTo, start));
    copiedUpTo = start + length;
    droppedTags += 1;
  };
  for (const token of text.matchAll(TAG_TOKEN)) {
    const [whole, endSlash, rawName, selfClosing] = token;
    if (rawName === undefined || selfClosing === '/') continue;
    const name = mode === 'html' ? rawName.toLowerCase() : rawName;
    if (mode === 'html' && HTML_VOID.has(name)) continue;
    if (endSlash !== '/') {
      const kept = open.length < limit;
      open.push({ name, kept });
      openCounts.set(name, (openCounts.get(name) ?? 0) + 1);
      if (!kept) drop(token.index, whole.length);
    } else if ((openCounts.get(name) ?? 0) > 0) {
      // Close everything opened since the matching start tag; the end tag goes where its start tag went.
      let closed: { name: string; kept: boolean } | undefined;
      do {
        closed = open.pop();
        if (closed !== undefined) openCounts.set(closed.name, (openCounts.get(closed.name) ?? 1) - 1);
      } while (closed !== undefined && closed.name !== name);
      if (closed !== undefined && !closed.kept) drop(token.index, whole.length);
    }
  }
  if (droppedTags === 0) return { text, droppedTags };
  pieces.push(text.slice(copiedUpTo));
  return { text: pieces.join(''), droppedTags };
}

/**
 * Nesting deeper than `limit` needs more than `limit` start tags, so more than `limit` '<' followed
 * by a letter or '_' (end tags, comments, declarations and a '<' in text do not count; one inside
 * CDATA does, which only makes the bound safer). A 50-item feed has a few hundred start tags and
 * about as many end tags: counting every '<' sent it through the full pass.
 */
function mayNestDeeperThan(text: string, limit: number): boolean {
  let count = 0;
  for (let index = text.indexOf('<'); index !== -1; index = text.indexOf('<', index + 1)) {
    if (startsName(text.charCodeAt(index + 1)) && ++count > limit) return true;
  }
  return false;
}

/** The first character of a tag name as TAG_TOKEN reads one: A–Z, a–z or '_'. */
function startsName(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}
