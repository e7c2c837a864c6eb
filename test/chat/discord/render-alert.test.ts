import { describe, expect, it } from 'vitest';
import {
  ALERT_COLOURS,
  alertColour,
  alertNonce,
  escapeFeedText,
  renderAlertMessage,
  renderSummary,
  truncateText,
} from '../../../src/chat/discord/render-alert.js';
import { alert, CHANNEL_KEY, hostileAlert, story, unsafeParts } from './render-fixtures.js';

const ZW = '\u200b';

describe('Discord alert rendering', () => {
  it('puts the whole alert in one embed: linked title, bold matched terms, why it matched, watchlists, source, time, image', () => {
    expect(renderAlertMessage(alert)).toEqual({
      embeds: [
        {
          title: 'El Mayo pleads guilty in Brooklyn',
          url: 'https://example.org/el-mayo',
          color: alertColour(alert.watchlists),
          description: 'The **Sinaloa cartel** co-founder appeared in court.\n\nMatched: cartel\\_leaders: @el\\_mayo "El Mayo" \\(title\\), @sinaloa\\_cartel "Sinaloa cartel\\*" \\(summary\\)',
          fields: [
            { name: 'Watchlists', value: 'Cartel leaders', inline: true },
            { name: 'Source', value: 'InSight Crime', inline: true },
          ],
          footer: { text: 'InSight Crime · 2026-11-27 10:15 UTC' },
          timestamp: '2026-11-27T10:15:00.000Z',
          thumbnail: { url: 'https://example.org/el-mayo.jpg' },
        },
      ],
      allowed_mentions: { parse: [] },
      nonce: alertNonce(story.id, CHANNEL_KEY),
      enforce_nonce: true,
    });
  });

  it.each([
    ['@everyone', `@${ZW}everyone`],
    ['@here and @Everyone', `@${ZW}here and @${ZW}Everyone`],
    ['<@123456789012345678>', `<${ZW}@123456789012345678>`],
    ['<@&123456789012345678>', `<${ZW}@&123456789012345678>`],
    ['<#123456789012345678> <t:1700000000:R>', `<${ZW}#123456789012345678> <${ZW}t:1700000000:R>`],
    ['[click](https://evil.example)', '\\[click\\]\\(https://evil.example\\)'],
    ['**bold** _it_ ~~s~~ ||sp||', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\|\\|sp\\|\\|'],
    ['`code`', '\\`code\\`'],
    ['# Heading', '\\# Heading'],
    ['> quote', '\\> quote'],
    ['-# small', '\\-# small'],
    ['back\\slash', 'back\\\\slash'],
    ['a\u001b[31mb\u202ec', 'a\\[31mbc'],
    ['an email: a@example.org', 'an email: a@example.org'],
  ])('escapes feed text %j so it cannot ping, link or restyle', (input, expected) => {
    expect(escapeFeedText(input)).toBe(expected);
  });

  it.each([
    ['short', 10, 'short'],
    ['hello world again', 12, 'hello world…'],
    ['hello world again', 14, 'hello world…'],
    ['abcdefghijklmnop', 6, 'abcde…'],
    [`${'a'.repeat(9)}😀b`, 11, `${'a'.repeat(9)}…`],
    [`${'a'.repeat(8)}😀bc`, 11, `${'a'.repeat(8)}😀…`],
    ['abcd\\*efgh', 6, 'abcd…'],
    ['x', 0, ''],
  ])('truncates %j to %i characters on a word boundary, never inside a character', (text, max, expected) => {
    const cut = truncateText(text, max);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
  });

  it.each([
    ['a cut inside a bold run closes it', 'one two three four five', [{ start: 4, end: 18 }], 16, 'one **two**…'],
    ['a cut before a bold run leaves it out', 'one two three four five', [{ start: 8, end: 13 }], 10, 'one two…'],
    ['room for all of it', 'one two', [{ start: 4, end: 7 }], 20, 'one **two**'],
  ])('summary: %s', (_name, text, highlights, max, expected) => {
    const rendered = renderSummary(text, highlights, max);
    expect(rendered).toBe(expected);
    expect(rendered.length).toBeLessThanOrEqual(max);
  });

  it.each([
    ['javascript:alert(1)', undefined],
    ['ftp://example.org/x', undefined],
    ['not a url', undefined],
    ['http://example.org/a b', 'http://example.org/a%20b'],
    ['https://example.org/x', 'https://example.org/x'],
  ])('links the title only to http(s): %s', (link, url) => {
    const [embed] = renderAlertMessage({ ...alert, story: { ...story, link, imageUrl: link } }).embeds;
    expect(embed.url).toBe(url);
    expect(embed.thumbnail?.url).toBe(url);
  });

  it('gives each watchlist a stable colour from a fixed palette, by the first watchlist', () => {
    const colour = alertColour([{ id: 'cartel_leaders' }]);
    expect(ALERT_COLOURS).toContain(colour);
    expect(alertColour([{ id: 'cartel_leaders' }, { id: 'tariffs' }])).toBe(colour);
    const colours = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((id) => alertColour([{ id }])));
    expect(colours.size).toBeGreaterThan(1);
    expect(alertColour([])).not.toBe(undefined);
  });

  it('derives a nonce of at most 25 characters from the story and the channel', () => {
    const nonce = alertNonce('story-1', CHANNEL_KEY);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{25}$/);
    expect(alertNonce('story-1', CHANNEL_KEY)).toBe(nonce);
    expect(alertNonce('story-2', CHANNEL_KEY)).not.toBe(nonce);
    expect(alertNonce('story-1', 'discord:123456789012345678:345678901234567890')).not.toBe(nonce);
  });

  it('renders a hostile story inside every limit, with nothing that pings, links or splits a character', () => {
    const message = renderAlertMessage(hostileAlert);
    const [embed] = message.embeds;
    expect(unsafeParts(embed)).toEqual([]);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(embed.url).toBeUndefined();
    expect(embed.thumbnail).toBeUndefined();
    expect(embed.title!.length).toBeLessThanOrEqual(256);
    expect(embed.title!.endsWith('…')).toBe(true);
    expect(embed.description!.length).toBeGreaterThan(3000);
    expect(embed.description).toContain('**word1**');
    expect(embed.description).toMatch(/…\n\nMatched: evil: /);
    expect(embed.fields?.[0]?.value).toBe(`<${ZW}@&123456789012345678> \\[list\\]\\(https://evil.example\\) @${ZW}here, Cartel leaders`);
  });

  it('keeps the embed within 6000 characters in total when every part is at its longest', () => {
    const long = `${'word '.repeat(3000)}`;
    const names = Array.from({ length: 200 }, (_, i) => ({ id: `w${i}`, name: `watchlist ${i} ${'x'.repeat(20)}` }));
    const message = renderAlertMessage({ ...hostileAlert, watchlists: names, story: { ...hostileAlert.story, title: long, source: long } });
    expect(unsafeParts(message.embeds[0])).toEqual([]);
  });

  it('renders a minimal message (title, link, source, time) for when Discord refuses the full one', () => {
    const message = renderAlertMessage(alert, { minimal: true });
    expect(message.embeds[0]).toEqual({
      title: 'El Mayo pleads guilty in Brooklyn',
      url: 'https://example.org/el-mayo',
      color: alertColour(alert.watchlists),
      footer: { text: 'InSight Crime · 2026-11-27 10:15 UTC' },
      timestamp: '2026-11-27T10:15:00.000Z',
    });
    expect(message.nonce).toBe(renderAlertMessage(alert).nonce);
  });
});
