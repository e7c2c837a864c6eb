/**
 * A command reply as a Discord message: ephemeral, pinging nobody, at most 2000 characters.
 * Plain text is escaped so that nothing a user typed (a watchlist term, a feed name) can mention
 * someone, format the message or forge a masked link; the core's marked spans are rendered as
 * code, bold and masked links. Pure.
 */
import type { CommandReply, Inline, ReplyLine } from '../../commands/types.js';
import { withoutControls } from '../../safe-text.js';
import { httpHref, percentEncode, renderLine as renderSpans, renderReplyLines } from '../markup.js';

export const EPHEMERAL_FLAG = 64;
export const MAX_CONTENT = 2000;
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
  const href = httpHref(url);
  return href === null ? null : percentEncode(href, /[()<>\s]/g);
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

export function renderLine(line: ReplyLine): string {
  return renderSpans(line, renderInline);
}

/** The reply's text for Discord: lines joined, cut on a line or word boundary with "…" if too long. */
export function renderContent(lines: readonly ReplyLine[], max: number = MAX_CONTENT): string {
  return renderReplyLines(lines, max, renderInline, EMPTY_REPLY);
}

/** The whole message body for a reply (type 4 data, or a follow-up edit without the flags). */
export function renderReply(reply: CommandReply): DiscordReplyMessage {
  return { content: renderContent(reply.lines), flags: EPHEMERAL_FLAG, allowed_mentions: { parse: [] } };
}
