/**
 * Alerts for one story going to many channels: each channel sees only its own watchlists, their
 * matches and its own highlights, while the story's work is shared.
 */
import { describe, expect, it } from 'vitest';
import { StoryAlerts, buildAlert, markHighlights } from '../../src/alerts/alert.js';
import { compileWatchlists } from '../../src/watch/matcher.js';
import { watchlistDefinitionSchema } from '../../src/watch/definition.js';
import { testStory } from '../helpers/stories.js';

const story = testStory({
  id: 's1',
  feedId: 'f',
  identity: { kind: 'guid', key: '1' },
  title: 'Mexico week in review',
  link: null,
  summary: 'Tariffs on Mexico rose again. El Mayo was sent to the US. The weather was fine.',
  published: '2026-01-01T00:00:00.000Z',
  source: 'Test',
});

const lists = [
  watchlistDefinitionSchema.parse({ id: 'tariffs', name: 'Tariffs', query: 'tariffs Mexico' }),
  watchlistDefinitionSchema.parse({ id: 'mayo', name: 'El Mayo', terms: ['El Mayo'] }),
  watchlistDefinitionSchema.parse({ id: 'other', name: 'Other', terms: ['volcano'] }),
];
const names = new Map(lists.map((list) => [list.id, list.name]));
const result = compileWatchlists(lists).match(story);
const bolded = (alert: { summary: string; summaryHighlights: { start: number; end: number }[] } | null) =>
  alert && markHighlights(alert.summary, alert.summaryHighlights, '*');

describe('StoryAlerts', () => {
  const alerts = new StoryAlerts(story, result, names);

  it.each([
    ['tariffs only', ['tariffs'], ['tariffs'], '*Tariffs* on *Mexico* rose again. El Mayo was sent to the US. The weather was fine.'],
    ['El Mayo only', ['mayo'], ['mayo'], 'Tariffs on Mexico rose again. *El Mayo* was sent to the US. The weather was fine.'],
    ['both, listed in another order', ['mayo', 'other', 'tariffs'], ['tariffs', 'mayo'], '*Tariffs* on *Mexico* rose again. *El Mayo* was sent to the US. The weather was fine.'],
  ])('a channel following %s sees its watchlists, matches and highlights', (_name, wanted, fired, summary) => {
    const alert = alerts.forChannel('c', new Set(wanted));
    expect(alert?.watchlists.map((w) => w.id)).toEqual(fired);
    expect(new Set(alert?.matches.map((m) => m.watchlist))).toEqual(new Set(fired));
    expect(bolded(alert)).toBe(summary);
  });

  it('gives no alert to a channel none of whose watchlists fired', () => {
    expect(alerts.forChannel('c', new Set(['other']))).toBeNull();
  });

  it('agrees with buildAlert for a channel following everything that fired', () => {
    const alert = alerts.forChannel('all', new Set(['tariffs', 'mayo']));
    expect(alert).toEqual(buildAlert('all', story, result, names));
  });
});

describe('an alert carries each matched term once per watchlist and field', () => {
  it('a story repeating its terms: every hit is found, the alert keeps one per term and field, and the summary still marks them', () => {
    const sentence = 'Mexico extradites a cartel figure to the United States. ';
    const story = testStory({ title: 'Mexico extradition', summary: sentence.repeat(40) });
    const matcher = compileWatchlists([watchlistDefinitionSchema.parse({ id: 'w', name: 'W', query: 'extradit* OR Mexico' })]);
    const result = matcher.match(story);
    const alert = buildAlert('c', story, result, new Map());
    expect(result.matches.length).toBeGreaterThan(4 * alert.matches.length);
    expect(alert.matches.map(({ term, field }) => `${field}:${term}`).sort()).toEqual(['summary:Mexico', 'summary:extradit*', 'title:Mexico', 'title:extradit*']);
    expect(alert.summaryHighlights.length).toBeGreaterThan(0);
  });
});
