/**
 * An alert as a Slack message (the arguments of chat.postMessage, less `channel`): Block Kit
 * blocks plus a plain `text` fallback for notifications and screen readers. Everything from the
 * feed is escaped so it can neither ping anyone (`<!channel>`, `<!here>`, `<@U…>`,
 * `<!subteam^…>`), nor hide a link behind other text (`<https://evil|Bank>`), nor break the bold
 * markup this renderer adds; every Block Kit limit is respected (Slack refuses the whole message
 * with invalid_blocks or msg_blocks_too_long otherwise). Pure.
 *
 * Blocks:
 *   section   *<link|title>*, the story's image as accessory
 *   section   the summary, matched terms in bold
 *   context   source · time (shown in the reader's own time zone) · watchlists
 *   context   why it matched
 */
import type { Alert } from '../../alerts/alert.js';
import type { Story } from '../../feeds/story.js';
import type { Span } from '../../alerts/summary.js';
import { describeMatches } from '../../delivery/console-sink.js';
import { ELLIPSIS, httpUrl, percentEncode, renderSummary as renderMarkedSummary, truncateText as truncate, type Markup } from '../markup.js';
import { escapeSlackText } from './escape.js';

/** Slack's limits, in characters (measured in UTF-16 units, which is never fewer). */
export const SLACK_LIMITS = {
  /** A section's text object. */
  sectionText: 3000,
  /** Blocks per message. */
  blocks: 50,
  /** The top-level `text`: kept well under the 40 000 at which Slack truncates. */
  text: 4000,
  /**
   * All the text in the blocks together. Slack refuses about 12 000 with msg_blocks_too_long (not
   * in the documented limits); this leaves room for the block containers.
   */
  blockText: 10_000,
  /** An image's alt_text. */
  altText: 2000,
} as const;

/** Parts kept short so the summary gets the room. */
const TITLE_MAX = 500;
const SOURCE_MAX = 256;
const WATCHLISTS_MAX = 1000;
const WHY_MAX = 1000;
const ALT_MAX = 200;

export interface RenderAlertOptions {
  /**
   * Title, link, source and time only, no image: what is posted when Slack refused the full
   * message as invalid (an image it could not fetch is the usual reason), so the story still arrives.
   */
  minimal?: boolean;
  /**
   * Characters of block text kept free for a block the caller adds (the outlet count of an edited
   * first alert): the summary is cut that much shorter, so the whole stays within the budget.
   */
  reserveText?: number;
}

export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
  verbatim: true;
}

export interface SlackImageAccessory {
  type: 'image';
  image_url: string;
  alt_text: string;
}

export interface SlackSectionBlock {
  type: 'section';
  text: MrkdwnText;
  accessory?: SlackImageAccessory;
}

export interface SlackContextBlock {
  type: 'context';
  elements: MrkdwnText[];
}

export type SlackAlertBlock = SlackSectionBlock | SlackContextBlock;

/** chat.postMessage arguments but `channel`. No `link_names`, and `parse: 'none'`: nothing in the text is turned into a mention. */
export interface SlackAlertMessage {
  text: string;
  blocks: SlackAlertBlock[];
  unfurl_links: false;
  unfurl_media: false;
  parse: 'none';
}

export function renderAlertMessage(alert: Alert, options: RenderAlertOptions = {}): SlackAlertMessage {
  const { story } = alert;
  const titleSection: SlackSectionBlock = { type: 'section', text: mrkdwn(linkedTitle(story, TITLE_MAX)) };
  const image = options.minimal ? null : httpUrl(story.imageUrl);
  if (image) titleSection.accessory = { type: 'image', image_url: image, alt_text: truncateText(escapeSlackText(oneLine(story.title)), ALT_MAX) || 'story image' };

  const meta = sourceAndTime(story);
  const names = alert.watchlists.map((w) => escapeMrkdwn(w.name.replace(/\s+/g, ' ').trim())).filter(Boolean);
  if (!options.minimal && names.length > 0) meta.push(truncateText(`Watchlists: ${names.join(', ')}`, WATCHLISTS_MAX));
  const context: SlackContextBlock = { type: 'context', elements: [mrkdwn(meta.filter(Boolean).join(' · '))] };

  const blocks: SlackAlertBlock[] = [titleSection];
  if (!options.minimal) {
    const why = alert.matches.length > 0 ? truncateText(`Matched: ${escapeMrkdwn(describeMatches(alert))}`, WHY_MAX) : '';
    const used = blockTextLength([titleSection, context]) + why.length + (options.reserveText ?? 0);
    const room = Math.min(SLACK_LIMITS.sectionText, SLACK_LIMITS.blockText - used);
    const summary = room > ELLIPSIS.length ? renderSummary(alert.summary, alert.summaryHighlights, room) : '';
    if (summary) blocks.push({ type: 'section', text: mrkdwn(summary) });
    blocks.push(context);
    if (why) blocks.push({ type: 'context', elements: [mrkdwn(why)] });
  } else {
    blocks.push(context);
  }

  return { text: fallbackText(story), blocks, unfurl_links: false, unfurl_media: false, parse: 'none' };
}

/** Feed text on one line: line breaks and runs of spaces become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `*<link|title>*` (or `*title*` without a usable link), the title escaped and cut to `max`. */
export function linkedTitle(story: Pick<Story, 'title' | 'link'>, max: number): string {
  const title = truncateText(escapeMrkdwn(oneLine(story.title)), max) || 'Untitled story';
  const url = linkUrl(story.link);
  return url ? `*<${url}|${title}>*` : `*${title}*`;
}

/** The source, escaped and cut, and the publication time as Slack's date token: the start of a context line. */
export function sourceAndTime(story: Pick<Story, 'source' | 'published' | 'publishedFrom'>): string[] {
  return [truncateText(escapeMrkdwn(oneLine(story.source)), SOURCE_MAX), slackDate(story.published, story.publishedFrom === 'first-seen')];
}

/** What notifications and screen readers show: title — source, no markup of ours. */
export function fallbackText(story: Pick<Story, 'title' | 'source'>): string {
  const title = truncateText(escapeSlackText(oneLine(story.title)), TITLE_MAX) || 'Untitled story';
  const source = truncateText(escapeSlackText(oneLine(story.source)), SOURCE_MAX);
  return truncateText(source ? `${title} — ${source}` : title, SLACK_LIMITS.text);
}

/**
 * Feed text for mrkdwn. Slack has no backslash escape, so `*` (bold) and `` ` `` (code) become
 * look-alikes (∗ U+2217, ˋ U+02CB): a stray one in a title or summary could otherwise close the
 * bold this renderer puts around the title and matched terms, or swallow them into a code span.
 * `_` and `~` are left alone: at worst they italicise or strike some feed text.
 */
export function escapeMrkdwn(text: string): string {
  return escapeSlackText(text).replace(/\*/g, '\u2217').replace(/`/g, '\u02cb');
}

/**
 * `*` around bold (escaped feed text holds none); a cut never splits an `&amp;`/`&lt;`/`&gt;`
 * entity; bold sticks only to words, so a span's edge whitespace stays outside the stars.
 */
const SLACK_MARKUP: Markup = { bold: '*', escape: escapeMrkdwn, backOff: outsideEntity, boldWordsOnly: true };

/** `cut`, or the start of the entity it would split (entities are at most 5 characters, `&amp;`). */
function outsideEntity(text: string, cut: number): number {
  const amp = text.lastIndexOf('&', cut - 1);
  return amp >= 0 && cut - amp < 5 && !text.slice(amp, cut).includes(';') ? amp : cut;
}

/** At most `max` characters, cut at a word boundary with "…", never inside an entity. */
export function truncateText(text: string, max: number): string {
  return truncate(text, max, SLACK_MARKUP);
}

/**
 * A URL for the `<url|label>` syntax: `|` would end the URL early and `>` the link, so both are
 * percent-encoded (the URL parser already encodes `<`, `>`, quotes and spaces in most places).
 */
export function linkUrl(value: string | null): string | null {
  const url = httpUrl(value);
  return url ? percentEncode(url, /[|<>]/g) : null;
}

/**
 * The publication time as Slack's date token, which each reader sees in their own time zone,
 * with the UTC time as the fallback text for clients that cannot format it.
 */
export function slackDate(iso: string, firstSeen: boolean): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>${firstSeen ? ' (first seen)' : ''}`;
}

/** The characters Slack counts toward msg_blocks_too_long: every text object and alt text. */
export function blockTextLength(blocks: readonly SlackAlertBlock[]): number {
  let total = 0;
  for (const block of blocks) {
    if (block.type === 'section') total += block.text.text.length + (block.accessory?.alt_text.length ?? 0);
    else for (const element of block.elements) total += element.text.length;
  }
  return total;
}

/** Escaped summary with `*bold*` highlights, truncated without leaving a bold run open. */
export function renderSummary(summary: string, highlights: readonly Span[], max: number): string {
  return renderMarkedSummary(summary, highlights, max, SLACK_MARKUP);
}

/**
 * `verbatim: true`: Slack does no preprocessing of the text — a bare "@here", "#general" or URL
 * stays plain text — while the `<url|label>` and `<!date…>` this renderer writes still work.
 */
export function mrkdwn(text: string): MrkdwnText {
  return { type: 'mrkdwn', text, verbatim: true };
}
