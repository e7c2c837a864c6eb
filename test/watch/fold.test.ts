import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/watch/fold.js';

const words = (text: string) => tokenize(text).map((token) => token.text);
const spans = (text: string) => tokenize(text).map((token) => text.slice(token.start, token.end));

describe('tokenize', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['EXTRADICIÓN', ['extradicion']],
    ['Caro-Quintero', ['caro', 'quintero']],
    ["O’Brien's", ['o', 'brien', 's']],
    ['  El Mayo,  Zambada ', ['el', 'mayo', 'zambada']],
    ['Straße', ['strasse']],
    ['ﬁnal', ['final']],
    ['soft\u00adhyphen', ['softhyphen']],
    ['1,000 narcos', ['1', '000', 'narcos']],
    ['Cártel Jalisco Nueva Generación', ['cartel', 'jalisco', 'nueva', 'generacion']],
  ])('%j → %j', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('keeps each word’s span in the original text, expansions and marks included', () => {
    expect(spans('¿La «Tuta» Straße-ﬁnal, e\u0301l?')).toEqual(['La', 'Tuta', 'Straße', 'ﬁnal', 'e\u0301l']);
  });

  it('reads words longer than one string-building slice, and a text of many words, whole', () => {
    const long = 'x'.repeat(10_000);
    expect(words(`a ${long} b`)).toEqual(['a', long, 'b']);
    const many = Array.from({ length: 3_000 }, (_, n) => `w${n}`);
    const tokens = tokenize(many.join(' '));
    expect(tokens.map((token) => token.text)).toEqual(many);
    expect(tokens.at(-1)).toEqual({ text: 'w2999', start: many.join(' ').length - 5, end: many.join(' ').length });
  });

  it('does not carry words over from the text tokenized before', () => {
    tokenize('a much longer text with many words in it');
    expect(words('short')).toEqual(['short']);
  });
});
