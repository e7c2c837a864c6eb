/**
 * Which key identifies an item inside its feed. The key is a function of the item alone — never
 * of the other items in the same fetch — so a story keeps its id across polls whatever else the
 * feed holds (docs/decisions/006-story-identity.md):
 *
 *   guid and link  → both: a feed that repeats one guid over different articles still tells them apart
 *   guid alone     → the guid
 *   link alone     → the canonical link
 *   neither        → a hash of title and date
 *
 * Two items of one fetch with the same key are the same story, seen twice.
 */
import type { StoryIdentity } from './story.js';
import { sha1Hex } from '../hash.js';

export interface IdentityCandidates {
  guid: string | null;
  link: string | null;
  title: string;
  date: string | null;
}

export function resolveIdentity(item: IdentityCandidates): StoryIdentity {
  const guid = item.guid?.trim();
  if (guid && item.link) return { kind: 'guid-link', key: `${guid}\n${item.link}` };
  if (guid) return { kind: 'guid', key: guid };
  if (item.link) return { kind: 'link', key: item.link };
  return { kind: 'title-date', key: sha1Hex(`${item.title}\n${item.date ?? ''}`) };
}

/** The story id: stable across fetches and restarts for the same item of the same feed. */
export function storyId(feedId: string, identity: StoryIdentity): string {
  return sha1Hex(`${feedId}\n${identity.kind}:${identity.key}`).slice(0, 20);
}

/**
 * Ids the same item may carry in seen-records written before identities stopped depending on
 * the rest of the fetch: then an item with a guid (unique in its fetch) was keyed by the guid
 * alone. Reading them keeps an upgrade from re-alerting what is already in the feeds.
 */
export function earlierStoryIds(feedId: string, identity: StoryIdentity): string[] {
  if (identity.kind !== 'guid-link') return [];
  const guid = identity.key.slice(0, identity.key.indexOf('\n'));
  return [storyId(feedId, { kind: 'guid', key: guid })];
}
