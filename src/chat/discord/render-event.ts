/**
 * One alert per event, as Discord messages: a follow-up (a later outlet's story of an event
 * already alerted in the channel) is a compact embed posted in a thread started from the first
 * alert — the linked title, source and time, the summary cut short, and why the story joined the
 * event — and the first alert, edited, is rendered again with the outlets that reported it. Feed
 * text is escaped as in alerts, every limit respected. Pure.
 */
import { ThreadAutoArchiveDuration, type APIEmbed, type RESTPatchAPIChannelMessageJSONBody, type RESTPostAPIChannelMessagesThreadsJSONBody } from 'discord.js';
import type { Alert } from '../../alerts/alert.js';
import { joinedBecause, type EventEdit } from '../../alerts/event-thread.js';
import { httpUrl } from '../markup.js';
import {
  alertColour,
  alertNonce,
  EMBED_LIMITS,
  escapeFeedText,
  footerText,
  plainFeedText,
  renderAlertMessage,
  renderSummary,
  truncateText,
  type DiscordAlertMessage,
  type RenderAlertOptions,
} from './render-alert.js';

/** Discord's limit on a thread's name. */
export const THREAD_NAME_MAX = 100;
/** A day without messages and the thread folds away; a new follow-up opens it again. */
export const THREAD_AUTO_ARCHIVE_MINUTES = ThreadAutoArchiveDuration.OneDay;
/** A follow-up is a glance at another outlet's version: its summary is cut this short. */
export const FOLLOW_UP_SUMMARY_MAX = 300;
const BECAUSE_MAX = 512;

export type DiscordEditMessage = RESTPatchAPIChannelMessageJSONBody & {
  embeds: [APIEmbed];
  allowed_mentions: { parse: [] };
};

/**
 * The body for POST /channels/{thread id}/messages. The nonce is the alert's (story and channel),
 * so a repeat after a crash is answered with the message already posted.
 */
export function renderFollowUpMessage(alert: Alert, options: Pick<RenderAlertOptions, 'minimal'> = {}): DiscordAlertMessage {
  const { story } = alert;
  const embed: APIEmbed = { title: truncateText(escapeFeedText(story.title).trim(), EMBED_LIMITS.title) || 'Untitled story' };
  const url = httpUrl(story.link);
  if (url) embed.url = url;
  embed.color = alertColour(alert.watchlists);
  embed.footer = { text: truncateText(footerText(alert), EMBED_LIMITS.footer) };
  const time = new Date(story.published);
  if (!Number.isNaN(time.getTime())) embed.timestamp = time.toISOString();
  if (!options.minimal) {
    const description = followUpDescription(alert);
    if (description) embed.description = description;
  }
  return {
    embeds: [embed],
    allowed_mentions: { parse: [] },
    nonce: alertNonce(story.id, alert.channel),
    enforce_nonce: true,
  };
}

/** The summary cut short, then why the story joined the event. */
function followUpDescription(alert: Alert): string {
  const joined = joinedBecause(alert.event);
  const because = joined ? truncateText(escapeFeedText(joined), BECAUSE_MAX) : '';
  const summary = alert.summary ? renderSummary(alert.summary, alert.summaryHighlights, FOLLOW_UP_SUMMARY_MAX) : '';
  return [summary, because].filter(Boolean).join('\n\n');
}

/**
 * The body for POST /channels/{id}/messages/{first alert}/threads: named after the follow-up that
 * opens it ("Also reported: <its title>"), as plain text — thread names render no Markdown — with
 * mention syntax broken, on one line, within Discord's 100 characters.
 */
export function renderThreadStart(alert: Alert): RESTPostAPIChannelMessagesThreadsJSONBody {
  const title = plainFeedText(alert.story.title).replace(/\s+/g, ' ').trim();
  const name = truncateText(title ? `Also reported: ${title}` : 'Also reported', THREAD_NAME_MAX);
  return { name, auto_archive_duration: THREAD_AUTO_ARCHIVE_MINUTES };
}

/** The body for PATCH /channels/{id}/messages/{first alert}: the first alert again, with its outlets. */
export function renderFirstAlertEdit(edit: EventEdit, options: Pick<RenderAlertOptions, 'minimal'> = {}): DiscordEditMessage {
  const { embeds } = renderAlertMessage(edit.first, { ...options, outlets: edit.outlets });
  return { embeds, allowed_mentions: { parse: [] } };
}
