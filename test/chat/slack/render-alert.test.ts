import { describe, expect, it } from 'vitest';
import {
  blockTextLength,
  escapeMrkdwn,
  linkUrl,
  renderAlertMessage,
  renderSummary,
  slackDate,
  SLACK_LIMITS,
  truncateText,
} from '../../../src/chat/slack/render-alert.js';
import { escapeSlackText } from '../../../src/chat/slack/escape.js';
import { alert, hostileAlert, story, unsafeParts } from './render-fixtures.js';

const DATE = '<!date^1795774500^{date_short_pretty} {time}|2026-11-27 10:15 UTC>';

describe('Slack alert rendering', () => {
  it('renders linked bold title with the image, the summary with matched terms in bold, source · time · watchlists, why it matched', () => {
    expect(renderAlertMessage(alert)).toEqual({
      text: 'El Mayo pleads guilty in Brooklyn — InSight Crime',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*<https://example.org/el-mayo|El Mayo pleads guilty in Brooklyn>*', verbatim: true },
          accessory: { type: 'image', image_url: 'https://example.org/el-mayo.jpg', alt_text: 'El Mayo pleads guilty in Brooklyn' },
        },
        { type: 'section', text: { type: 'mrkdwn', text: 'The *Sinaloa cartel* co-founder appeared in court.', verbatim: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `InSight Crime · ${DATE} · Watchlists: Cartel leaders`, verbatim: true }] },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'Matched: cartel_leaders: @el_mayo "El Mayo" (title), @sinaloa_cartel "Sinaloa cartel∗" (summary)', verbatim: true }],
        },
      ],
      unfurl_links: false,
      unfurl_media: false,
      parse: 'none',
    });
  });

  it('never asks Slack to turn text into mentions', () => {
    const message = renderAlertMessage(hostileAlert) as unknown as Record<string, unknown>;
    expect(message.link_names).toBeUndefined();
    expect(message.parse).toBe('none');
  });

  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here> <!everyone>', '&lt;!here&gt; &lt;!everyone&gt;'],
    ['<!subteam^S0123|@ops>', '&lt;!subteam^S0123|@ops&gt;'],
    ['<@U12345>', '&lt;@U12345&gt;'],
    ['<https://evil.example|Bank>', '&lt;https://evil.example|Bank&gt;'],
    ['AT&T', 'AT&amp;T'],
    ['&lt;!channel&gt; already escaped', '&amp;lt;!channel&amp;gt; already escaped'],
    ['a\u001b[31mb\u202ec', 'a[31mbc'],
    ['"quotes" and \'apostrophes\' stay', '"quotes" and \'apostrophes\' stay'],
  ])('escapes exactly & < > in %j', (input, expected) => {
    expect(escapeSlackText(input)).toBe(expected);
  });

  it.each([
    ['*bold* and `code`', '∗bold∗ and ˋcodeˋ'],
    ['_italic_ ~strike~', '_italic_ ~strike~'],
    ['<@U1> *x*', '&lt;@U1&gt; ∗x∗'],
  ])('keeps feed text %j from opening or closing bold or code in mrkdwn', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it.each([
    ['https://example.org/a|b', 'https://example.org/a%7Cb'],
    ['https://example.org/a>b?q=<x>#<y>', 'https://example.org/a%3Eb?q=%3Cx%3E#%3Cy%3E'],
    ['http://example.org/x?a=1&b=2', 'http://example.org/x?a=1&b=2'],
    ['javascript:alert(1)', null],
    ['data:text/html,hi', null],
    ['ftp://example.org/', null],
    ['not a url', null],
    [null, null],
  ])('makes %j safe inside <url|label>', (input, expected) => {
    expect(linkUrl(input)).toBe(expected);
  });

  it.each([
    ['short', 10, 'short'],
    ['hello world again', 12, 'hello world…'],
    ['abcdefghijklmnop', 6, 'abcde…'],
    [`${'a'.repeat(9)}😀b`, 11, `${'a'.repeat(9)}…`],
    [`${'a'.repeat(8)}😀bc`, 11, `${'a'.repeat(8)}😀…`],
    ['abcdefgh&amp;xyz', 12, 'abcdefgh…'],
    ['abcdefg&lt;xyz', 10, 'abcdefg…'],
    ['abcde&gt;xyz', 11, 'abcde&gt;x…'],
    ['abcde&gt;xyz', 9, 'abcde…'],
    ['a &amp; b', 5, 'a…'],
    ['x', 0, ''],
  ])('truncates %j to %i characters on a word, never inside a character or an entity', (text, max, expected) => {
    const cut = truncateText(text, max);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
  });

  it.each([
    ['2026-11-27T10:15:00.000Z', false, DATE],
    ['2026-11-27T10:15:00.000Z', true, `${DATE} (first seen)`],
    ['not a date', false, ''],
  ])('writes the time %j as a date token with a UTC fallback', (iso, firstSeen, expected) => {
    expect(slackDate(iso, firstSeen)).toBe(expected);
  });

  it('bolds matched terms on escaped text, whitespace outside the stars, and closes bold when it cuts', () => {
    expect(renderSummary('a <b> & c', [{ start: 1, end: 6 }], 100)).toBe('a *&lt;b&gt;* &amp; c');
    const long = `The Sinaloa cartel ${'word '.repeat(50)}`;
    const cut = renderSummary(long, [{ start: 4, end: 40 }], 30);
    expect(cut.length).toBeLessThanOrEqual(30);
    expect(cut).toBe('The *Sinaloa cartel word*…');
    expect((cut.match(/\*/g) ?? []).length % 2).toBe(0);
  });

  it('renders a hostile story with nothing live in it and every limit kept', () => {
    const message = renderAlertMessage(hostileAlert);
    expect(unsafeParts(message.blocks, message.text)).toEqual([]);
    const [title, summary] = message.blocks;
    // the link goes where the feed said, with | and > unable to end it early; no image from javascript:
    expect(title).toMatchObject({ type: 'section', text: { text: expect.stringMatching(/^\*<https:\/\/example\.org\/a%7Cb%3Ec\?q=%3Cx%3E\|&lt;!channel&gt; &lt;@U12345&gt; &lt;https:\/\/evil\.example\|Bank&gt; &amp; co /) } });
    expect(title).not.toHaveProperty('accessory');
    // the summary takes a full section, cut on a word; its only stars are the highlight's
    expect(summary!.type).toBe('section');
    const summaryText = summary?.type === 'section' ? summary.text.text : '';
    expect(summaryText.length).toBeGreaterThan(2900);
    expect(summaryText.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(summaryText.endsWith('…')).toBe(true);
    expect(summaryText.match(/\*/g)).toEqual(['*', '*']);
    expect(blockTextLength(message.blocks)).toBeLessThanOrEqual(SLACK_LIMITS.blockText);
    expect(message.text).toMatch(/^&lt;!channel&gt; &lt;@U12345&gt; &lt;https:\/\/evil\.example\|Bank&gt; &amp; co x+… — &lt;!channel&gt; Reuters/);
  });

  it('posts title, link, source and time only when asked for a minimal message', () => {
    expect(renderAlertMessage(alert, { minimal: true })).toEqual({
      text: 'El Mayo pleads guilty in Brooklyn — InSight Crime',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*<https://example.org/el-mayo|El Mayo pleads guilty in Brooklyn>*', verbatim: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `InSight Crime · ${DATE}`, verbatim: true }] },
      ],
      unfurl_links: false,
      unfurl_media: false,
      parse: 'none',
    });
  });

  it.each([
    ['no link, no image, no source, no summary, no matches', { ...alert, matches: [], summary: '', summaryHighlights: [], story: { ...story, link: null, imageUrl: null, source: '' } }],
    ['a blank title', { ...alert, story: { ...story, title: '  ' } }],
  ])('still renders a valid message with %s', (_name, input) => {
    const message = renderAlertMessage(input);
    expect(unsafeParts(message.blocks, message.text)).toEqual([]);
    expect(message.blocks[0]).toMatchObject({ type: 'section', text: { text: expect.stringMatching(/^\*.+\*$/) } });
    for (const block of message.blocks) if (block.type === 'context') expect(block.elements[0]!.text).not.toBe('');
  });
});
