import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleSink, renderAlertText } from '../../src/delivery/console-sink.js';
import type { Alert } from '../../src/alerts/alert.js';
import type { Story } from '../../src/feeds/story.js';

const story: Story = {
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
};

const alert: Alert = {
  channel: 'console',
  story,
  watchlists: [{ id: 'cartel_leaders', name: 'Cartel leaders' }],
  matches: [
    { watchlist: 'cartel_leaders', term: 'El Mayo', field: 'title', start: 0, end: 7, clause: '@el_mayo', entity: 'el_mayo', role: 'alias' },
    { watchlist: 'cartel_leaders', term: 'El Mayo', field: 'summary', start: 0, end: 0, clause: '@el_mayo', entity: 'el_mayo', role: 'alias' },
    { watchlist: 'cartel_leaders', term: 'Sinaloa', field: 'summary', start: 4, end: 11, clause: '@el_mayo', entity: 'el_mayo', role: 'context' },
    { watchlist: 'cartel_leaders', term: 'Sinaloa cartel*', field: 'summary', start: 4, end: 18, clause: '@sinaloa_cartel', entity: 'sinaloa_cartel', role: 'alias' },
  ],
  summary: 'The Sinaloa cartel co-founder appeared in court.',
  summaryHighlights: [{ start: 4, end: 18 }],
};

describe('console sink', () => {
  it('prints the title, source, time, link, why it matched and the summary with matched terms in bold', () => {
    expect(renderAlertText(alert)).toBe(
      [
        '■ El Mayo pleads guilty in Brooklyn',
        '  InSight Crime · 2026-11-27 10:15 UTC',
        '  https://example.org/el-mayo',
        '  matched cartel_leaders: @el_mayo "El Mayo" (title, summary), @sinaloa_cartel "Sinaloa cartel*" (summary)',
        '  The **Sinaloa cartel** co-founder appeared in court.',
        '',
        '',
      ].join('\n'),
    );
  });

  it('says when the time is when the story was first seen', () => {
    expect(renderAlertText({ ...alert, story: { ...story, publishedFrom: 'first-seen' } })).toContain('10:15 UTC (first seen)');
  });

  it('writes one JSON object per alert in json mode', async () => {
    const out = new PassThrough();
    let text = '';
    out.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    await createConsoleSink({ out, format: 'json' }).deliver(alert);
    expect(JSON.parse(text)).toEqual({
      story: { id: 'abc123', title: story.title, link: story.link, published: story.published, source: 'InSight Crime' },
      watchlists: ['cartel_leaders'],
      matches: [
        { watchlist: 'cartel_leaders', term: 'El Mayo', field: 'title', entity: 'el_mayo' },
        { watchlist: 'cartel_leaders', term: 'El Mayo', field: 'summary', entity: 'el_mayo' },
        { watchlist: 'cartel_leaders', term: 'Sinaloa', field: 'summary', entity: 'el_mayo' },
        { watchlist: 'cartel_leaders', term: 'Sinaloa cartel*', field: 'summary', entity: 'sinaloa_cartel' },
      ],
      summary: alert.summary,
      channel: 'console',
    });
  });
});
