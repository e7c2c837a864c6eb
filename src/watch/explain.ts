/**
 * "Why did this match?" in words a person reads: for each watchlist that fired, each clause and
 * the term or alias that satisfied it, the field, the offsets and the text it matched.
 */
import type { MatchInput, MatchResult, TermMatch } from './matcher.js';

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
  const lines: string[] = [];
  for (const id of result.watchlists) {
    const name = names.get(id);
    lines.push(`  ${id}${name ? ` (${name})` : ''}`);
    const byClause = new Map<string, TermMatch[]>();
    for (const match of result.matches.filter((m) => m.watchlist === id)) {
      byClause.set(match.clause, [...(byClause.get(match.clause) ?? []), match]);
    }
    for (const [clause, matches] of byClause) {
      const shown = clause.length > 70 ? `${clause.slice(0, 67)}…` : clause;
      lines.push(`    clause ${shown}`);
      for (const match of matches) lines.push(`      ${describeEvidence(match, input)}`);
    }
  }
  return lines.join('\n');
}
