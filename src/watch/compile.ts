/**
 * Watchlist definitions → compiled watchlists: every term and alias becomes a pattern of the
 * shared automaton, every query a tree whose leaves point at patterns. Compiling one watchlist
 * touches nothing else, which is what lets the matcher recompile incrementally.
 */
import type { PatternAutomaton } from './automaton.js';
import { DEFAULT_FIELDS, type Field, type QueryNode } from './query/ast.js';
import { aliasTerm, exclusionsOf, parsedQuery, type EntityDefinition, type WatchlistDefinition } from './definition.js';

export interface CompiledTerm {
  kind: 'term';
  pattern: number;
  fields: readonly Field[];
  /** As written, for explanations. */
  text: string;
  /** The top-level clause of the query this leaf belongs to, as written. */
  clause: string;
}

export interface CompiledEntityRef {
  kind: 'entity';
  entity: CompiledEntity;
  fields: readonly Field[];
  clause: string;
}

export type CompiledNode =
  | CompiledTerm
  | CompiledEntityRef
  | { kind: 'and' | 'or'; children: CompiledNode[] }
  | { kind: 'not'; child: CompiledNode }
  | { kind: 'near'; left: CompiledNode; right: CompiledNode; distance: number };

export interface CompiledAlias {
  pattern: number;
  text: string;
}

export interface CompiledEntity {
  id: string;
  name: string;
  aliases: CompiledAlias[];
  ambiguousAliases: CompiledAlias[];
  context: CompiledNode | null;
  exclude: CompiledNode | null;
}

export interface CompiledWatchlist {
  definition: WatchlistDefinition;
  /** The query, the terms list and the entities list, ORed; null when the watchlist has none of them. */
  positive: CompiledNode;
  exclude: CompiledNode | null;
  /** Patterns whose hit makes this watchlist worth evaluating. */
  triggers: Set<number>;
}

export type EntityLookup = (id: string) => CompiledEntity | undefined;

function clauseTexts(query: string, node: QueryNode): (leafStart: number) => string {
  const clauses = node.kind === 'and' ? node.children : [node];
  return (leafStart) => {
    const clause = clauses.find((c) => c.span[0] <= leafStart && leafStart < c.span[1]) ?? node;
    return query.slice(clause.span[0], clause.span[1]);
  };
}

function compileNode(
  node: QueryNode,
  automaton: PatternAutomaton,
  entities: EntityLookup,
  clauseOf: (start: number) => string,
): CompiledNode {
  switch (node.kind) {
    case 'term':
      return { kind: 'term', pattern: automaton.add(node.words), fields: node.fields, text: node.text, clause: clauseOf(node.span[0]) };
    case 'entity': {
      const entity = entities(node.id);
      // The config loader reports unknown references; one that slips through matches nothing.
      if (!entity) return { kind: 'or', children: [] };
      return { kind: 'entity', entity, fields: node.fields, clause: clauseOf(node.span[0]) };
    }
    case 'not':
      return { kind: 'not', child: compileNode(node.child, automaton, entities, clauseOf) };
    case 'near':
      return {
        kind: 'near',
        left: compileNode(node.left, automaton, entities, clauseOf),
        right: compileNode(node.right, automaton, entities, clauseOf),
        distance: node.distance,
      };
    default:
      return { kind: node.kind, children: node.children.map((child) => compileNode(child, automaton, entities, clauseOf)) };
  }
}

export function compileQuery(query: string, automaton: PatternAutomaton, entities: EntityLookup): CompiledNode {
  const node = parsedQuery(query);
  return compileNode(node, automaton, entities, clauseTexts(query, node));
}

export function compileEntity(definition: EntityDefinition, automaton: PatternAutomaton, entities: EntityLookup): CompiledEntity {
  const alias = (text: string): CompiledAlias => ({ pattern: automaton.add(aliasTerm(text).words), text });
  return {
    id: definition.id,
    name: definition.name,
    aliases: definition.aliases.map(alias),
    ambiguousAliases: definition.ambiguous_aliases.map(alias),
    context: definition.context ? compileQuery(definition.context, automaton, entities) : null,
    exclude: definition.exclude ? compileQuery(definition.exclude, automaton, entities) : null,
  };
}

/**
 * Compiles a set of entities that may name each other in any order: an entity is compiled when
 * first asked for, so `@b` in a's context finds b even when b is defined after a. Ids not in the
 * set go to `outer` (an inline entity may name the library). A cycle — refused by the config
 * loader — leaves the reference matching nothing rather than recursing forever.
 */
export function compileEntities(
  definitions: readonly EntityDefinition[],
  automaton: PatternAutomaton,
  outer: EntityLookup,
): Map<string, CompiledEntity> {
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const compiled = new Map<string, CompiledEntity>();
  const compiling = new Set<string>();
  const lookup: EntityLookup = (id) => {
    const done = compiled.get(id);
    if (done) return done;
    const definition = byId.get(id);
    if (!definition) return outer(id);
    if (compiling.has(id)) return undefined;
    compiling.add(id);
    const entity = compileEntity(definition, automaton, lookup);
    compiling.delete(id);
    compiled.set(id, entity);
    return entity;
  };
  for (const definition of definitions) lookup(definition.id);
  return compiled;
}

/** The leaves of a compiled tree (terms and entity references), with or without those under a NOT. */
export function compiledLeaves(node: CompiledNode, throughNot: boolean): (CompiledTerm | CompiledEntityRef)[] {
  switch (node.kind) {
    case 'term':
    case 'entity':
      return [node];
    case 'not':
      return throughNot ? compiledLeaves(node.child, throughNot) : [];
    case 'near':
      return [...compiledLeaves(node.left, throughNot), ...compiledLeaves(node.right, throughNot)];
    default:
      return node.children.flatMap((child) => compiledLeaves(child, throughNot));
  }
}

/** Patterns that can make a node true, entities' aliases included. */
function triggersOf(node: CompiledNode, into: Set<number>): Set<number> {
  for (const leaf of compiledLeaves(node, false)) {
    if (leaf.kind === 'term') into.add(leaf.pattern);
    else for (const alias of [...leaf.entity.aliases, ...leaf.entity.ambiguousAliases]) into.add(alias.pattern);
  }
  return into;
}

export function compileWatchlist(
  definition: WatchlistDefinition,
  automaton: PatternAutomaton,
  library: EntityLookup,
): CompiledWatchlist {
  // Inline entities are visible to this watchlist's own queries, ahead of the shared library.
  const inlineDefinitions = (definition.entities ?? []).filter((entity): entity is EntityDefinition => typeof entity !== 'string');
  const inline = compileEntities(inlineDefinitions, automaton, library);
  const lookup: EntityLookup = (id) => inline.get(id) ?? library(id);
  const alternatives: CompiledNode[] = [];
  if (definition.query) alternatives.push(compileQuery(definition.query, automaton, lookup));
  for (const text of definition.terms ?? []) {
    alternatives.push({ kind: 'term', pattern: automaton.add(aliasTerm(text).words), fields: DEFAULT_FIELDS, text, clause: text });
  }
  for (const entity of definition.entities ?? []) {
    const compiled = typeof entity === 'string' ? library(entity) : inline.get(entity.id);
    if (compiled) alternatives.push({ kind: 'entity', entity: compiled, fields: DEFAULT_FIELDS, clause: `@${compiled.id}` });
  }
  const exclusions = exclusionsOf(definition).map((query) => compileQuery(query, automaton, lookup));
  const positive: CompiledNode = alternatives.length === 1 ? alternatives[0]! : { kind: 'or', children: alternatives };
  return {
    definition,
    positive,
    exclude: exclusions.length === 0 ? null : exclusions.length === 1 ? exclusions[0]! : { kind: 'or', children: exclusions },
    triggers: triggersOf(positive, new Set()),
  };
}
