import { describe, expect, it } from 'vitest';
import { summarise, truncateAtWord } from '../../src/alerts/summary.js';
import { markHighlights } from '../../src/alerts/alert.js';

const TEXT =
  'Officials met in Washington on Tuesday. Mexico sent 26 cartel figures to the United States. ' +
  'Among them was a former police chief. The transfer followed talks on tariffs.';

describe('summarise', () => {
  it.each([
    {
      name: 'keeps up to three sentences, matched ones chosen first, in reading order',
      spans: [{ start: TEXT.indexOf('tariffs'), end: TEXT.indexOf('tariffs') + 7 }],
      options: { maxSentences: 2 },
      expected: 'Officials met in Washington on Tuesday. The transfer followed talks on tariffs.',
    },
    {
      name: 'with no match, the lead sentences',
      spans: [],
      options: {},
      expected: 'Officials met in Washington on Tuesday. Mexico sent 26 cartel figures to the United States. Among them was a former police chief.',
    },
    {
      name: 'respects the length budget with whole sentences, skipping one that does not fit',
      spans: [{ start: TEXT.indexOf('26'), end: TEXT.indexOf('26') + 2 }],
      options: { maxLength: 90 },
      expected: 'Mexico sent 26 cartel figures to the United States. Among them was a former police chief.',
    },
  ])('$name', ({ spans, options, expected }) => {
    expect(summarise(TEXT, 'Headline', spans, options).text).toBe(expected);
  });

  it('skips a description that only repeats the title', () => {
    expect(summarise('Mexico sends 26 to US. More detail follows here.', 'Mexico sends 26 to US', []).text).toBe('More detail follows here.');
  });

  it('splits Spanish sentences', () => {
    const text = '¿Qué pasó con los aranceles? México negocia con Estados Unidos. Nada cambió.';
    expect(summarise(text, '', [], { maxSentences: 2 }).text).toBe('¿Qué pasó con los aranceles? México negocia con Estados Unidos.');
  });

  it('cuts one overlong sentence at a word, never mid-word', () => {
    const long = `${'word '.repeat(100)}end.`;
    const summary = summarise(long, '', [], { maxLength: 50 }).text;
    expect(summary.length).toBeLessThanOrEqual(50);
    expect(summary).toMatch(/^(word )+word…$/);
  });

  it('is empty for an empty text', () => {
    expect(summarise('', 'T', [])).toEqual({ text: '', highlights: [] });
  });

  it('carries the matched spans over to where they are in the summary, for bolding', () => {
    const tariffs = TEXT.indexOf('tariffs');
    const sent = TEXT.indexOf('sent');
    const summary = summarise(TEXT, 'Headline', [
      { start: tariffs, end: tariffs + 7 },
      { start: sent, end: sent + 4 },
    ], { maxSentences: 2 });
    expect(summary.text).toBe('Mexico sent 26 cartel figures to the United States. The transfer followed talks on tariffs.');
    expect(summary.highlights.map((h) => summary.text.slice(h.start, h.end))).toEqual(['sent', 'tariffs']);
    expect(markHighlights(summary.text, summary.highlights, '**')).toBe(
      'Mexico **sent** 26 cartel figures to the United States. The transfer followed talks on **tariffs**.',
    );
  });
});

describe('truncateAtWord', () => {
  it.each([
    ['short', 10, 'short'],
    ['extradition proceedings began', 20, 'extradition…'],
    ['unbreakablewordthatislong', 10, 'unbreakab…'],
  ])('%s / %i → %s', (text, max, expected) => expect(truncateAtWord(text, max)).toBe(expected));
});

describe('summarise a long description full of matches', () => {
  // Tens of thousands of sentences and matched spans; a generous timeout, no duration asserted.
  it('chooses the sentences holding matches and bolds them', () => {
    const filler = 'Nothing happened here today. ';
    const matched = 'Tariffs rose. ';
    let text = '';
    const spans: { start: number; end: number }[] = [];
    for (let i = 0; i < 100_000; i++) {
      if (i % 2 === 1) {
        spans.push({ start: text.length, end: text.length + 7 });
        text += matched;
      } else text += filler;
    }
    const summary = summarise(text.trim(), 'Headline', spans);
    expect(markHighlights(summary.text, summary.highlights, '*')).toBe('*Tariffs* rose. *Tariffs* rose. *Tariffs* rose.');
  }, 120_000);
});
