import { sha1Hex } from '../hash.js';

/**
 * A feed to poll: where it lives and how alerts name it. The config file, the command line's
 * --feed and (later) chat commands all produce these; the pipeline polls them.
 */
export interface FeedSource {
  /** Stable id: keys the feed's seen-record and appears in logs as feed_id. */
  id: string;
  url: string;
  /** Shown in alerts; null → the feed's own title. */
  name: string | null;
  /** Overrides the feed's declared language; null → the feed's, else detected. */
  language: string | null;
}

/** A readable id from a URL: "https://www.example.org/rss.xml" → "example.org-rss.xml". */
export function feedIdFromUrl(url: string): string {
  const parsed = new URL(url);
  const slug = `${parsed.hostname.replace(/^www\./, '')}${parsed.pathname}`
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 64).replace(/-+$/, '') || 'feed';
}

/**
 * The id under which a feed added from chat is polled and its seen-record kept: derived from the
 * URL alone, so two tenants adding the same URL share one fetch and one record, and removing it
 * from one tenant changes nothing for the other.
 */
export function chatFeedSourceId(url: string): string {
  return `chat-${sha1Hex(url).slice(0, 16)}`;
}
