/**
 * A command reply as a Slack message: ephemeral mrkdwn text of at most 3000 characters. Plain
 * text has exactly `&`, `<` and `>` escaped, so nothing a user typed (a watchlist term, a feed
 * name) can become a mention (`<!channel>`, `<@U…>`) or a link; the core's marked spans become
 * `*bold*`, `` `code` `` and `<url|label>`. Pure.
 */
import type { CommandReply, Inline, ReplyLine } from '../../commands/types.js';
import { withoutControls } from '../../safe-text.js';
import { escapeSlackText } from './escape.js';

export const MAX_TEXT = 3000;
const ELLIPSIS = '…';
const EMPTY_REPLY = 'Done.';

export interface SlackReplyMessage {
  response_type: 'ephemeral';
  text: string;
}


const oneLine = (text: string): string => withoutControls(text).replace(/[\r\n]+/g, ' ');

/** An http(s) URL made safe inside `<…|…>`, or null when it is not one. */
function linkTarget(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return escapeSlackText(parsed.href.replace(/[|<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`));
}

export function renderInline(span: Inline): string {
  if (typeof span === 'string') return escapeSlackText(withoutControls(span));
  if ('code' in span) {
    // mrkdwn has no escape for a backtick inside code; a look-alike keeps the code span whole.
    const body = oneLine(span.code).replace(/`/g, 'ˋ');
    return body.length === 0 ? '' : `\`${escapeSlackText(body)}\``;
  }
  if ('bold' in span) {
    const body = oneLine(span.bold).trim();
    return body.length === 0 ? '' : `*${escapeSlackText(body)}*`;
  }
  const label = escapeSlackText(oneLine(span.label));
  const target = linkTarget(span.link);
  if (target === null) return label;
  return `<${target}|${label.length > 0 ? label : target}>`;
}

const spansOf = (line: ReplyLine): readonly Inline[] => (typeof line === 'string' ? [line] : line);

export function renderLine(line: ReplyLine): string {
  return spansOf(line).map(renderInline).join('');
}

function textOf(span: Inline): string {
  if (typeof span === 'string') return span;
  if ('code' in span) return span.code;
  if ('bold' in span) return span.bold;
  return span.label;
}

function withText(span: Inline, text: string): Inline {
  if (typeof span === 'string') return text;
  if ('code' in span) return { code: text };
  if ('bold' in span) return { bold: text };
  return { link: span.link, label: text };
}

/** Ends of words in `text` (before whitespace), then of code points, longest first. */
function cutsOf(text: string): number[] {
  const words = [...text.matchAll(/\S(?=\s)/gu)].map((m) => m.index + m[0].length);
  const points: number[] = [];
  let i = 0;
  for (const ch of text) points.push((i += ch.length));
  return [...words.reverse(), ...points.reverse()];
}

/** The most of `line` that renders within `budget` characters, cut after a word if it can be. */
function truncateLine(line: ReplyLine, budget: number): string {
  let rendered = '';
  for (const span of spansOf(line)) {
    const whole = renderInline(span);
    if (rendered.length + whole.length <= budget) {
      rendered += whole;
      continue;
    }
    const text = textOf(span);
    for (const cut of cutsOf(text)) {
      const part = renderInline(withText(span, text.slice(0, cut).trimEnd()));
      if (rendered.length + part.length <= budget) {
        rendered += part;
        break;
      }
    }
    break;
  }
  return rendered;
}

/** The reply's mrkdwn: lines joined, cut on a line or word boundary with "…" when too long. */
export function renderText(lines: readonly ReplyLine[], max: number = MAX_TEXT): string {
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
    else if (out.length > 0 && room >= 0) out += sep;
    break;
  }
  return out + ELLIPSIS;
}

export function renderSlackReply(reply: CommandReply): SlackReplyMessage {
  return { response_type: 'ephemeral', text: renderText(reply.lines) };
}
