import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/watch/query/parser.js';
import type { QueryNode } from '../../src/watch/query/ast.js';

/** A compact, readable form of a tree: terms as their folded words, fields when not the default. */
function show(node: QueryNode): string {
  const fields = (f: readonly string[]) => (f.join(',') === 'title,summary' ? '' : `${f.join(',')}:`);
  switch (node.kind) {
    case 'term':
      return `${fields(node.fields)}[${node.words.join(' ')}]`;
    case 'entity':
      return `${fields(node.fields)}@${node.id}`;
    case 'not':
      return `NOT ${show(node.child)}`;
    case 'near':
      return `(${show(node.left)} NEAR/${node.distance} ${show(node.right)})`;
    default:
      return `${node.kind.toUpperCase()}(${node.children.map(show).join(', ')})`;
  }
}

function parsed(query: string): string {
  const result = parseQuery(query);
  if (!result.ok) throw new Error(`unexpected error: ${result.error.message}`);
  return show(result.query);
}

function error(query: string): string {
  const result = parseQuery(query);
  if (result.ok) throw new Error(`expected an error for ${query}`);
  return result.error.message;
}

describe('parseQuery: the language', () => {
  it.each([
    ['extradition', '[extradition]'],
    ['Extradición', '[extradicion]'],
    ['"El Mayo"', '[el mayo]'],
    ['“El Mayo”', '[el mayo]'],
    ['„La Tuta“', '[la tuta]'],
    ['«Los Zetas»', '[los zetas]'],
    ['Caro-Quintero', '[caro quintero]'],
    ['O’Brien', '[o brien]'],
    ['extradit*', '[extradit*]'],
    ['"cártel* de Sinaloa"', '[cartel* de sinaloa]'],
    ['a b', 'AND([a], [b])'],
    ['a AND b', 'AND([a], [b])'],
    ['a OR b', 'OR([a], [b])'],
    ['Mexico tariffs OR aranceles', 'AND([mexico], OR([tariffs], [aranceles]))'],
    ['(a b) OR c', 'OR(AND([a], [b]), [c])'],
    ['a -b', 'AND([a], NOT [b])'],
    ['a NOT b', 'AND([a], NOT [b])'],
    ['a NOT (b OR c)', 'AND([a], NOT OR([b], [c]))'],
    ['-b a', 'AND(NOT [b], [a])'],
    ['tariff NEAR/5 Mexico', '([tariff] NEAR/5 [mexico])'],
    ['(tariff* OR arancel*) NEAR/3 "United States"', '(OR([tariff*], [arancel*]) NEAR/3 [united states])'],
    ['title:extradit*', 'title:[extradit*]'],
    ['title:(a OR b) c', 'AND(OR(title:[a], title:[b]), [c])'],
    ['source:"Reuters" link:reuters.com', 'AND(source:[reuters], link:[reuters com])'],
    ['@el_mayo', '@el_mayo'],
    ['title:@el_mayo NEAR/10 extradit*', '(title:@el_mayo NEAR/10 [extradit*])'],
    ['10:30', '[10 30]'],
    ['https://example.org/x', '[https example org x]'],
    ['or and not', 'AND([or], [and], [not])'],
    ['NEARLY there', 'AND([nearly], [there])'],
    ['a - b', 'AND([a], [b])'],
    ['US – Mexico & Canada', 'AND([us], [mexico], [canada])'],
  ])('%s → %s', (query, tree) => {
    expect(parsed(query)).toBe(tree);
  });
});

describe('parseQuery: errors name the column and what was expected', () => {
  it.each([
    ['"tariffs on Mexico', 'unclosed quote at column 1'],
    ['extradition AND "unclosed', 'unclosed quote at column 17'],
    ['tariff NEAR Mexico', 'NEAR needs a distance at column 8, e.g. NEAR/5'],
    ['tariff NEAR/x Mexico', 'NEAR needs a distance at column 8, e.g. NEAR/5'],
    ['tariff NEAR/99 Mexico', 'NEAR/99 is too far at column 8, the most is NEAR/50'],
    ['tariff NEAR/5', 'NEAR needs a term after it at column 8'],
    ['NEAR/5 tariff', 'NEAR needs a term before it at column 1'],
    ['a (b NEAR/3 -c)', 'NEAR joins terms, phrases, @entities or (a OR b) groups at column 6'],
    ['(a b) NEAR/3 c', 'NEAR joins terms, phrases, @entities or (a OR b) groups at column 7'],
    ['a OR', 'OR needs a term after it at column 3'],
    ['OR a', 'OR needs a term before it at column 1'],
    ['a AND', 'AND needs a term after it at column 3'],
    ['a NOT', 'NOT needs a term after it at column 3'],
    ['(a b', 'missing ")" to close the "(" at column 1'],
    ['a b)', 'unexpected ")" at column 4'],
    ['()', 'empty parentheses at column 1'],
    ['', 'empty query: nothing to look for at column 1'],
    ['NOT a', 'nothing to look for: every term is negated at column 1'],
    ['-a -b', 'nothing to look for: every term is negated at column 1'],
    ['a OR -b', 'NOT cannot be an alternative of OR (it would match almost every story) at column 6'],
    ['ex*', 'a wildcard needs at least 3 letters before it at column 3, e.g. extradit*'],
    ['ex*tra', 'a wildcard goes at the end of a word at column 3, e.g. extradit*'],
    ['*', 'a wildcard needs letters before it at column 1, e.g. extradit*'],
    ['titel:foo', 'unknown field "titel:" at column 1, fields are title, summary, source, link'],
    ['title: foo', '"title:" must be followed directly by a term, a "phrase" or (…) at column 1'],
    ['@', '"@" must be followed by an entity id at column 1, e.g. @el_mayo'],
    ['"  "', 'the phrase has no letters or digits to match at column 1'],
    ['&', 'empty query: nothing to look for at column 1'],
  ])('%j → %s', (query, message) => {
    expect(error(query)).toBe(message);
  });

  it('refuses a query over the length limit, naming the limit', () => {
    expect(error('a '.repeat(1001))).toBe('the query is 2002 characters; the most is 2000 at column 2001');
  });

  it('gives the column as a 1-based number on the error', () => {
    const result = parseQuery('extradition AND "unclosed');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.column).toBe(17);
  });
});
