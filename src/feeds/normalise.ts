/**
 * ParsedFeed → Stories: one shape for every format, plain text, canonical links, a stable id.
 * Pure: the time of the poll comes in as `now` (it stands in for missing dates).
 */
import type { ParsedFeed, ParsedItem } from './types.js';
import type { Story, StoryIdentity } from './story.js';
import { canonicalLink } from './link.js';
import { detached, htmlToText, plainLine, repairMojibake } from './text.js';
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

export interface FeedShared {
  base: string | null;
  feedLanguage: string | null;
  feedSource: string;
}

/**
 * An item with only what tells stories apart worked out: its id, link and date. Identifying is
 * cheap (no HTML is read unless the item has neither guid nor link), so a poll identifies every
 * item to find the new ones and turns only those into Stories.
 */
export interface IdentifiedItem {
  /** Position in the document, from 0. */
  index: number;
  item: ParsedItem;
  id: string;
  identity: StoryIdentity;
  link: string | null;
  /** The item's own date; null when it has none usable (the time it was first seen stands in). */
  publishedMs: number | null;
}

/** A parsed feed's items, identified, and what turns any of them into Stories. */
export interface IdentifiedFeed {
  items: IdentifiedItem[];
  /** The Stories of these items, in their order; an item with nothing a person could read gives none. */
  stories(items: readonly IdentifiedItem[]): Story[];
}

function identifyItem(item: ParsedItem, index: number, shared: FeedShared, context: NormaliseContext): IdentifiedItem {
  const link = canonicalLink(item.link, shared.base);
  // The title enters the identity only for an item with neither guid nor link.
  const title = item.guid?.trim() || link ? '' : itemTitle(item);
  const identity = resolveIdentity({ guid: item.guid, link, title, date: item.date });
  return {
    index,
    item,
    id: storyId(context.feedId, identity),
    identity,
    link,
    publishedMs: parseFeedDate(item.date, context.now),
  };
}

const itemTitle = (item: ParsedItem) => clip(htmlToText(item.title), MAX_TITLE_CHARS);

const detachedOrNull = (text: string | null) => (text === null ? null : detached(text));

/** One identified item → one Story, or null when it holds nothing a person could read. */
function completeStory(identified: IdentifiedItem, shared: FeedShared, context: NormaliseContext): Story | null {
  const { item, publishedMs } = identified;
  // Every text a Story keeps is detached from the document it was parsed from: a Story outlives
  // its feed's turn (in alerts, in events), the document must not.
  const link = detachedOrNull(identified.link);
  const title = detached(itemTitle(item));
  const summary = detached(clip(itemSummary(item), MAX_SUMMARY_CHARS));
  if (!title && !summary && !link) return null;
  const identity = { kind: identified.identity.kind, key: detached(identified.identity.key) };
  return {
    id: identified.id,
    feedId: context.feedId,
    identity,
    earlierIds: earlierStoryIds(context.feedId, identity),
    title: title || clip(summary, 120) || (link ?? ''),
    link,
    summary,
    published: new Date(publishedMs ?? context.now).toISOString(),
    publishedFrom: publishedMs === null ? 'first-seen' : 'feed',
    language: primaryLanguage(item.language) ?? shared.feedLanguage ?? detectLanguage(`${title} ${summary}`),
    categories: [...new Set(item.categories.map((c) => detached(plainLine(c))).filter(Boolean))],
    imageUrl: detachedOrNull(canonicalLink(item.imageUrl, shared.base)),
    source: (item.sourceName && detached(plainLine(item.sourceName))) || shared.feedSource,
  };
}

/**
 * Every item of a parsed feed, identified, the same item listed twice in one document once (the
 * first counts). An item that cannot be read costs that item alone: it is reported to
 * `onItemError` (the caller logs it) and the rest go on — whether identifying or completing it failed.
 */
export function identifyFeed(feed: ParsedFeed, context: NormaliseContext): IdentifiedFeed {
  const shared: FeedShared = {
    base: feed.link && context.documentUrl ? safeUrl(feed.link, context.documentUrl) : context.documentUrl,
    feedLanguage: primaryLanguage(context.feedLanguage) ?? primaryLanguage(feed.language),
    feedSource: detached(plainLine(context.feedName ?? repairMojibake(feed.title ?? ''))) || hostOf(context.documentUrl),
  };
  const items: IdentifiedItem[] = [];
  const ids = new Set<string>();
  feed.items.forEach((item, index) => {
    let identified: IdentifiedItem;
    try {
      identified = identifyItem(item, index, shared, context);
    } catch (error) {
      context.onItemError?.(index, error);
      return;
    }
    if (ids.has(identified.id)) return;
    ids.add(identified.id);
    items.push(identified);
  });
  const stories = (wanted: readonly IdentifiedItem[]): Story[] => {
    const out: Story[] = [];
    for (const identified of wanted) {
      try {
        const story = completeStory(identified, shared, context);
        if (story) out.push(story);
      } catch (error) {
        context.onItemError?.(identified.index, error);
      }
    }
    return out;
  };
  return { items, stories };
}

/** Every item of a parsed feed as a Story (identifyFeed, then every item completed). */
export function normaliseFeed(feed: ParsedFeed, context: NormaliseContext): Story[] {
  const identified = identifyFeed(feed, context);
  return identified.stories(identified.items);
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
