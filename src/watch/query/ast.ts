/**
 * The query language's syntax tree. Pure data: the parser builds it, the compiler turns its
 * leaves into automaton patterns, the evaluator walks it per story.
 */

export const FIELDS = ['title', 'summary', 'source', 'link'] as const;
export type Field = (typeof FIELDS)[number];
/** Where a leaf with no field prefix looks. */
export const DEFAULT_FIELDS: readonly Field[] = ['title', 'summary'];

/** Offsets [start, end) in the query text, for errors and explanations. */
export type SourceSpan = readonly [number, number];

export interface TermNode {
  kind: 'term';
  /** As written, without quotes: what explanations show. */
  text: string;
  /** Folded words; a word ending in "*" is a prefix (suffix wildcard). */
  words: string[];
  fields: readonly Field[];
  span: SourceSpan;
}

export interface EntityNode {
  kind: 'entity';
  id: string;
  fields: readonly Field[];
  span: SourceSpan;
}

export interface AndNode {
  kind: 'and';
  children: QueryNode[];
  span: SourceSpan;
}

export interface OrNode {
  kind: 'or';
  children: QueryNode[];
  span: SourceSpan;
}

export interface NotNode {
  kind: 'not';
  child: QueryNode;
  span: SourceSpan;
}

export interface NearNode {
  kind: 'near';
  left: QueryNode;
  right: QueryNode;
  /** At most this many words between the two sides, in either order. */
  distance: number;
  span: SourceSpan;
}

export type QueryNode = TermNode | EntityNode | AndNode | OrNode | NotNode | NearNode;

/** Every term and entity reference in the tree, in reading order. */
export function leavesOf(node: QueryNode): (TermNode | EntityNode)[] {
  switch (node.kind) {
    case 'term':
    case 'entity':
      return [node];
    case 'not':
      return leavesOf(node.child);
    case 'near':
      return [...leavesOf(node.left), ...leavesOf(node.right)];
    default:
      return node.children.flatMap(leavesOf);
  }
}

/** Leaves that can make the query true (not under a NOT): the ones that nominate a candidate. */
export function positiveLeavesOf(node: QueryNode): (TermNode | EntityNode)[] {
  switch (node.kind) {
    case 'term':
    case 'entity':
      return [node];
    case 'not':
      return [];
    case 'near':
      return [...positiveLeavesOf(node.left), ...positiveLeavesOf(node.right)];
    default:
      return node.children.flatMap(positiveLeavesOf);
  }
}
