/** A normalised Story for tests that start after normalisation (alerts, sinks, rendering). */
import type { Alert } from '../../src/alerts/alert.js';
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

/** The ordinary alert the rendering and sink tests of every platform start from, for `channel`. */
export function ordinaryAlert(channel: string): Alert {
  return {
    channel,
    story: testStory({ id: 'abc123def456abc123de', imageUrl: 'https://example.org/el-mayo.jpg' }),
    watchlists: [{ id: 'cartel_leaders', name: 'Cartel leaders' }],
    matches: [
      { watchlist: 'cartel_leaders', term: 'El Mayo', field: 'title', start: 0, end: 7, clause: '@el_mayo', entity: 'el_mayo', role: 'alias' },
      { watchlist: 'cartel_leaders', term: 'Sinaloa cartel*', field: 'summary', start: 4, end: 18, clause: '@sinaloa_cartel', entity: 'sinaloa_cartel', role: 'alias' },
    ],
    summary: 'The Sinaloa cartel co-founder appeared in court.',
    summaryHighlights: [{ start: 4, end: 18 }],
  };
}

/** 10 KB and more of hostile summary: `attack` every seventh word, an astral-plane emoji wherever a cut may fall. */
export function hostileSummary(attack: string): string {
  const words: string[] = [];
  for (let i = 0; words.join(' ').length < 10_500; i += 1) words.push(i % 7 === 0 ? attack : `word${i}😀😀`);
  return words.join(' ');
}
