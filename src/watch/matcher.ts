/**
 * The first matcher: whole-word, case- and accent-folded phrase lookup. Every term is folded to
 * a word sequence; a story's title and summary are folded to words once, and each word starts a
 * lookup in a table of the terms that begin with it.
 */
import { foldText, tokenize, type Token } from './fold.js';
import type { WatchlistDefinition } from './definition.js';

export type MatchField = 'title' | 'summary';

export interface MatchInput {
  title: string;
  summary: string;
  language?: string | null;
}

export interface TermMatch {
  watchlist: string;
  /** The term as written in the watchlist. */
  term: string;
  field: MatchField;
  /** Offsets of the matched words in that field: [start, end). */
  start: number;
  end: number;
}

export interface MatchResult {
  /** Ids of the watchlists that fired, in definition order. */
  watchlists: string[];
  /** The terms that made them fire. */
  matches: TermMatch[];
}

export interface Matcher {
  match(input: MatchInput): MatchResult;
}

interface CompiledTerm {
  watchlist: number;
  term: string;
  words: string[];
  exclusion: boolean;
}

interface Hit {
  term: CompiledTerm;
  field: MatchField;
  start: number;
  end: number;
}

function findHits(tokens: Token[], byFirstWord: Map<string, CompiledTerm[]>, field: MatchField): Hit[] {
  const hits: Hit[] = [];
  tokens.forEach((token, index) => {
    for (const term of byFirstWord.get(token.text) ?? []) {
      const last = tokens[index + term.words.length - 1];
      if (!last) continue;
      if (term.words.every((word, offset) => tokens[index + offset]?.text === word)) {
        hits.push({ term, field, start: token.start, end: last.end });
      }
    }
  });
  return hits;
}

export function compileWatchlists(definitions: readonly WatchlistDefinition[]): Matcher {
  const byFirstWord = new Map<string, CompiledTerm[]>();
  const add = (watchlist: number, term: string, exclusion: boolean): void => {
    const words = foldText(term).split(' ').filter(Boolean);
    const first = words[0];
    if (!first) return;
    const list = byFirstWord.get(first) ?? [];
    list.push({ watchlist, term, words, exclusion });
    byFirstWord.set(first, list);
  };
  definitions.forEach((definition, index) => {
    for (const term of definition.terms) add(index, term, false);
    for (const term of definition.exclude ?? []) add(index, term, true);
  });

  return {
    match(input) {
      const hits = [
        ...findHits(tokenize(input.title), byFirstWord, 'title'),
        ...findHits(tokenize(input.summary), byFirstWord, 'summary'),
      ];
      const excluded = new Set(hits.filter((hit) => hit.term.exclusion).map((hit) => hit.term.watchlist));
      const result: MatchResult = { watchlists: [], matches: [] };
      definitions.forEach((definition, index) => {
        const languageOk =
          !definition.languages || !input.language || definition.languages.includes(input.language);
        const own = hits.filter((hit) => hit.term.watchlist === index && !hit.term.exclusion);
        if (!languageOk || excluded.has(index) || own.length === 0) return;
        result.watchlists.push(definition.id);
        for (const hit of own) {
          result.matches.push({ watchlist: definition.id, term: hit.term.term, field: hit.field, start: hit.start, end: hit.end });
        }
      });
      return result;
    },
  };
}
