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

/**
 * Two tables: a small one for the first 2,048 code units (Latin, Greek, Cyrillic, Hebrew, Arabic:
 * nearly every character of the feeds we read), which stays in the CPU's fastest cache, and a
 * full one for the rest of the Basic Multilingual Plane. A single 256 KB table was measured to
 * make folding up to 40% slower, depending on what else the process holds in memory.
 */
const SMALL = 0x800;
const smallTable = new Int32Array(SMALL).fill(UNKNOWN);
const largeTable = new Int32Array(0x10000).fill(UNKNOWN);
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
  const table = code < SMALL ? smallTable : largeTable;
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
 * `origin[i]` the offset in the original text it came from, `wordStarts[w]` where word w begins.
 * The matcher scans these without creating a string per word.
 */
export class FoldBuffer {
  chars = new Uint16Array(1024);
  origin = new Int32Array(1024);
  wordStarts = new Int32Array(512);
  length = 0;
  words = 0;

  private grow(needed: number): void {
    let size = this.chars.length;
    while (size < needed) size *= 2;
    const chars = new Uint16Array(size);
    chars.set(this.chars.subarray(0, this.length));
    const origin = new Int32Array(size);
    origin.set(this.origin.subarray(0, this.length));
    this.chars = chars;
    this.origin = origin;
  }

  /**
   * Folds `text` into the buffer. The hot loop of matching: one table read per code unit, typed
   * array writes, no allocation (expansions such as "ß" → "ss" take a slower path).
   */
  fill(text: string): this {
    // Each code unit yields at most a word break and one character; expansions grow on demand.
    if (this.chars.length < 2 * text.length + 2) this.grow(2 * text.length + 2);
    if (this.wordStarts.length < text.length + 1) this.wordStarts = new Int32Array(2 * text.length + 2);
    let { chars, origin } = this;
    const wordStarts = this.wordStarts;
    let length = 0;
    let words = 0;
    let inWord = false;
    let pendingBreak = false;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const folded = code < SMALL ? smallTable[code]! : largeTable[code]!;
      if (folded > 0 || folded === EXPANDS) {
        // A letter or digit (the common case), or one that folds to several letters.
        if (!inWord) {
          if (pendingBreak) {
            chars[length] = WORD_BREAK;
            origin[length] = i;
            length++;
            pendingBreak = false;
          }
          wordStarts[words++] = length;
          inWord = true;
        }
        if (folded > 0) {
          chars[length] = folded;
          origin[length] = i;
          length++;
          continue;
        }
        const expansion = expansionOf(code);
        if (chars.length < length + expansion.length + 2 * (text.length - i)) {
          this.length = length;
          this.grow(length + expansion.length + 2 * (text.length - i));
          ({ chars, origin } = this);
        }
        for (let k = 0; k < expansion.length; k++) {
          chars[length] = expansion.charCodeAt(k);
          origin[length] = i;
          length++;
        }
      } else if (folded === SEPARATOR) {
        if (inWord) pendingBreak = true;
        inWord = false;
      } else if (folded === UNKNOWN) {
        foldCode(code); // fills the table entry; read this code unit again
        i--;
      }
      // IGNORED code units (combining marks, soft hyphens) add nothing and break no word.
    }
    this.length = length;
    this.words = words;
    return this;
  }

  /** The index of the word holding the folded character at `index` (a binary search: only hits ask). */
  wordAt(index: number): number {
    let low = 0;
    let high = this.words - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.wordStarts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return low;
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
  // In slices: a very long run of letters passed as one call's arguments would overflow the
  // stack. `apply` takes the typed array as it is; a spread walked it through an iterator, three
  // times slower on the short words that are nearly all calls.
  for (let i = start; i < end; i += 4096) text += String.fromCharCode.apply(null, chars.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  return text;
}

/** Splits text into folded words, keeping each word's span in the original. */
export function tokenize(text: string): Token[] {
  return tokensOf(scratch.fill(text));
}

/** The words of a text already folded into `buffer` (see `tokenize`). */
export function tokensOf(buffer: FoldBuffer): Token[] {
  // One string for the whole folded text, a slice per word: a string built per word from the
  // buffer cost a typed-array view and an argument list each, and tokenizing 35% more time.
  const folded = charsToString(buffer.chars, 0, buffer.length);
  const tokens: Token[] = [];
  let wordStart = 0;
  for (let i = 0; i <= buffer.length; i++) {
    if (i === buffer.length || buffer.chars[i] === WORD_BREAK) {
      if (i > wordStart) {
        tokens.push({
          text: folded.slice(wordStart, i),
          start: buffer.origin[wordStart]!,
          end: buffer.originEnd(i - 1),
        });
      }
      wordStart = i + 1;
    }
  }
  return tokens;
}
