/**
 * Splits a query into tokens, each with its offset so errors can name a column.
 * Quotes may be straight or typographic ("…", “…”, „…“, «…»); the operators are upper case.
 */
import type { Field } from './ast.js';
import { FIELDS } from './ast.js';

export type Token =
  | { type: 'lparen' | 'rparen' | 'or' | 'and' | 'not' | 'minus'; start: number; end: number }
  | { type: 'near'; distance: number; start: number; end: number }
  | { type: 'field'; field: Field; start: number; end: number }
  | { type: 'word' | 'phrase'; text: string; start: number; end: number }
  | { type: 'entity'; id: string; start: number; end: number };

export class QuerySyntaxError extends Error {
  /** 1-based column, as a person counts. */
  readonly column: number;
  /** "unclosed quote at column 17"; a hint follows the column: "…at column 9, e.g. NEAR/5". */
  constructor(what: string, offset: number, hint?: string) {
    super(`${what} at column ${offset + 1}${hint ? `, ${hint}` : ''}`);
    this.name = 'QuerySyntaxError';
    this.column = offset + 1;
  }
}

const OPENING_QUOTES: Record<string, string> = { '"': '"', '“': '”', '„': '“', '«': '»', '”': '”' };
const ALL_QUOTES = new Set(['"', '“', '”', '„', '«', '»']);
const SPACE = /\s/;
/** Characters that end a bare word. */
const isBreak = (char: string) => SPACE.test(char) || char === '(' || char === ')' || ALL_QUOTES.has(char);

function readQuoted(query: string, start: number): { text: string; end: number } {
  const close = OPENING_QUOTES[query[start]!]!;
  for (let i = start + 1; i < query.length; i++) {
    const char = query[i]!;
    // A phrase opened with one kind of quote may be closed with its pair or a straight quote.
    if (char === close || char === '"' || (close === '”' && char === '“')) return { text: query.slice(start + 1, i), end: i + 1 };
  }
  throw new QuerySyntaxError('unclosed quote', start);
}

function readWord(query: string, start: number): number {
  let end = start;
  while (end < query.length && !isBreak(query[end]!)) end++;
  return end;
}

const NEAR = /^NEAR(?:\/(\S*))?$/;

function operatorOrWord(text: string, start: number, end: number): Token {
  if (text === 'OR') return { type: 'or', start, end };
  if (text === 'AND') return { type: 'and', start, end };
  if (text === 'NOT') return { type: 'not', start, end };
  const near = NEAR.exec(text);
  if (near) {
    const distance = near[1] === undefined ? Number.NaN : Number(near[1]);
    if (!Number.isInteger(distance) || !/^\d+$/.test(near[1] ?? '')) throw new QuerySyntaxError('NEAR needs a distance', start, 'e.g. NEAR/5');
    return { type: 'near', distance, start, end };
  }
  // "title:", "summary:" … prefix what follows. Any other "name:" is a mistake, except a URL
  // ("https://…"); "10:30" has no letters before the colon and stays a word.
  const field = /^([a-z]+):(.*)$/i.exec(text);
  if (field && !field[2]!.startsWith('/')) {
    const name = field[1]!.toLowerCase() as Field;
    if (FIELDS.includes(name)) return { type: 'field', field: name, start, end: start + field[1]!.length + 1 };
    throw new QuerySyntaxError(`unknown field "${field[1]}:"`, start, `fields are ${FIELDS.join(', ')}`);
  }
  return { type: 'word', text, start, end };
}

export function tokenizeQuery(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i]!;
    if (SPACE.test(char)) {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char === '(' ? 'lparen' : 'rparen', start: i, end: i + 1 });
      i++;
    } else if (char in OPENING_QUOTES) {
      const { text, end } = readQuoted(query, i);
      tokens.push({ type: 'phrase', text, start: i, end });
      i = end;
    } else if (char === '»') {
      throw new QuerySyntaxError('closing quote without an opening one', i);
    } else if (char === '-' && i + 1 < query.length && !SPACE.test(query[i + 1]!) && (i === 0 || SPACE.test(query[i - 1]!) || query[i - 1] === '(')) {
      tokens.push({ type: 'minus', start: i, end: i + 1 });
      i++;
    } else if (char === '@') {
      const end = readWord(query, i + 1);
      const id = query.slice(i + 1, end);
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(id)) throw new QuerySyntaxError('"@" must be followed by an entity id', i, 'e.g. @el_mayo');
      tokens.push({ type: 'entity', id, start: i, end });
      i = end;
    } else {
      const end = readWord(query, i);
      const token = operatorOrWord(query.slice(i, end), i, end);
      // A bare "-", "&" or "–" between words separates them, as punctuation does in the text.
      if (token.type !== 'word' || /[\p{L}\p{N}*]/u.test(token.text)) tokens.push(token);
      i = token.end;
    }
  }
  return tokens;
}
