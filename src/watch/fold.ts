/**
 * Case and accent folding, one UTF-16 code unit at a time, through a lazily filled table:
 * NFKD, combining marks removed, lower-cased, so "EXTRADICIÓN", "extradición" and "extradicion"
 * are the same word. Every character that is not a letter or digit separates words, which
 * makes hyphen/space/apostrophe variants alike ("Caro-Quintero" = "Caro Quintero",
 * "O’Brien" = "O'Brien").
 *
 * The per-character table (instead of `text.normalize('NFKD')` per story) lets the matcher fold
 * and scan in one pass while keeping offsets into the original text for explanations.
 */

/** The code unit separates words. */
export const SEPARATOR = 0;
/** The code unit vanishes (a stray combining mark, soft hyphen, zero-width joiner). */
export const IGNORED = -1;
/** The code unit folds to more than one character; see `expansionOf`. */
export const EXPANDS = -2;
const UNKNOWN = -3;

/** Letters NFKD leaves alone but readers treat as their base letter. */
const SPECIAL: Record<string, string> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', đ: 'd', Đ: 'd', ł: 'l', Ł: 'l',
  ı: 'i', þ: 'th', Þ: 'th', ð: 'd', Ð: 'd', ħ: 'h', Ħ: 'h',
};

const table = new Int32Array(0x10000).fill(UNKNOWN);
const expansions = new Map<number, string>();

function computeFold(code: number): number {
  const char = String.fromCharCode(code);
  if (/[\p{M}\p{Cf}]/u.test(char)) return IGNORED;
  if (!/[\p{L}\p{N}]/u.test(char)) return SEPARATOR;
  const folded = (SPECIAL[char] ?? char.normalize('NFKD').replace(/[\p{M}\p{Cf}]/gu, '')).toLowerCase();
  // Compatibility forms such as "ﬁ" or "①" may expand to several characters or to non-letters.
  const cleaned = folded.replace(/[^\p{L}\p{N}]/gu, '');
  if (cleaned.length === 0) return char.toLowerCase().charCodeAt(0);
  if (cleaned.length === 1) return cleaned.charCodeAt(0);
  expansions.set(code, cleaned);
  return EXPANDS;
}

/** The folded code unit for `code`, or SEPARATOR / IGNORED / EXPANDS. */
export function foldCode(code: number): number {
  let folded = table[code]!;
  if (folded === UNKNOWN) {
    folded = computeFold(code);
    table[code] = folded;
  }
  return folded;
}

export function expansionOf(code: number): string {
  return expansions.get(code) ?? '';
}

export interface Token {
  /** The folded word. */
  text: string;
  /** Offsets of the word in the original text: [start, end). */
  start: number;
  end: number;
}

/** Splits text into folded words, keeping each word's span in the original. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let start = -1;
  let lastWordChar = -1;
  for (let i = 0; i < text.length; i++) {
    const folded = foldCode(text.charCodeAt(i));
    if (folded === IGNORED) continue;
    if (folded === SEPARATOR) {
      if (start >= 0) tokens.push({ text: word, start, end: lastWordChar + 1 });
      word = '';
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    word += folded === EXPANDS ? expansionOf(text.charCodeAt(i)) : String.fromCharCode(folded);
    lastWordChar = i;
  }
  if (start >= 0) tokens.push({ text: word, start, end: lastWordChar + 1 });
  return tokens;
}

/** The folded words of `text` joined by single spaces: the canonical form of a term. */
export function foldText(text: string): string {
  return tokenize(text)
    .map((token) => token.text)
    .join(' ');
}
