/**
 * Which key identifies an item inside its feed. MonitoRSS's rule, adapted: the guid if the item
 * has one that no other item of the same fetch repeats; else the canonical link, under the same
 * condition; else a hash of title and date. A key repeated within one fetch identifies nothing.
 */
import type { StoryIdentity } from './story.js';
import { sha1Hex } from '../hash.js';

export interface IdentityCandidates {
  guid: string | null;
  link: string | null;
  title: string;
  date: string | null;
}

function counts(values: (string | null)[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const value of values) if (value) seen.set(value, (seen.get(value) ?? 0) + 1);
  return seen;
}

/** One identity per item, in the same order. */
export function resolveIdentities(items: IdentityCandidates[]): StoryIdentity[] {
  const guidCounts = counts(items.map((item) => item.guid?.trim() || null));
  const linkCounts = counts(items.map((item) => item.link));
  return items.map((item) => {
    const guid = item.guid?.trim();
    if (guid && guidCounts.get(guid) === 1) return { kind: 'guid', key: guid };
    if (item.link && linkCounts.get(item.link) === 1) return { kind: 'link', key: item.link };
    return { kind: 'title-date', key: sha1Hex(`${item.title}\n${item.date ?? ''}`) };
  });
}

/** The story id: stable across fetches and restarts for the same item of the same feed. */
export function storyId(feedId: string, identity: StoryIdentity): string {
  return sha1Hex(`${feedId}\n${identity.kind}:${identity.key}`).slice(0, 20);
}
