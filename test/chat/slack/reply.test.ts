/**
 * Command replies as Slack mrkdwn: escaping of what users typed, the marked spans, the 3000
 * character cut.
 */
import { describe, expect, it } from 'vitest';
import type { ReplyLine } from '../../../src/commands/types.js';
import { escapeSlackText, MAX_TEXT, renderSlackReply, renderText } from '../../../src/chat/slack/index.js';

describe('renderText', () => {
  it.each<[string, ReplyLine[], string]>([
    ['plain text', ['Added a term.'], 'Added a term.'],
    ['lines', ['one', 'two'], 'one\ntwo'],
    ['nothing', [], 'Done.'],
    ['a channel mention typed by a user', ['term <!channel> added'], 'term &lt;!channel&gt; added'],
    ['a user mention', ['hi <@U123>'], 'hi &lt;@U123&gt;'],
    ['a forged link', ['<https://evil.example|bank>'], '&lt;https://evil.example|bank&gt;'],
    ['an ampersand (also one already escaped)', ['A & B &amp; C'], 'A &amp; B &amp;amp; C'],
    ['formatting characters stay', ['*not bold* _x_ ~y~'], '*not bold* _x_ ~y~'],
    ['control characters go', ['a\u001b[2Jb\u202ec'], 'a[2Jbc'],
    ['bold', [['Watchlist ', { bold: 'Tariffs <!here>' }]], 'Watchlist *Tariffs &lt;!here&gt;*'],
    ['empty bold', [['x', { bold: '  ' }]], 'x'],
    ['code', [['Run ', { code: '/wirewatch subscribe <ids>' }]], 'Run `/wirewatch subscribe &lt;ids&gt;`'],
    ['code with a backtick and a newline', [[{ code: 'a`b\nc' }]], '`aˋb c`'],
    ['link', [[{ link: 'https://news.example/a?x=1&y=2', label: 'Story <b>' }]], '<https://news.example/a?x=1&amp;y=2|Story &lt;b&gt;>'],
    ['link with | and > in the URL', [[{ link: 'https://news.example/a|b>c', label: 'x' }]], '<https://news.example/a%7Cb%3Ec|x>'],
    ['link without a label', [[{ link: 'https://news.example/', label: '' }]], '<https://news.example/|https://news.example/>'],
    ['not an http link: the label only', [[{ link: 'javascript:alert(1)', label: 'click' }]], 'click'],
  ])('%s', (_name, lines, text) => {
    expect(renderText(lines)).toBe(text);
  });

  it('keeps long replies within 3000 characters: whole lines, then the last one cut after a word', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'word '.repeat(5).trim()}`);
    const text = renderText(lines);
    expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(text.length).toBeGreaterThan(MAX_TEXT - 30);
    expect(text.endsWith('…')).toBe(true);
    const kept = text.slice(0, -1).split('\n');
    for (const line of kept.slice(0, -1)) expect(lines).toContain(line);
    const last = kept.at(-1)!;
    expect(lines.some((line) => line.startsWith(`${last} `) || line === last)).toBe(true);
  });

  it('cuts one long line after a word, never inside an escape', () => {
    const text = renderText([`${'a&b '.repeat(1000)}`]);
    expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(text).toMatch(/a&amp;b…$/);
  });

  it('cuts a word-less line between code points', () => {
    const text = renderText(['😀'.repeat(2000)], 11);
    expect(text).toBe('😀😀😀😀😀…');
  });
});

describe('renderSlackReply', () => {
  it('is ephemeral', () => {
    expect(renderSlackReply({ outcome: 'ok', lines: ['hi'] })).toEqual({ response_type: 'ephemeral', text: 'hi' });
  });

  it('escapes exactly &, < and >', () => {
    expect(escapeSlackText(`&<>"'*_\``)).toBe(`&amp;&lt;&gt;"'*_\``);
  });
});
