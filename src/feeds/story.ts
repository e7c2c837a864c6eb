/**
 * A Story is one feed item after normalisation: plain text, absolute canonical link, a stable
 * identity. Everything after the feeds capability (dedupe, matching, summaries, delivery)
 * works on Stories only.
 */
export interface Story {
  /** Stable id: sha1 of the feed id and the identity key, hex, 20 chars. */
  id: string;
  feedId: string;
  /** What identifies the item within its feed: guid and link, guid, canonical link, or title+date. */
  identity: StoryIdentity;
  /** Ids the same item had under earlier identity rules; read from old seen-records, never written. */
  earlierIds: string[];
  title: string;
  /** Absolute, tracking parameters removed; redirect links (Google News, feedburner) kept as given. */
  link: string | null;
  /** Plain text: HTML stripped, entities decoded, whitespace folded. */
  summary: string;
  /** ISO 8601. When the feed gives no usable date, the time the item was first seen. */
  published: string;
  publishedFrom: 'feed' | 'first-seen';
  /** 'en', 'es', … from the feed or item, else detected (en/es only), else null. */
  language: string | null;
  categories: string[];
  imageUrl: string | null;
  /** Outlet name: the item's <source> (Google News) or the feed's own title/name. */
  source: string;
}

export interface StoryIdentity {
  kind: 'guid-link' | 'guid' | 'link' | 'title-date';
  key: string;
}
