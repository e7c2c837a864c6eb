/** A normalised Story for tests that start after normalisation (alerts, sinks, rendering). */
import type { Story } from '../../src/feeds/story.js';

export function testStory(overrides: Partial<Story> = {}): Story {
  return {
    id: 'abc123',
    feedId: 'insightcrime',
    identity: { kind: 'guid', key: 'g1' },
    earlierIds: [],
    title: 'El Mayo pleads guilty in Brooklyn',
    link: 'https://example.org/el-mayo',
    summary: 'The Sinaloa cartel co-founder appeared in court.',
    published: '2026-11-27T10:15:00.000Z',
    publishedFrom: 'feed',
    language: 'en',
    categories: [],
    imageUrl: null,
    source: 'InSight Crime',
    ...overrides,
  };
}
