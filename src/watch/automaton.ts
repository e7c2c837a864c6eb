/**
 * All the patterns of all the watchlists in one automaton over folded text: a trie of folded
 * characters with a word-break edge between words, walked from every word start of a story in a
 * single pass. A hit is reported only on whole words; a trailing "*" extends a word to its end.
 *
 * Why not full Aho–Corasick: every match must begin at a word start, so failure links would only
 * find matches the per-word-start walk already finds; without them the automaton stays a plain
 * trie that accepts new patterns at any time (incremental recompiles) and walks most words only a
 * character or two deep. See docs/decisions/005-matcher.md.
 *
 * Layout, for speed: the root's transitions are a dense table by character; a node with one
 * child (most nodes below the first two levels) keeps it in two typed arrays; only nodes with
 * several children use a Map. A flag byte per node says whether anything ends there.
 */
import { FoldBuffer, WORD_BREAK } from './fold.js';

/**
 * Where a pattern matched: offsets into the original text, the indexes of its first and last
 * word, and the field the caller scanned the text as, so a caller that needs to know which text a
 * hit came from does not copy every hit to say so.
 */
export interface PatternHit<F extends string = string> {
  pattern: number;
  start: number;
  end: number;
  firstWord: number;
  lastWord: number;
  field: F;
}

const NONE = -1;
/** First characters below this have a dense root entry (small enough to stay in cache). */
const ROOT_DENSE = 0x800;
/** childChar value of a node whose children live in a Map. */
const MANY = -2;
const ENDS = 1;
const PREFIX_ENDS = 2;
const AFTER_PREFIX = 4;

export class PatternAutomaton {
  /** Transitions out of the root (node 0) by folded first character: dense below ROOT_DENSE, a Map above. */
  private readonly root = new Int32Array(ROOT_DENSE).fill(NONE);
  private readonly rootBeyond = new Map<number, number>();
  private nodes = 1;
  private childChar = new Int32Array(1024).fill(NONE);
  private childNode = new Int32Array(1024);
  private flags = new Uint8Array(1024);
  private afterPrefix = new Int32Array(1024).fill(NONE);
  private readonly children: (Map<number, number> | undefined)[] = [];
  /** Patterns that end at a node, if the text's word ends there too. */
  private readonly ends: (number[] | undefined)[] = [];
  /** Patterns whose last word is a prefix ("extradit*") ending at a node. */
  private readonly prefixEnds: (number[] | undefined)[] = [];
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly buffer = new FoldBuffer();
  /** The scan under way: its folded text, its field, and the index of the word a match starts at. */
  private current = this.buffer;
  private field = '';
  private firstWord = 0;

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
      if (prefix && last) {
        (this.prefixEnds[node] ??= []).push(id);
        this.flags[node]! |= PREFIX_ENDS;
      } else if (prefix) {
        if (this.afterPrefix[node] === NONE) this.afterPrefix[node] = this.newNode();
        this.flags[node]! |= AFTER_PREFIX;
        node = this.afterPrefix[node]!;
      } else if (last) {
        (this.ends[node] ??= []).push(id);
        this.flags[node]! |= ENDS;
      }
    });
    return id;
  }

  private newNode(): number {
    if (this.nodes === this.childChar.length) {
      const size = this.nodes * 2;
      const grow = (old: Int32Array<ArrayBuffer>, fill: number): Int32Array<ArrayBuffer> => {
        const next = new Int32Array(size).fill(fill);
        next.set(old);
        return next;
      };
      this.childChar = grow(this.childChar, NONE);
      this.childNode = grow(this.childNode, 0);
      this.afterPrefix = grow(this.afterPrefix, NONE);
      const flags = new Uint8Array(size);
      flags.set(this.flags);
      this.flags = flags;
    }
    return this.nodes++;
  }

  private rootStep(char: number): number {
    if (char >= ROOT_DENSE) {
      let target = this.rootBeyond.get(char);
      if (target === undefined) this.rootBeyond.set(char, (target = this.newNode()));
      return target;
    }
    if (this.root[char] === NONE) this.root[char] = this.newNode();
    return this.root[char]!;
  }

  private step(node: number, char: number): number {
    if (node === 0) return this.rootStep(char);
    const only = this.childChar[node]!;
    if (only === char) return this.childNode[node]!;
    if (only === NONE) {
      const target = this.newNode();
      this.childChar[node] = char;
      this.childNode[node] = target;
      return target;
    }
    let map = this.children[node];
    if (only !== MANY) {
      map = new Map([[only, this.childNode[node]!]]);
      this.children[node] = map;
      this.childChar[node] = MANY;
    }
    let target = map!.get(char);
    if (target === undefined) {
      target = this.newNode();
      map!.set(char, target);
    }
    return target;
  }

  /** Every whole-word occurrence of every pattern in `text`, in order of start, each marked with `field`. */
  scan<F extends string = ''>(text: string, field: F = '' as F): PatternHit<F>[] {
    return this.scanFolded(this.buffer.fill(text), field);
  }

  /**
   * `scan` of a text already folded into `folded`, for a caller that scans one text with several
   * automata (story grouping: the entities' and the lexicon's). Offsets are into that text.
   */
  scanFolded<F extends string = ''>(folded: FoldBuffer, field: F = '' as F): PatternHit<F>[] {
    const hits: PatternHit<F>[] = [];
    this.current = folded;
    this.field = field;
    const { chars, wordStarts, words } = folded;
    const root = this.root;
    // Every match begins at a word start: the buffer lists them, so no other offset is looked at.
    for (let word = 0; word < words; word++) {
      const start = wordStarts[word]!;
      const first = chars[start]!;
      const node = first < ROOT_DENSE ? root[first]! : (this.rootBeyond.get(first) ?? NONE);
      if (node === NONE) continue;
      this.firstWord = word;
      this.walk(node, start, start + 1, hits);
    }
    return hits;
  }

  private wordEnd(from: number): number {
    const { chars, length } = this.current;
    let end = from;
    while (end < length && chars[end] !== WORD_BREAK) end++;
    return end;
  }

  private emit(patterns: number[], start: number, end: number, hits: PatternHit[]): void {
    const buffer = this.current;
    for (const pattern of patterns) {
      hits.push({
        pattern,
        start: buffer.origin[start]!,
        end: buffer.originEnd(end - 1),
        firstWord: this.firstWord,
        lastWord: buffer.wordAt(end - 1),
        field: this.field,
      });
    }
  }

  /** Follows the trie from `node`, having matched chars [start, at); reports every pattern completed on a word end. */
  private walk(node: number, start: number, at: number, hits: PatternHit[]): void {
    const { chars, length } = this.current;
    const { childChar, childNode, flags } = this;
    for (let i = at; ; i++) {
      const flag = flags[node]!;
      if (flag !== 0) this.completions(node, flag, start, i, hits);
      if (i === length) return;
      const char = chars[i]!;
      const only = childChar[node]!;
      if (only === char) node = childNode[node]!;
      else if (only === MANY) {
        const target = this.children[node]!.get(char);
        if (target === undefined) return;
        node = target;
      } else return;
    }
  }

  private completions(node: number, flag: number, start: number, at: number, hits: PatternHit[]): void {
    const { chars, length } = this.current;
    if (flag & ENDS && (at === length || chars[at] === WORD_BREAK)) this.emit(this.ends[node]!, start, at, hits);
    if (flag & PREFIX_ENDS) this.emit(this.prefixEnds[node]!, start, this.wordEnd(at), hits);
    if (flag & AFTER_PREFIX) this.walk(this.afterPrefix[node]!, start, this.wordEnd(at), hits);
  }
}
