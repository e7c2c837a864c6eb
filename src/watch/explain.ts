/**
 * "Why did this match?" in words a person reads: for each watchlist that fired, each clause and
 * the term or alias that satisfied it, the field, the offsets and the text it matched.
 */
import type { MatchInput, MatchResult, TermMatch } from './matcher.js';

/** A match as the outputs list it: no offsets (that is what explanations are for). */
export interface ListedMatch {
  watchlist: string;
  term: string;
  field: TermMatch['field'];
  entity: string | null;
}

/**
 * The matches of a result as `wirewatch match` and `poll --json` list them: each (watchlist, term
 * or alias, field) once, however often it occurs and through however many entities; the entity is
 * the first one it came through.
 */
export function listMatches(matches: readonly TermMatch[]): ListedMatch[] {
  const listed = new Map<string, ListedMatch>();
  for (const { watchlist, term, field, entity } of matches) {
    const key = `${watchlist}\u0000${field}\u0000${term}`;
    if (!listed.has(key)) listed.set(key, { watchlist, term, field, entity });
  }
  return [...listed.values()];
}

function quoted(text: string): string {
  return `"${text}"`;
}

function describeEvidence(match: TermMatch, input: MatchInput): string {
  const found = (input[match.field] ?? '').slice(match.start, match.end);
  const what =
    match.role === 'term'
      ? `${quoted(match.term)}`
      : match.role === 'alias'
        ? `alias ${quoted(match.term)} of @${match.entity}`
        : `context ${quoted(match.term)} for @${match.entity}`;
  const text = found && found !== match.term ? ` matched ${quoted(found)}` : '';
  return `${what}${text} in ${match.field} [${match.start}–${match.end}]`;
}

/** A multi-line explanation of a match result; `none` when nothing fired. */
export function explainMatch(input: MatchInput, result: MatchResult, names: ReadonlyMap<string, string> = new Map()): string {
  if (result.watchlists.length === 0) return '  no watchlist matched';
  // Grouped in one pass: by watchlist, then by clause in order of first appearance.
  const byWatchlist = new Map<string, Map<string, TermMatch[]>>();
  for (const match of result.matches) {
    let byClause = byWatchlist.get(match.watchlist);
    if (!byClause) byWatchlist.set(match.watchlist, (byClause = new Map<string, TermMatch[]>()));
    const matches = byClause.get(match.clause);
    if (matches) matches.push(match);
    else byClause.set(match.clause, [match]);
  }
  const lines: string[] = [];
  for (const id of result.watchlists) {
    const name = names.get(id);
    lines.push(`  ${id}${name ? ` (${name})` : ''}`);
    for (const [clause, matches] of byWatchlist.get(id) ?? []) {
      const shown = clause.length > 70 ? `${clause.slice(0, 67)}…` : clause;
      lines.push(`    clause ${shown}`);
      for (const match of matches) lines.push(`      ${describeEvidence(match, input)}`);
    }
  }
  return lines.join('\n');
}
