/**
 * The two messages of one alert per event (alerts/event-thread.ts) on Slack, in the style of
 * render-alert.ts and with its escaping and limits. Pure.
 *
 * A follow-up, posted as a reply under the event's first alert, is compact:
 *   section   *<link|title>*
 *   section   the summary cut short, matched terms in bold
 *   context   source · time
 *   context   why it joined the event ("Same event: shares …")
 *
 * An edit of the first alert is the first alert rendered again with one more context block at
 * the end, "Reported by 3 outlets: A, B, C"; the summary gives up the room that block takes, and
 * the `text` fallback carries the count too.
 */
import type { Alert } from '../../alerts/alert.js';
import { joinedBecause, outletsLine, type EventEdit } from '../../alerts/event-thread.js';
import { escapeSlackText } from './escape.js';
import {
  escapeMrkdwn,
  fallbackText,
  linkedTitle,
  mrkdwn,
  oneLine,
  renderAlertMessage,
  renderSummary,
  sourceAndTime,
  SLACK_LIMITS,
  truncateText,
  type RenderAlertOptions,
  type SlackAlertBlock,
  type SlackAlertMessage,
} from './render-alert.js';

/** A follow-up is read under an alert that already told the story: short parts. */
export const FOLLOW_UP_LIMITS = {
  title: 300,
  summary: 280,
  /** The "why it joined" line. */
  because: 500,
} as const;

/** Each outlet's name in the count, and the whole line. */
const OUTLET_NAME_MAX = 120;
const OUTLETS_MAX = 1000;

/** A follow-up's blocks; `minimal` keeps the title, source and time only (what is posted when Slack refused the full reply). */
export function renderFollowUpMessage(alert: Alert, options: RenderAlertOptions = {}): SlackAlertMessage {
  const { story } = alert;
  const blocks: SlackAlertBlock[] = [{ type: 'section', text: mrkdwn(linkedTitle(story, FOLLOW_UP_LIMITS.title)) }];
  if (!options.minimal) {
    const summary = renderSummary(alert.summary, alert.summaryHighlights, FOLLOW_UP_LIMITS.summary);
    if (summary) blocks.push({ type: 'section', text: mrkdwn(summary) });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(sourceAndTime(story).filter(Boolean).join(' · '))] });
  const because = options.minimal ? null : joinedBecause(alert.event);
  if (because) blocks.push({ type: 'context', elements: [mrkdwn(truncateText(escapeMrkdwn(oneLine(because)), FOLLOW_UP_LIMITS.because))] });
  return { text: fallbackText(story), blocks, unfurl_links: false, unfurl_media: false, parse: 'none' };
}

/** The event's first alert again, with the number of outlets that reported it. */
export function renderEventEditMessage(edit: Pick<EventEdit, 'first' | 'outlets'>, options: RenderAlertOptions = {}): SlackAlertMessage {
  const line = outletsText(edit.outlets, escapeMrkdwn);
  const first = renderAlertMessage(edit.first, { ...options, reserveText: line.length });
  const text = truncateText(`${first.text} · ${outletsText(edit.outlets, escapeSlackText)}`, SLACK_LIMITS.text);
  return { ...first, text, blocks: [...first.blocks, { type: 'context', elements: [mrkdwn(line)] }] };
}

/** "Reported by N outlets: A, B …" with each name escaped by `escape` and cut short (the names are feed text). */
function outletsText(outlets: readonly string[], escape: (text: string) => string): string {
  const names = outlets.map((name) => truncateText(escape(oneLine(name)), OUTLET_NAME_MAX) || 'unnamed source');
  return truncateText(outletsLine(names), OUTLETS_MAX);
}
