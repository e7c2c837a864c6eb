/**
 * A command reply as a Slack message: ephemeral mrkdwn text of at most 3000 characters. Plain
 * text has exactly `&`, `<` and `>` escaped, so nothing a user typed (a watchlist term, a feed
 * name) can become a mention (`<!channel>`, `<@U…>`) or a link; the core's marked spans become
 * `*bold*`, `` `code` `` and `<url|label>`. Pure.
 */
import type { CommandReply, Inline, ReplyLine } from '../../commands/types.js';
import { withoutControls } from '../../safe-text.js';
import { httpHref, percentEncode, renderLine as renderSpans, renderReplyLines } from '../markup.js';
import { escapeSlackText } from './escape.js';

export const MAX_TEXT = 3000;
const EMPTY_REPLY = 'Done.';

export interface SlackReplyMessage {
  response_type: 'ephemeral';
  text: string;
}


const oneLine = (text: string): string => withoutControls(text).replace(/[\r\n]+/g, ' ');

/** An http(s) URL made safe inside `<…|…>`, or null when it is not one. */
function linkTarget(url: string): string | null {
  const href = httpHref(url);
  return href === null ? null : escapeSlackText(percentEncode(href, /[|<>\s]/g));
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

export function renderLine(line: ReplyLine): string {
  return renderSpans(line, renderInline);
}

/** The reply's mrkdwn: lines joined, cut on a line or word boundary with "…" when too long. */
export function renderText(lines: readonly ReplyLine[], max: number = MAX_TEXT): string {
  return renderReplyLines(lines, max, renderInline, EMPTY_REPLY);
}

export function renderSlackReply(reply: CommandReply): SlackReplyMessage {
  return { response_type: 'ephemeral', text: renderText(reply.lines) };
}
