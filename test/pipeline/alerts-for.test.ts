/** alertsFor: a story whose matching fails costs that story, and the feed's other stories still alert. */
import { describe, expect, it } from 'vitest';
import { alertsFor, type FeedTarget } from '../../src/pipeline/poll-feed.js';
import { compileWatchlists, type Matcher } from '../../src/watch/matcher.js';
import { testStory } from '../helpers/stories.js';

const story = (id: string, title: string) => testStory({ id, title, feedId: 'f', link: null, summary: '' });

describe('alertsFor', () => {
  it('skips a story whose matching throws, reports it, and alerts on the others', () => {
    const real = compileWatchlists([{ id: 'w', name: 'W', terms: ['extradited'] }]);
    // The matcher is our own code; at this unit's edge it stands in for one that fails on one story.
    const matcher: Matcher = { match: (input) => (input.title.includes('poison') ? (() => { throw new RangeError('boom'); })() : real.match(input)) };
    const target: FeedTarget = { feed: { id: 'f', url: 'https://x/rss', name: null, language: null }, trusted: true, subscribers: [{ channel: 'console', watchlists: ['w'] }] };
    const failed: string[] = [];
    const alerts = [...alertsFor([story('a', 'Capo extradited'), story('b', 'poison extradited'), story('c', 'Another extradited')], target, { matcher, watchlistNames: new Map() }, (s, error) => failed.push(`${s.id}:${error.code}`))];
    expect(alerts.map((a) => a.story.id)).toEqual(['a', 'c']);
    expect(failed).toEqual(['b:internal']);
  });
});
