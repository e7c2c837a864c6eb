/**
 * An alert as a Discord message: one embed, everything from the feed escaped so it can neither
 * ping anyone, nor hide a link behind other text, nor restyle the message; every embed limit
 * respected (Discord refuses the whole message with 400 Invalid Form Body otherwise). Pure.
 */
import { createHash } from 'node:crypto';
import { embedLength, escapeMarkdown, type APIEmbed, type APIEmbedField, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { Alert } from '../../alerts/alert.js';
import type { Span } from '../../alerts/summary.js';
import { describeMatches } from '../../delivery/console-sink.js';
import { sha1Hex } from '../../hash.js';
import { withoutControls } from '../../safe-text.js';
import { outletsLine } from '../../alerts/event-thread.js';
import { ELLIPSIS, httpUrl, renderSummary as renderMarkedSummary, truncateText as truncate, type Markup } from '../markup.js';

/** Discord's embed limits, in characters (measured here in UTF-16 units, which is never fewer). */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** title + description + field names and values + footer + author name, over all embeds. */
  total: 6000,
} as const;

/** Longest nonce Discord accepts. */
export const NONCE_LENGTH = 25;

/** Embed colours; a watchlist keeps its colour because it is picked by a hash of its id. */
export const ALERT_COLOURS = [0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd, 0x17becf, 0xe377c2, 0x8c564b] as const;
const NO_WATCHLIST_COLOUR = 0x95a5a6;

/** Parts kept short so the summary gets the room. */
const WHY_MAX = 512;
const SOURCE_MAX = 256;

export interface RenderAlertOptions {
  /**
   * Title, link, source and time only: what is posted when Discord refused the full message as
   * invalid, so the story still arrives.
   */
  minimal?: boolean;
  /**
   * The outlets that reported the story's event, first one first: set when the event's first
   * alert is edited with the count, shown as a field (kept in the minimal version too).
   */
  outlets?: readonly string[];
}

export type DiscordAlertMessage = RESTPostAPIChannelMessageJSONBody & {
  embeds: [APIEmbed];
  allowed_mentions: { parse: [] };
  nonce: string;
  enforce_nonce: true;
};

/**
 * The body for POST /channels/{id}/messages. No `content`: the whole alert is in the embed, and
 * mentions in embeds never ping; `allowed_mentions: { parse: [] }` makes sure of it anyway.
 */
export function renderAlertMessage(alert: Alert, options: RenderAlertOptions = {}): DiscordAlertMessage {
  const { story } = alert;
  const title = truncateText(escapeFeedText(story.title).trim(), EMBED_LIMITS.title) || 'Untitled story';
  const embed: APIEmbed = { title };
  const url = httpUrl(story.link);
  if (url) embed.url = url;
  embed.color = alertColour(alert.watchlists);

  const footer = truncateText(footerText(alert), EMBED_LIMITS.footer);
  embed.footer = { text: footer };
  const time = new Date(story.published);
  if (!Number.isNaN(time.getTime())) embed.timestamp = time.toISOString();

  const outlets = options.outlets && options.outlets.length > 0 ? [outletsField(options.outlets)] : [];
  if (options.minimal && outlets.length > 0) embed.fields = outlets;
  if (!options.minimal) {
    const fields = [...alertFields(alert), ...outlets];
    if (fields.length > 0) embed.fields = fields;
    const used = embedLength({ ...embed, description: '' });
    embed.description = renderDescription(alert, Math.min(EMBED_LIMITS.description, EMBED_LIMITS.total - used));
    if (!embed.description) delete embed.description;
    const thumbnail = httpUrl(story.imageUrl);
    if (thumbnail) embed.thumbnail = { url: thumbnail };
  }

  return {
    embeds: [embed],
    allowed_mentions: { parse: [] },
    nonce: alertNonce(story.id, alert.channel),
    enforce_nonce: true,
  };
}

/** Same story, same channel, same nonce: Discord returns the first message for a repeat. */
export function alertNonce(storyId: string, channel: string): string {
  return createHash('sha256').update(`${storyId}\n${channel}`).digest('base64url').slice(0, NONCE_LENGTH);
}

export function alertColour(watchlists: readonly { id: string }[]): number {
  const first = watchlists[0];
  if (!first) return NO_WATCHLIST_COLOUR;
  return ALERT_COLOURS[Number.parseInt(sha1Hex(first.id).slice(0, 8), 16) % ALERT_COLOURS.length]!;
}

/** Text from a feed (or a watchlist someone typed) for a place where Discord renders Markdown. */
export function escapeFeedText(text: string): string {
  return withoutMentions(
    escapeMarkdown(withoutControls(text), { heading: true, bulletedList: true, numberedList: true })
      // masked links [text](url) and their pieces, which escapeMarkdown leaves alone
      .replace(/[[\]()]/g, '\\$&')
      // block quotes and subtext at the start of a line
      .replace(/^(\s*)(>|-#)/gm, '$1\\$2')
  );
}

/** <@id> <@&id> <#id> <t:…> <:emoji:id> </cmd:id> <https://…> @everyone @here: a zero-width space after `<` and `@`. */
function withoutMentions(text: string): string {
  return text.replace(/</g, '<\u200b').replace(/@(?=everyone|here)/gi, '@\u200b');
}

/** Discord's escape character is the backslash: a cut must not leave one escaping the "…". */
const DISCORD_MARKUP: Markup = {
  bold: '**',
  escape: escapeFeedText,
  tidyEnd: (kept) => kept.replace(/\\+$/, ''),
};

/** At most `max` characters, cut at a word boundary with "…", never leaving a lone escaping backslash. */
export function truncateText(text: string, max: number): string {
  return truncate(text, max, DISCORD_MARKUP);
}

function alertFields(alert: Alert): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  const names = alert.watchlists.map((w) => escapeFeedText(w.name));
  if (names.length > 0) fields.push({ name: 'Watchlists', value: truncateText(names.join(', '), EMBED_LIMITS.fieldValue), inline: true });
  const source = truncateText(escapeFeedText(alert.story.source).trim(), SOURCE_MAX);
  if (source) fields.push({ name: 'Source', value: source, inline: true });
  return fields;
}

/** "Reported by 3 outlets: InSight Crime, Reuters, AP", the outlets' names escaped like any feed text. */
function outletsField(outlets: readonly string[]): APIEmbedField {
  return { name: 'Coverage', value: truncateText(escapeFeedText(outletsLine(outlets)), EMBED_LIMITS.fieldValue) };
}

/**
 * Feed text for a place that renders no Markdown (a footer, a thread name), where escaping would
 * show as backslashes: as it is, minus control characters, with mention syntax broken all the same.
 */
export function plainFeedText(text: string): string {
  return withoutMentions(withoutControls(text));
}

/** The source and the published time, for the footer. */
export function footerText(alert: Alert): string {
  const { story } = alert;
  const source = truncateText(plainFeedText(story.source).trim(), SOURCE_MAX);
  const time = `${story.published.slice(0, 16).replace('T', ' ')} UTC${story.publishedFrom === 'first-seen' ? ' (first seen)' : ''}`;
  return source ? `${source} · ${time}` : time;
}

/** The summary with matched terms in bold, then why it matched; at most `max` characters. */
function renderDescription(alert: Alert, max: number): string {
  const why = alert.matches.length > 0 ? truncateText(`Matched: ${escapeFeedText(describeMatches(alert))}`, Math.min(WHY_MAX, max)) : '';
  const summaryRoom = max - why.length - (why ? 2 : 0);
  const summary = summaryRoom > ELLIPSIS.length ? renderSummary(alert.summary, alert.summaryHighlights, summaryRoom) : '';
  return [summary, why].filter(Boolean).join('\n\n');
}

/** Escaped summary with `**bold**` highlights, truncated without leaving a bold run open. */
export function renderSummary(summary: string, highlights: readonly Span[], max: number): string {
  return renderMarkedSummary(summary, highlights, max, DISCORD_MARKUP);
}
