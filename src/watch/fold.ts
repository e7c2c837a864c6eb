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

/** The code unit written between words in a FoldBuffer. */
export const WORD_BREAK = 0x20;

/**
 * A text folded into words, held in typed arrays that are reused from one text to the next:
 * `chars[i]` is a folded code unit (single WORD_BREAKs between words, none at either end),
 * `origin[i]` the offset in the original text it came from, `wordIndex[i]` which word it is in.
 * The matcher scans these without creating a string per word.
 */
export class FoldBuffer {
  chars = new Uint16Array(1024);
  origin = new Int32Array(1024);
  wordIndex = new Int32Array(1024);
  length = 0;
  words = 0;

  private grow(needed: number): void {
    let size = this.chars.length;
    while (size < needed) size *= 2;
    const chars = new Uint16Array(size);
    chars.set(this.chars.subarray(0, this.length));
    const origin = new Int32Array(size);
    origin.set(this.origin.subarray(0, this.length));
    const wordIndex = new Int32Array(size);
    wordIndex.set(this.wordIndex.subarray(0, this.length));
    this.chars = chars;
    this.origin = origin;
    this.wordIndex = wordIndex;
  }

  private push(char: number, origin: number): void {
    if (this.length === this.chars.length) this.grow(this.length + 1);
    this.chars[this.length] = char;
    this.origin[this.length] = origin;
    this.wordIndex[this.length] = this.words - 1;
    this.length++;
  }

  fill(text: string): this {
    this.length = 0;
    this.words = 0;
    let inWord = false;
    let pendingBreak = false;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let folded = table[code]!;
      if (folded === UNKNOWN) folded = foldCode(code);
      if (folded === IGNORED) continue;
      if (folded === SEPARATOR) {
        if (inWord) pendingBreak = true;
        inWord = false;
        continue;
      }
      if (!inWord) {
        if (pendingBreak) {
          this.push(WORD_BREAK, i);
          pendingBreak = false;
        }
        this.words++;
        inWord = true;
      }
      if (folded === EXPANDS) {
        const expansion = expansionOf(code);
        for (let k = 0; k < expansion.length; k++) this.push(expansion.charCodeAt(k), i);
      } else {
        this.push(folded, i);
      }
    }
    return this;
  }

  /** End offset (exclusive) in the original text of the folded character at `index`. */
  originEnd(index: number): number {
    return this.origin[index]! + 1;
  }
}

export interface Token {
  /** The folded word. */
  text: string;
  /** Offsets of the word in the original text: [start, end). */
  start: number;
  end: number;
}

const scratch = new FoldBuffer();

function charsToString(chars: Uint16Array, start: number, end: number): string {
  let text = '';
  // In slices: spreading a very long run of letters into one call would overflow the stack.
  for (let i = start; i < end; i += 4096) text += String.fromCharCode(...chars.subarray(i, Math.min(end, i + 4096)));
  return text;
}

/** Splits text into folded words, keeping each word's span in the original. */
export function tokenize(text: string): Token[] {
  const buffer = scratch.fill(text);
  const tokens: Token[] = [];
  let wordStart = 0;
  for (let i = 0; i <= buffer.length; i++) {
    if (i === buffer.length || buffer.chars[i] === WORD_BREAK) {
      if (i > wordStart) {
        tokens.push({
          text: charsToString(buffer.chars, wordStart, i),
          start: buffer.origin[wordStart]!,
          end: buffer.originEnd(i - 1),
        });
      }
      wordStart = i + 1;
    }
  }
  return tokens;
}

/** The folded words of `text` joined by single spaces: the canonical form of a term. */
export function foldText(text: string): string {
  return tokenize(text)
    .map((token) => token.text)
    .join(' ');
}
