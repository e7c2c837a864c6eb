/** The text-safety helpers used wherever outside text leaves the program. */
import { describe, expect, it } from 'vitest';
import { escapeControlsInJson, printableExcerpt, visibleControlsInJson, withoutControls } from '../../src/safe-text.js';

const CONTROL_OR_BIDI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const SAMPLES = [
  'plain text',
  'ESC \u001b[2J and BEL \u0007',
  'C1 CSI \u009b31m, OSC \u009d8;;x\u009c, DEL \u007f',
  'bidi \u202egpj.exe \u2067x\u2069',
  'a literal backslash-u: \\u001b, and \\\\u001b',
  'tab\tand\nnewline, CR\r, form feed\f, backspace\b',
  'quotes " and backslashes \\',
];

describe('withoutControls', () => {
  it.each([
    ['a\u001b[2Jb', 'a[2Jb'],
    ['tab\tnewline\n kept', 'tab\tnewline\n kept'],
    ['C1\u0085\u009b gone', 'C1 gone'],
    ['rlo\u202e lre\u202a isolates\u2066\u2069 gone', 'rlo lre isolates gone'],
    ['LRM\u200e and RLM\u200f kept', 'LRM\u200e and RLM\u200f kept'],
  ])('%j → %j', (input, expected) => {
    expect(withoutControls(input)).toBe(expected);
  });
});

describe('printableExcerpt', () => {
  it('is one bounded line with no controls and no replacement characters', () => {
    expect(printableExcerpt('a\u001b\nb\u0000\ufffd c', 40)).toBe('a b? c');
    expect(printableExcerpt('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});

describe('escapeControlsInJson', () => {
  it.each(SAMPLES)('keeps the value of %j and leaves no control raw', (sample) => {
    const json = escapeControlsInJson(JSON.stringify({ sample }));
    expect(json).not.toMatch(CONTROL_OR_BIDI);
    expect(JSON.parse(json)).toEqual({ sample });
  });
});

describe('visibleControlsInJson', () => {
  it.each(SAMPLES)('decodes %j to text with no control but tab and newline', (sample) => {
    const decoded = (JSON.parse(visibleControlsInJson(JSON.stringify({ sample }))) as { sample: string }).sample;
    expect(decoded).not.toMatch(CONTROL_OR_BIDI);
    if (!CONTROL_OR_BIDI.test(sample)) expect(decoded).toBe(sample);
  });

  it('shows an escape as its text', () => {
    expect(JSON.parse(visibleControlsInJson(JSON.stringify('a\u001bb\u009bc')))).toBe('a\\u001bb\\u009bc');
  });
});
