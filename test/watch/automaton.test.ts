/**
 * The pattern automaton, table-driven: which patterns hit where, at which words; and a text
 * folded once and scanned by several automata (story grouping) hit exactly as when each
 * automaton folds it itself.
 */
import { describe, expect, it } from 'vitest';
import { PatternAutomaton } from '../../src/watch/automaton.js';
import { FoldBuffer, tokenize, tokensOf } from '../../src/watch/fold.js';
import { aliasTerm } from '../../src/watch/definition.js';

const PATTERNS = ['el mayo', 'extradit*', 'cartel', 'cartel del golfo', 'ss', 'final', 'tariff* on mexico', 'us'];

function automatonOf(patterns: readonly string[]): { automaton: PatternAutomaton; names: Map<number, string> } {
  const automaton = new PatternAutomaton();
  const names = new Map<number, string>();
  for (const pattern of patterns) names.set(automaton.add(aliasTerm(pattern).words), pattern);
  return { automaton, names };
}

describe('PatternAutomaton.scan', () => {
  const { automaton, names } = automatonOf(PATTERNS);
  const found = (text: string) =>
    automaton.scan(text, 'title').map((hit) => [names.get(hit.pattern), text.slice(hit.start, hit.end), hit.firstWord, hit.lastWord]);

  it.each([
    ['', []],
    ['   ', []],
    ['El Mayo extradited', [['el mayo', 'El Mayo', 0, 1], ['extradit*', 'extradited', 2, 2]]],
    ['  «El   Mayo»', [['el mayo', 'El   Mayo', 0, 1]]],
    ['Cártel del Golfo', [['cartel', 'Cártel', 0, 0], ['cartel del golfo', 'Cártel del Golfo', 0, 2]]],
    ['carteles', []],
    ['Straße', []],
    ['ss ß', [['ss', 'ss', 0, 0], ['ss', 'ß', 1, 1]]],
    ['ﬁnal word', [['final', 'ﬁnal', 0, 0]]],
    ['Tariffs on Mexico; tariff on Mexico', [['tariff* on mexico', 'Tariffs on Mexico', 0, 2], ['tariff* on mexico', 'tariff on Mexico', 3, 5]]],
    ['US-us, bus', [['us', 'US', 0, 0], ['us', 'us', 1, 1]]],
    ['e\u0301l mayo', [['el mayo', 'e\u0301l mayo', 0, 1]]],
  ])('%j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('marks every hit with the field it was scanned as', () => {
    expect(automaton.scan('El Mayo', 'summary').map((hit) => hit.field)).toEqual(['summary']);
  });
});

describe('a text folded once, scanned by several automata', () => {
  const one = automatonOf(PATTERNS).automaton;
  const other = automatonOf(['mayo', 'golfo', 'extradicion*', 'on']).automaton;
  const texts = [
    'El Mayo extradited to the US',
    '«Cártel del Golfo»: EXTRADICIÓN de 26 narcos a EE.UU.',
    'Straße ﬁnal e\u0301l mayo — tariffs on Mexico',
    'x'.repeat(3000) + ' mayo',
    '',
  ];

  it.each(texts.map((text) => [text.slice(0, 40), text]))('%j: the same hits and words', (_label, text) => {
    const folded = new FoldBuffer().fill(text);
    expect(one.scanFolded(folded, 'title')).toEqual(one.scan(text, 'title'));
    expect(other.scanFolded(folded, 'title')).toEqual(other.scan(text, 'title'));
    // The buffer is not changed by the scans, so a third reader still sees the text.
    expect(tokensOf(folded)).toEqual(tokenize(text));
  });
});
