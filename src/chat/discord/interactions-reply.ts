/**
 * A command reply as a Discord message: ephemeral, pinging nobody, at most 2000 characters.
 * Plain text is escaped so that nothing a user typed (a watchlist term, a feed name) can mention
 * someone, format the message or forge a masked link; the core's marked spans are rendered as
 * code, bold and masked links. Pure.
 */
import type { CommandReply, Inline, ReplyLine } from '../../commands/types.js';
import { withoutControls } from '../../safe-text.js';

export const EPHEMERAL_FLAG = 64;
export const MAX_CONTENT = 2000;
const ELLIPSIS = '…';
const EMPTY_REPLY = 'Done.';

export interface DiscordReplyMessage {
  content: string;
  flags: number;
  allowed_mentions: { parse: [] };
}

/**
 * Markdown and mention syntax, escaped with a backslash (Discord hides a backslash before any
 * ASCII punctuation): emphasis, strike, spoilers, code, quotes, headings and subtext, lists,
 * masked links and everything that starts with `<` (user, role and channel mentions, slash
 * command mentions, timestamps, custom emoji, embed-suppressed links).
 */
const MARKDOWN = /[\\*_~`|>#[\]()<-]/g;
/** A numbered list item ("1. ") at the start of a line. */
const NUMBERED = /^(\s*\d+)\.(?=\s)/gm;
/** @everyone and @here ping even without angle brackets; a zero-width space breaks them. */
const MASS_MENTION = /@(everyone|here)/gi;

/** Plain user text, made inert: no mention, no formatting, no link forgery, no control characters. */
export function escapePlain(text: string): string {
  return withoutControls(text)
    .replace(MARKDOWN, '\\$&')
    .replace(NUMBERED, '$1\\.')
    .replace(MASS_MENTION, '@\u200b$1');
}

/** Inline code that shows `text` verbatim, whatever backticks it holds. */
export function inlineCode(text: string): string {
  const body = withoutControls(text).replace(/[\r\n]+/g, ' ');
  if (body.length === 0) return '` `';
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A space keeps a backtick at either edge from joining the fence; Discord trims one each side.
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** An http(s) URL made safe inside `(<…>)`, or null when it is not one. */
function linkTarget(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.href.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function renderInline(span: Inline): string {
  if (typeof span === 'string') return escapePlain(span);
  if ('code' in span) return inlineCode(span.code);
  if ('bold' in span) return span.bold.length === 0 ? '' : `**${escapePlain(span.bold)}**`;
  const target = linkTarget(span.link);
  const label = escapePlain(span.label.replace(/[\r\n]+/g, ' '));
  if (target === null) return label;
  // <…> around the target keeps Discord from adding a preview of the page under the reply.
  return `[${label.length > 0 ? label : escapePlain(target)}](<${target}>)`;
}

function spansOf(line: ReplyLine): readonly Inline[] {
  return typeof line === 'string' ? [line] : line;
}

export function renderLine(line: ReplyLine): string {
  return spansOf(line).map(renderInline).join('');
}

/** `span` with its text cut to `text`; links keep their target (or none, rendering as plain). */
function withText(span: Inline, text: string): Inline {
  if (typeof span === 'string') return text;
  if ('code' in span) return { code: text };
  if ('bold' in span) return { bold: text };
  return { link: span.link, label: text };
}

function textOf(span: Inline): string {
  if (typeof span === 'string') return span;
  if ('code' in span) return span.code;
  if ('bold' in span) return span.bold;
  return span.label;
}

/** Start of each code point, so a cut never splits a surrogate pair. */
function codePointCuts(text: string): number[] {
  const cuts: number[] = [];
  let i = 0;
  for (const ch of text) {
    i += ch.length;
    cuts.push(i);
  }
  return cuts;
}

/** Cut positions after which a word ends (before whitespace), longest last. */
function wordCuts(text: string): number[] {
  const cuts: number[] = [];
  for (const m of text.matchAll(/\S(?=\s)/gu)) cuts.push(m.index + m[0].length);
  return cuts;
}

/** The longest cut in ascending `cuts` for which `fits` holds (it is monotonic), or null. */
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

/** The most of `line` that renders within `budget` characters, cut at a word if it can be. */
function truncateLine(line: ReplyLine, budget: number): string {
  const spans = spansOf(line);
  let rendered = '';
  for (const span of spans) {
    const whole = renderInline(span);
    if (rendered.length + whole.length <= budget) {
      rendered += whole;
      continue;
    }
    const text = textOf(span);
    const fits = (cut: number) => rendered.length + renderInline(withText(span, text.slice(0, cut))).length <= budget;
    const cut = longestFitting(wordCuts(text), fits) ?? longestFitting(codePointCuts(text), fits);
    if (cut !== null && cut > 0) rendered += renderInline(withText(span, text.slice(0, cut).trimEnd()));
    break;
  }
  return rendered;
}

/** The reply's text for Discord: lines joined, cut on a line or word boundary with "…" if too long. */
export function renderContent(lines: readonly ReplyLine[], max: number = MAX_CONTENT): string {
  const rendered = lines.map(renderLine);
  const full = rendered.join('\n');
  if (full.length === 0) return EMPTY_REPLY;
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
    const partial = room > 0 ? truncateLine(lines[i]!, room) : '';
    if (partial.length > 0) out += sep + partial;
    else if (out.length > 0 && room >= 0) out += sep; // "…" on a line of its own
    break;
  }
  return out + ELLIPSIS;
}

/** The whole message body for a reply (type 4 data, or a follow-up edit without the flags). */
export function renderReply(reply: CommandReply): DiscordReplyMessage {
  return { content: renderContent(reply.lines), flags: EPHEMERAL_FLAG, allowed_mentions: { parse: [] } };
}
