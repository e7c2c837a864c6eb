import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleSink, renderAlertText } from '../../src/delivery/console-sink.js';
import type { Alert } from '../../src/alerts/alert.js';
import { testStory } from '../helpers/stories.js';

const story = testStory();

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

  it('names a tenant’s own watchlist by the id the tenant gave it', () => {
    const scoped = 'discord:123456789012345678/cartel_leaders';
    const own = { ...alert, watchlists: [{ id: scoped, name: 'Ours' }], matches: alert.matches.map((m) => ({ ...m, watchlist: scoped })) };
    expect(renderAlertText(own)).toContain('  matched cartel_leaders: @el_mayo "El Mayo"');
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

describe('console sink: control characters', () => {
  const CONTROL_OR_BIDI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
  const hostile: Alert = {
    ...alert,
    story: { ...story, title: 'Title \u001b[2J\u009b31m\u202eevil', source: 'Src \u001b]0;title\u0007', link: 'https://example.org/\u009b2J' },
    summary: 'Sum \u001b[2J mary \u009d8;;https://evil.example\u009c',
  };

  it('text output carries no control or bidi characters, and keeps its line breaks', () => {
    const text = renderAlertText(hostile);
    expect(text).not.toMatch(CONTROL_OR_BIDI);
    expect(text.startsWith('■ Title [2J31mevil\n  Src ]0;title · ')).toBe(true);
  });

  it('JSON output escapes them, so the values survive and a terminal sees none', async () => {
    const out = new PassThrough();
    let printed = '';
    out.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
    await createConsoleSink({ out, format: 'json' }).deliver(hostile);
    expect(printed).not.toMatch(CONTROL_OR_BIDI);
    expect((JSON.parse(printed) as { story: { title: string } }).story.title).toBe(hostile.story.title);
  });
});
