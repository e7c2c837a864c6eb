/**
 * ParsedFeed → Stories: one shape for every format, plain text, canonical links, a stable id.
 * Pure: the time of the poll comes in as `now` (it stands in for missing dates).
 */
import type { ParsedFeed, ParsedItem } from './types.js';
import type { Story } from './story.js';
import { canonicalLink } from './link.js';
import { htmlToText, plainLine, repairMojibake } from './text.js';
import { detectLanguage, primaryLanguage } from './language.js';
import { parseFeedDate } from './dates.js';
import { earlierStoryIds, resolveIdentity, storyId } from './identity.js';

export interface NormaliseContext {
  feedId: string;
  /** The configured display name; the feed's own title is the fallback. */
  feedName: string | null;
  /** The configured language; the feed's declared language is the fallback. */
  feedLanguage: string | null;
  /** The URL the document was fetched from (final URL after redirects): base for relative links. */
  documentUrl: string | null;
  now: number;
  /** Told about an item that could not be normalised (it is skipped). */
  onItemError?: (index: number, error: unknown) => void;
}

/** Longest summary kept on a Story; summaries for alerts are cut further, at sentence ends. */
const MAX_SUMMARY_CHARS = 4000;
const MAX_TITLE_CHARS = 500;

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${cut.slice(0, lastSpace > max * 0.6 ? lastSpace : max).trimEnd()}…`;
}

function itemSummary(item: ParsedItem): string {
  const summary = htmlToText(item.summaryHtml);
  // Some feeds put only an image or a tracking pixel in the description; use the content then.
  return summary.length >= 40 ? summary : htmlToText(item.contentHtml) || summary;
}

interface FeedShared {
  base: string | null;
  feedLanguage: string | null;
  feedSource: string;
}

/** One item → one Story, or null when it holds nothing a person could read. */
function normaliseItem(item: ParsedItem, shared: FeedShared, context: NormaliseContext): Story | null {
  const title = clip(htmlToText(item.title), MAX_TITLE_CHARS);
  const summary = clip(itemSummary(item), MAX_SUMMARY_CHARS);
  const link = canonicalLink(item.link, shared.base);
  if (!title && !summary && !link) return null;
  const identity = resolveIdentity({ guid: item.guid, link, title, date: item.date });
  const publishedMs = parseFeedDate(item.date, context.now);
  return {
    id: storyId(context.feedId, identity),
    feedId: context.feedId,
    identity,
    earlierIds: earlierStoryIds(context.feedId, identity),
    title: title || clip(summary, 120) || (link ?? ''),
    link,
    summary,
    published: new Date(publishedMs ?? context.now).toISOString(),
    publishedFrom: publishedMs === null ? 'first-seen' : 'feed',
    language: primaryLanguage(item.language) ?? shared.feedLanguage ?? detectLanguage(`${title} ${summary}`),
    categories: [...new Set(item.categories.map((c) => plainLine(c)).filter(Boolean))],
    imageUrl: canonicalLink(item.imageUrl, shared.base),
    source: (item.sourceName && plainLine(item.sourceName)) || shared.feedSource,
  };
}

/**
 * Every item of a parsed feed as a Story. An item that cannot be normalised costs that item
 * alone: it is reported to `onItemError` (the caller logs it) and the rest go on.
 */
export function normaliseFeed(feed: ParsedFeed, context: NormaliseContext): Story[] {
  const shared: FeedShared = {
    base: feed.link && context.documentUrl ? safeUrl(feed.link, context.documentUrl) : context.documentUrl,
    feedLanguage: primaryLanguage(context.feedLanguage) ?? primaryLanguage(feed.language),
    feedSource: plainLine(context.feedName ?? repairMojibake(feed.title ?? '')) || hostOf(context.documentUrl),
  };
  const stories: Story[] = [];
  const ids = new Set<string>();
  feed.items.forEach((item, index) => {
    let story: Story | null;
    try {
      story = normaliseItem(item, shared, context);
    } catch (error) {
      context.onItemError?.(index, error);
      return;
    }
    if (!story || ids.has(story.id)) return; // the same item twice in one document: the first one counts
    ids.add(story.id);
    stories.push(story);
  });
  return stories;
}

function safeUrl(link: string, base: string): string {
  try {
    return new URL(link, base).href;
  } catch {
    return base;
  }
}

function hostOf(url: string | null): string {
  if (!url) return 'unknown source';
  try {
    return new URL(url).hostname;
  } catch {
    return 'unknown source';
  }
}
