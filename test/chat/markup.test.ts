/**
 * The cutting and highlighting both chat adapters share, with a neutral markup: what each hook
 * of `Markup` changes, and the reply cut on line and word boundaries.
 */
import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/alerts/summary.js';
import type { Inline, ReplyLine } from '../../src/commands/types.js';
import { httpUrl, renderReplyLines, renderSummary, truncateText, type Markup } from '../../src/chat/markup.js';

const plain: Markup = { bold: '**', escape: (text) => text };
const entities: Markup = {
  ...plain,
  backOff: (text, cut) => {
    const amp = text.lastIndexOf('&', cut - 1);
    return amp >= 0 && !text.slice(amp, cut).includes(';') ? amp : cut;
  },
};
const backslashes: Markup = { ...plain, tidyEnd: (kept) => kept.replace(/\\+$/, '') };
const wordsOnly: Markup = { ...plain, boldWordsOnly: true };

describe('truncateText', () => {
  it.each<[string, string, number, Markup, string]>([
    ['short enough', 'hello world', 20, plain, 'hello world'],
    ['at a word boundary', 'hello world again', 12, plain, 'hello world…'],
    ['mid-word when no boundary is near', 'abcdefghij', 5, plain, 'abcd…'],
    ['not between the halves of a surrogate pair', 'ab😀cd', 4, plain, 'ab…'],
    ['no room for the ellipsis', 'abc', 0, plain, ''],
    ['backOff: not inside an entity', 'abcd&amp;ef', 8, entities, 'abcd…'],
    ['tidyEnd: no dangling backslash', 'abcd\\*efgh', 6, backslashes, 'abcd…'],
  ])('%s', (_name, text, max, markup, expected) => {
    expect(truncateText(text, max, markup)).toBe(expected);
  });
});

describe('renderSummary', () => {
  const text = 'the cat sat on the mat';
  it.each<[string, Span[], number, Markup, string]>([
    ['a highlight in bold', [{ start: 4, end: 7 }], 100, plain, 'the **cat** sat on the mat'],
    ['edge whitespace inside the markers', [{ start: 3, end: 8 }], 100, plain, 'the** cat **sat on the mat'],
    ['boldWordsOnly: edge whitespace outside', [{ start: 3, end: 8 }], 100, wordsOnly, 'the **cat** sat on the mat'],
    ['overlapping spans clipped', [{ start: 4, end: 7 }, { start: 5, end: 11 }], 100, plain, 'the **cat**** sat** on the mat'],
    ['cut after a whole bold run', [{ start: 4, end: 7 }], 12, plain, 'the **cat**…'],
    ['a bold run that does not fit is left out, not left open', [{ start: 4, end: 7 }], 10, plain, 'the…'],
  ])('%s', (_name, highlights, max, markup, expected) => {
    expect(renderSummary(text, highlights, max, markup)).toBe(expected);
  });
});

describe('renderReplyLines', () => {
  const render = (span: Inline): string => (typeof span === 'string' ? span : 'bold' in span ? `*${span.bold}*` : '');
  it.each<[string, ReplyLine[], number, string]>([
    ['lines joined', ['one', 'two'], 100, 'one\ntwo'],
    ['nothing to say', [], 100, 'Done.'],
    ['the last line cut after a word', ['alpha beta gamma'], 12, 'alpha beta…'],
    ['a later line cut after a word', ['one', 'two three four'], 10, 'one\ntwo…'],
    ['no room for another line', ['abcdefgh', 'ijk'], 9, 'abcdefgh…'],
    ['"…" on a line of its own', ['abcdefg', 'hijk'], 9, 'abcdefg\n…'],
    ['a bold span cut inside its markers', [['x ', { bold: 'one two three' }]], 12, 'x *one two*…'],
  ])('%s', (_name, lines, max, expected) => {
    expect(renderReplyLines(lines, max, render, 'Done.')).toBe(expected);
  });
});

describe('httpUrl', () => {
  it.each<[string | null | undefined, string | null]>([
    ['https://news.example/a b', 'https://news.example/a%20b'],
    ['javascript:alert(1)', null],
    ['not a url', null],
    [null, null],
    [undefined, null],
    [`https://news.example/${'a'.repeat(2100)}`, null],
  ])('%s', (value, expected) => {
    expect(httpUrl(value)).toBe(expected);
  });
});
