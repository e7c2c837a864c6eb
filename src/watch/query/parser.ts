/**
 * The query parser: text → syntax tree, or an error that names the column and what was
 * expected. Pure; returns a Result instead of throwing, so callers decide how to show the error.
 *
 * Grammar, loosest binding first (OR binds tighter than the implicit AND, as in Google's syntax:
 * `Mexico tariffs OR aranceles` is Mexico AND (tariffs OR aranceles)):
 *
 *   query   := and
 *   and     := or ( ["AND"] or )*
 *   or      := near ( "OR" near )*
 *   near    := unary ( "NEAR/n" unary )*
 *   unary   := ( "NOT" | "-" ) unary | primary
 *   primary := [field ":"] ( "(" query ")" | "phrase" | word | word* | @entity )
 */
import { DEFAULT_FIELDS, positiveLeavesOf, type Field, type QueryNode, type TermNode } from './ast.js';
import { QuerySyntaxError, tokenizeQuery, type Token } from './lexer.js';
import { tokenize } from '../fold.js';
import { LIMITS } from '../limits.js';

export type ParseResult = { ok: true; query: QueryNode } | { ok: false; error: QuerySyntaxError };

/** Folds one piece of a term ("Extradit*", "Caro-Quintero") into words, keeping a trailing "*". */
function foldPiece(piece: string, offset: number): string[] {
  const star = piece.indexOf('*');
  if (star >= 0 && star !== piece.length - 1) {
    throw new QuerySyntaxError('a wildcard goes at the end of a word', offset + star, 'e.g. extradit*');
  }
  const words = tokenize(star >= 0 ? piece.slice(0, -1) : piece).map((t) => t.text);
  if (words.length === 0) {
    if (star >= 0) throw new QuerySyntaxError('a wildcard needs letters before it', offset + star, 'e.g. extradit*');
    return [];
  }
  if (star >= 0) {
    const last = words[words.length - 1]!;
    if (last.length < LIMITS.wildcardPrefix) {
      throw new QuerySyntaxError(`a wildcard needs at least ${LIMITS.wildcardPrefix} letters before it`, offset + star, 'e.g. extradit*');
    }
    words[words.length - 1] = `${last}*`;
  }
  return words;
}

function termNode(token: Extract<Token, { type: 'word' | 'phrase' }>, fields: readonly Field[]): TermNode {
  const textStart = token.type === 'phrase' ? token.start + 1 : token.start;
  const words: string[] = [];
  for (const match of token.text.matchAll(/\S+/g)) for (const word of foldPiece(match[0], textStart + match.index)) words.push(word);
  if (words.length === 0) {
    const what = token.type === 'phrase' ? 'the phrase' : `"${token.text}"`;
    throw new QuerySyntaxError(`${what} has no letters or digits to match`, token.start);
  }
  return { kind: 'term', text: token.text.trim(), words, fields, span: [token.start, token.end] };
}

class QueryParser {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token {
    return this.tokens[this.index++]!;
  }

  private startsPrimary(token: Token | undefined): boolean {
    return token !== undefined && ['lparen', 'word', 'phrase', 'entity', 'field', 'not', 'minus'].includes(token.type);
  }

  parse(): QueryNode {
    if (this.tokens.length === 0) throw new QuerySyntaxError('empty query: nothing to look for', 0);
    const node = this.parseAnd(DEFAULT_FIELDS);
    const extra = this.peek();
    if (extra) throw new QuerySyntaxError(extra.type === 'rparen' ? 'unexpected ")"' : 'unexpected text', extra.start);
    return node;
  }

  private parseAnd(fields: readonly Field[]): QueryNode {
    const children = [this.parseOr(fields)];
    for (let token = this.peek(); token && token.type !== 'rparen'; token = this.peek()) {
      if (token.type === 'and') {
        this.next();
        if (!this.startsPrimary(this.peek())) throw new QuerySyntaxError('AND needs a term after it', token.start);
      }
      children.push(this.parseOr(fields));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children, span: [children[0]!.span[0], children.at(-1)!.span[1]] };
  }

  private parseOr(fields: readonly Field[]): QueryNode {
    const children = [this.parseNear(fields)];
    while (this.peek()?.type === 'or') {
      const or = this.next();
      if (!this.startsPrimary(this.peek())) throw new QuerySyntaxError('OR needs a term after it', or.start);
      children.push(this.parseNear(fields));
    }
    for (const child of children) {
      if (children.length > 1 && child.kind === 'not') {
        throw new QuerySyntaxError('NOT cannot be an alternative of OR (it would match almost every story)', child.span[0]);
      }
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children, span: [children[0]!.span[0], children.at(-1)!.span[1]] };
  }

  private parseNear(fields: readonly Field[]): QueryNode {
    let left = this.parseUnary(fields);
    while (this.peek()?.type === 'near') {
      const near = this.next() as Extract<Token, { type: 'near' }>;
      if (near.distance > LIMITS.nearDistance) {
        throw new QuerySyntaxError(`NEAR/${near.distance} is too far`, near.start, `the most is NEAR/${LIMITS.nearDistance}`);
      }
      if (!this.startsPrimary(this.peek())) throw new QuerySyntaxError('NEAR needs a term after it', near.start);
      const right = this.parseUnary(fields);
      for (const side of [left, right]) {
        if (!isProximityOperand(side)) {
          throw new QuerySyntaxError('NEAR joins terms, phrases, @entities or (a OR b) groups', near.start);
        }
      }
      left = { kind: 'near', left, right, distance: near.distance, span: [left.span[0], right.span[1]] };
    }
    return left;
  }

  private parseUnary(fields: readonly Field[]): QueryNode {
    const token = this.peek();
    if (token?.type === 'not' || token?.type === 'minus') {
      this.next();
      if (!this.startsPrimary(this.peek())) throw new QuerySyntaxError(`${token.type === 'not' ? 'NOT' : '"-"'} needs a term after it`, token.start);
      const child = this.parseUnary(fields);
      return { kind: 'not', child, span: [token.start, child.span[1]] };
    }
    return this.parsePrimary(fields);
  }

  private parsePrimary(fields: readonly Field[]): QueryNode {
    const token = this.peek();
    if (!token) throw new QuerySyntaxError('the query ends where a term was expected', this.length);
    switch (token.type) {
      case 'field': {
        this.next();
        const following = this.peek();
        if (!following || !['lparen', 'word', 'phrase', 'entity'].includes(following.type) || following.start !== token.end) {
          throw new QuerySyntaxError(`"${token.field}:" must be followed directly by a term, a "phrase" or (…)`, token.start);
        }
        return this.parsePrimary([token.field]);
      }
      case 'lparen': {
        this.next();
        if (this.peek()?.type === 'rparen') throw new QuerySyntaxError('empty parentheses', token.start);
        const inner = this.parseAnd(fields);
        if (this.peek()?.type !== 'rparen') throw new QuerySyntaxError('missing ")" to close the "("', token.start);
        const close = this.next();
        return { ...inner, span: [token.start, close.end] };
      }
      case 'word':
      case 'phrase':
        this.next();
        return termNode(token, fields);
      case 'entity':
        this.next();
        return { kind: 'entity', id: token.id, fields, span: [token.start, token.end] };
      case 'rparen':
        throw new QuerySyntaxError('unexpected ")"', token.start);
      case 'near':
        throw new QuerySyntaxError('NEAR needs a term before it', token.start);
      default:
        throw new QuerySyntaxError(`${token.type.toUpperCase()} needs a term before it`, token.start);
    }
  }
}

function isProximityOperand(node: QueryNode): boolean {
  if (node.kind === 'term' || node.kind === 'entity') return true;
  return node.kind === 'or' && node.children.every(isProximityOperand);
}

export function parseQuery(query: string): ParseResult {
  try {
    if (query.length > LIMITS.queryLength) {
      throw new QuerySyntaxError(`the query is ${query.length} characters; the most is ${LIMITS.queryLength}`, LIMITS.queryLength);
    }
    const node = new QueryParser(tokenizeQuery(query), query.length).parse();
    if (positiveLeavesOf(node).length === 0) throw new QuerySyntaxError('nothing to look for: every term is negated', 0);
    return { ok: true, query: node };
  } catch (error) {
    if (error instanceof QuerySyntaxError) return { ok: false, error };
    throw error;
  }
}
