/**
 * The items of a feed document, found in its text without parsing it, so that a poll can leave
 * out of the parse the items it has already read. A feed lists its recent items every time; when
 * ten are new among eighty, parsing all eighty is most of a poll's cost. An item whose text is, to
 * the character, the text of an item recorded before (same feed, same document URL) is that same
 * item: its id is taken from the record instead of from a parse.
 *
 * Only documents whose items can be cut out exactly are segmented: `<item>` or `<entry>` elements
 * (not both kinds), none inside another, none self-closing, every one closed. CDATA sections and
 * comments are stepped over, so an `<item>` written inside them is not taken for one. Anything
 * else answers null and the document is parsed whole, as before.
 *
 * Pure.
 */
import { hash } from 'node:crypto';

export interface ItemSegment {
  /** Offset of the item's `<` in the text. */
  start: number;
  /** Offset just past its closing tag's `>`. */
  end: number;
}

/** Tokens that matter to segmenting: CDATA and comment openers (stepped over), and item or entry tags. */
const ITEM_TOKENS = /<!\[CDATA\[|<!--|<(\/?)(item|entry)(?=[\s>/])/g;

/** The item elements of a document in order, or null when they cannot be cut out exactly. */
export function locateItems(text: string): ItemSegment[] | null {
  const segments: ItemSegment[] = [];
  const tokens = new RegExp(ITEM_TOKENS.source, 'g');
  let kind: string | null = null;
  let openedAt = -1;
  let token: RegExpExecArray | null;
  while ((token = tokens.exec(text)) !== null) {
    const skipTo = closerOf(token[0]);
    if (skipTo !== null) {
      const close = text.indexOf(skipTo, tokens.lastIndex);
      if (close < 0) return null;
      tokens.lastIndex = close + skipTo.length;
      continue;
    }
    const closing = token[1] === '/';
    const name = token[2]!;
    if (kind !== null && name !== kind) return null;
    kind = name;
    const tagEnd = text.indexOf('>', tokens.lastIndex);
    if (tagEnd < 0) return null;
    if (closing) {
      if (openedAt < 0) return null;
      segments.push({ start: openedAt, end: tagEnd + 1 });
      openedAt = -1;
    } else {
      if (openedAt >= 0 || text.charCodeAt(tagEnd - 1) === 0x2f /* '/' */) return null;
      openedAt = token.index;
    }
    tokens.lastIndex = tagEnd + 1;
  }
  if (openedAt >= 0) return null;
  // An Atom entry document: the entry is the root, and the document cannot go without it.
  if (segments.length > 0 && segments[0]!.start === rootElementStart(text)) return null;
  return segments;
}

/** Where the first element starts: past the XML declaration, processing instructions, comments and a DOCTYPE. */
function rootElementStart(text: string): number {
  let at = text.indexOf('<');
  while (at >= 0) {
    if (text.startsWith('<!--', at)) {
      const close = text.indexOf('-->', at + 4);
      if (close < 0) return -1;
      at = text.indexOf('<', close + 3);
    } else if (text[at + 1] === '?' || text[at + 1] === '!') {
      at = text.indexOf('<', at + 2);
    } else {
      return at;
    }
  }
  return -1;
}

function closerOf(token: string): string | null {
  if (token === '<![CDATA[') return ']]>';
  if (token === '<!--') return '-->';
  return null;
}

/**
 * Changes whenever what an item's text means could change: the rules that turn an item into a
 * story id (bump it with them), and the URL its relative links resolve against.
 */
const SEGMENT_RULES = 'segments-1';

/** The key of one item's text: 72 bits of sha1, as 12 base64url characters (a feed holds at most thousands). */
export function segmentKey(text: string, segment: ItemSegment, documentUrl: string | null): string {
  return hash('sha1', `${SEGMENT_RULES}\n${documentUrl ?? ''}\n${text.slice(segment.start, segment.end)}`, 'base64url').slice(0, 12);
}

/** The document without the items marked `leaveOut`; everything between and around them stays. */
export function withoutItems(text: string, segments: readonly ItemSegment[], leaveOut: readonly boolean[]): string {
  const parts: string[] = [];
  let from = 0;
  segments.forEach((segment, index) => {
    if (!leaveOut[index]) return;
    parts.push(text.slice(from, segment.start));
    from = segment.end;
  });
  parts.push(text.slice(from));
  return parts.join('');
}
