/**
 * Text cutting and highlighting shared by the chat adapters: escaped summaries with bold matched
 * terms, text truncated at a word boundary with "…", command replies cut to a length. What
 * differs between chats (the bold marker, the escaping, what a safe cut is) comes in as a
 * `Markup`; everything here is pure.
 */
import type { Span } from '../alerts/summary.js';
import type { Inline, ReplyLine } from '../commands/types.js';

export const ELLIPSIS = '…';
const URL_MAX = 2048;

/** What one chat's markup needs from the shared cutting and highlighting. */
export interface Markup {
  /** Written on both sides of a bold run (`**` on Discord, `*` on Slack). */
  bold: string;
  /** Feed text made inert for this chat. */
  escape: (text: string) => string;
  /** Moves a cut back out of an escape sequence it would split (before the word boundary is sought). */
  backOff?: (text: string, cut: number) => number;
  /** Removes what cutting left dangling at the end of the kept text (after trailing space is trimmed). */
  tidyEnd?: (kept: string) => string;
  /** Keeps a highlight's leading and trailing whitespace outside the markers (some chats bold only words). */
  boldWordsOnly?: boolean;
}

export interface Piece {
  text: string;
  bold: boolean;
}

/**
 * At most `max` characters, cut at a word boundary (unless that loses more than half) with "…";
 * never between the two halves of a surrogate pair, never inside an escape of `markup`.
 */
export function truncateText(text: string, max: number, markup: Markup): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  return `${cutText(text, max - ELLIPSIS.length, false, markup)}${ELLIPSIS}`;
}

/**
 * At most `room` characters of `text`. With `preferNothing` (something is already kept before
 * it) a cut that finds no word boundary keeps nothing rather than half a word.
 */
export function cutText(text: string, room: number, preferNothing: boolean, markup: Markup): string {
  if (room <= 0) return '';
  let cut = Math.min(room, text.length);
  if (cut < text.length && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  if (cut < text.length) {
    if (markup.backOff) cut = markup.backOff(text, cut);
    const space = lastWhitespace(text, cut);
    if (space > 0 && (space >= cut / 2 || preferNothing)) cut = space;
    else if (preferNothing) return '';
  }
  const kept = text.slice(0, cut).trimEnd();
  return markup.tidyEnd ? markup.tidyEnd(kept) : kept;
}

/** Index of the last whitespace at or before `at`, or -1. */
export function lastWhitespace(text: string, at: number): number {
  for (let i = Math.min(at, text.length - 1); i >= 0; i -= 1) if (/\s/.test(text[i]!)) return i;
  return -1;
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** An http(s) URL, normalised, or null (also when it is longer than chats accept). */
export function httpUrl(value: string | null | undefined): string | null {
  const href = httpHref(value);
  return href !== null && href.length <= URL_MAX ? href : null;
}

/** An http(s) URL, normalised, or null: other schemes (javascript:, data:) must never become links. */
export function httpHref(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** `href` with the characters `unsafe` matches percent-encoded (those that would end a chat's link syntax). */
export function percentEncode(href: string, unsafe: RegExp): string {
  return href.replace(unsafe, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Escaped summary with bold highlights, truncated to `max` without leaving a bold run open. */
export function renderSummary(summary: string, highlights: readonly Span[], max: number, markup: Markup): string {
  const pieces = splitHighlights(summary, highlights, markup.boldWordsOnly ?? false).map((p) => ({ text: markup.escape(p.text), bold: p.bold }));
  const wrap = (p: Piece): string => (p.bold ? `${markup.bold}${p.text}${markup.bold}` : p.text);
  const full = pieces.map(wrap).join('');
  if (full.length <= max) return full;
  let out = '';
  for (const piece of pieces) {
    const wrapped = wrap(piece);
    if (out.length + wrapped.length + ELLIPSIS.length <= max) {
      out += wrapped;
      continue;
    }
    // The last piece that fits, in part: its markers take room too.
    const room = max - out.length - ELLIPSIS.length - (piece.bold ? 2 * markup.bold.length : 0);
    const cut = cutText(piece.text, room, out.length > 0, markup);
    if (cut) out += wrap({ text: cut, bold: piece.bold });
    break;
  }
  return `${out.trimEnd()}${ELLIPSIS}`;
}

/** `text` in plain and bold pieces; overlapping spans are clipped, empty ones dropped. */
export function splitHighlights(text: string, highlights: readonly Span[], boldWordsOnly: boolean): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const span of [...highlights].sort((a, b) => a.start - b.start)) {
    const [start, end] = spanBounds(text, span, at, boldWordsOnly);
    if (end <= start) continue;
    if (start > at) pieces.push({ text: text.slice(at, start), bold: false });
    pieces.push({ text: text.slice(start, end), bold: true });
    at = end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), bold: false });
  return pieces.filter((p) => p.text.length > 0);
}

/** A span's bounds within `text`, starting no earlier than `at`; trimmed of whitespace if asked. */
function spanBounds(text: string, span: Span, at: number, trim: boolean): [number, number] {
  let start = Math.max(span.start, at);
  let end = Math.min(span.end, text.length);
  if (!trim) return [start, end];
  while (start < end && /\s/.test(text[start]!)) start += 1;
  while (end > start && /\s/.test(text[end - 1]!)) end -= 1;
  return [start, end];
}

/** How one chat renders a reply's spans. */
export type RenderInline = (span: Inline) => string;

export function spansOf(line: ReplyLine): readonly Inline[] {
  return typeof line === 'string' ? [line] : line;
}

export function renderLine(line: ReplyLine, render: RenderInline): string {
  return spansOf(line).map(render).join('');
}

/**
 * Reply lines joined, cut on a line or word boundary with "…" when longer than `max`; `empty`
 * when there is nothing to say (chats refuse an empty message).
 */
export function renderReplyLines(lines: readonly ReplyLine[], max: number, render: RenderInline, empty: string): string {
  const rendered = lines.map((line) => renderLine(line, render));
  const full = rendered.join('\n');
  if (full.length === 0) return empty;
  if (full.length <= max) return full;
  const budget = max - ELLIPSIS.length;
  let out = '';
  for (const [i, line] of rendered.entries()) {
    const sep = i === 0 ? '' : '\n';
    if (out.length + sep.length + line.length <= budget) {
      out += sep + line;
      continue;
    }
    const room = budget - out.length - sep.length;
    const partial = room > 0 ? truncateLine(lines[i]!, room, render) : '';
    if (partial.length > 0) out += sep + partial;
    else if (out.length > 0 && room >= 0) out += sep; // "…" on a line of its own
    break;
  }
  return out + ELLIPSIS;
}

/** The most of `line` that renders within `budget` characters, cut after a word if it can be. */
export function truncateLine(line: ReplyLine, budget: number, render: RenderInline): string {
  let rendered = '';
  for (const span of spansOf(line)) {
    const whole = render(span);
    if (rendered.length + whole.length <= budget) {
      rendered += whole;
      continue;
    }
    const text = textOf(span);
    const part = (cut: number): string => render(withText(span, text.slice(0, cut).trimEnd()));
    const fits = (cut: number): boolean => rendered.length + part(cut).length <= budget;
    const cut = longestFitting(wordCuts(text), fits) ?? longestFitting(codePointCuts(text), fits);
    if (cut !== null) rendered += part(cut);
    break;
  }
  return rendered;
}

function textOf(span: Inline): string {
  if (typeof span === 'string') return span;
  if ('code' in span) return span.code;
  if ('bold' in span) return span.bold;
  return span.label;
}

/** `span` with its text cut to `text`; links keep their target (or none, rendering as plain). */
function withText(span: Inline, text: string): Inline {
  if (typeof span === 'string') return text;
  if ('code' in span) return { code: text };
  if ('bold' in span) return { bold: text };
  return { link: span.link, label: text };
}

/** Cut positions after which a word ends (before whitespace), ascending. */
function wordCuts(text: string): number[] {
  return [...text.matchAll(/\S(?=\s)/gu)].map((m) => m.index + m[0].length);
}

/** End of each code point, ascending, so a cut never splits a surrogate pair. */
function codePointCuts(text: string): number[] {
  const cuts: number[] = [];
  let i = 0;
  for (const ch of text) cuts.push((i += ch.length));
  return cuts;
}

/**
 * The longest of the ascending `cuts` for which `fits` holds, or null. A binary search: a longer
 * cut never renders shorter, and a reply line may be long.
 */
function longestFitting(cuts: readonly number[], fits: (cut: number) => boolean): number | null {
  let lo = 0;
  let hi = cuts.length - 1;
  let best: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const cut = cuts[mid]!;
    if (fits(cut)) {
      best = cut;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
