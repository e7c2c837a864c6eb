/**
 * All the patterns of all the watchlists in one automaton over folded text: a trie of folded
 * characters with a word-break edge between words, walked from every word start of a story in a
 * single pass. A hit is reported only on whole words; a trailing "*" extends a word to its end.
 *
 * Why not full Aho–Corasick: every match must begin at a word start, so failure links would only
 * find matches the per-word-start walk already finds; without them the automaton stays a plain
 * trie that accepts new patterns at any time (incremental recompiles) and walks most words only a
 * character or two deep. See docs/decisions/005-matcher.md.
 */
import { FoldBuffer, WORD_BREAK } from './fold.js';

/** Where a pattern matched: offsets into the original text, and the indexes of its first and last word. */
export interface PatternHit {
  pattern: number;
  start: number;
  end: number;
  firstWord: number;
  lastWord: number;
}

const NONE = -1;

export class PatternAutomaton {
  /** Dense transitions out of the root, by folded first character. */
  private readonly root = new Int32Array(0x10000).fill(NONE);
  /** Transitions of every other node (node 0 is the root and uses `root`). */
  private readonly next: (Map<number, number> | undefined)[] = [undefined];
  /** Patterns that end at a node, if the text's word ends there too. */
  private readonly ends: (number[] | undefined)[] = [undefined];
  /** Patterns whose last word is a prefix ("extradit*") ending at a node. */
  private readonly prefixEnds: (number[] | undefined)[] = [undefined];
  /** For a prefix word inside a phrase ("cártel* de sinaloa"): where matching resumes after the word's end. */
  private readonly afterPrefix: number[] = [NONE];
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly buffer = new FoldBuffer();

  /** Number of distinct patterns. */
  get size(): number {
    return this.keys.length;
  }

  /** The canonical key of a pattern: folded words, "*" on prefix words ("el mayo", "extradit*"). */
  static keyOf(words: readonly string[]): string {
    return words.join(' ');
  }

  keyOfPattern(pattern: number): string {
    return this.keys[pattern]!;
  }

  /** Adds a pattern (folded words, prefix words ending in "*"), returning its id; the same words give the same id. */
  add(words: readonly string[]): number {
    const key = PatternAutomaton.keyOf(words);
    const existing = this.ids.get(key);
    if (existing !== undefined) return existing;
    const id = this.keys.length;
    this.ids.set(key, id);
    this.keys.push(key);
    let node = 0;
    words.forEach((word, index) => {
      const prefix = word.endsWith('*');
      const letters = prefix ? word.slice(0, -1) : word;
      if (index > 0) node = this.step(node, WORD_BREAK);
      for (let i = 0; i < letters.length; i++) node = this.step(node, letters.charCodeAt(i));
      const last = index === words.length - 1;
      if (prefix && last) (this.prefixEnds[node] ??= []).push(id);
      else if (prefix) node = this.afterPrefix[node] === NONE ? (this.afterPrefix[node] = this.newNode()) : this.afterPrefix[node]!;
      else if (last) (this.ends[node] ??= []).push(id);
    });
    return id;
  }

  private newNode(): number {
    this.next.push(undefined);
    this.ends.push(undefined);
    this.prefixEnds.push(undefined);
    this.afterPrefix.push(NONE);
    return this.next.length - 1;
  }

  private step(node: number, char: number): number {
    if (node === 0) {
      if (this.root[char] === NONE) this.root[char] = this.newNode();
      return this.root[char]!;
    }
    const transitions = (this.next[node] ??= new Map());
    let target = transitions.get(char);
    if (target === undefined) {
      target = this.newNode();
      transitions.set(char, target);
    }
    return target;
  }

  /** Every whole-word occurrence of every pattern in `text`, in order of start. */
  scan(text: string): PatternHit[] {
    const hits: PatternHit[] = [];
    const buffer = this.buffer.fill(text);
    const chars = buffer.chars;
    for (let start = 0; start < buffer.length; start++) {
      if (start > 0 && chars[start - 1] !== WORD_BREAK) continue;
      const node = this.root[chars[start]!]!;
      if (node !== NONE) this.walk(node, start, start + 1, hits);
    }
    return hits;
  }

  private wordEnd(from: number): number {
    const { chars, length } = this.buffer;
    let end = from;
    while (end < length && chars[end] !== WORD_BREAK) end++;
    return end;
  }

  private emit(patterns: number[], start: number, end: number, hits: PatternHit[]): void {
    const { origin, wordIndex } = this.buffer;
    for (const pattern of patterns) {
      hits.push({
        pattern,
        start: origin[start]!,
        end: this.buffer.originEnd(end - 1),
        firstWord: wordIndex[start]!,
        lastWord: wordIndex[end - 1]!,
      });
    }
  }

  /** Follows the trie from `node`, having matched chars [start, at); reports every pattern completed on a word end. */
  private walk(node: number, start: number, at: number, hits: PatternHit[]): void {
    const { chars, length } = this.buffer;
    for (let i = at; ; i++) {
      const ends = this.ends[node];
      if (ends !== undefined && (i === length || chars[i] === WORD_BREAK)) this.emit(ends, start, i, hits);
      const prefixEnds = this.prefixEnds[node];
      if (prefixEnds !== undefined) this.emit(prefixEnds, start, this.wordEnd(i), hits);
      const resume = this.afterPrefix[node]!;
      if (resume !== NONE) this.walk(resume, start, this.wordEnd(i), hits);
      if (i === length) return;
      const target = this.next[node]?.get(chars[i]!);
      if (target === undefined) return;
      node = target;
    }
  }
}
