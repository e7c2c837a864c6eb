/**
 * What a watchlist is, as written in the config file (and later, by chat commands):
 *
 *   id, name, description, languages
 *   query      the query language (README: "Watchlists"), e.g. `(extradit* OR "sent to") Mexico`
 *   terms      a plain list of words and phrases, any one of which fires (sugar for an OR query)
 *   entities   named entities (ids of the shared library, or inline ones) any one of which fires
 *   exclude    a query (or a list of them) that vetoes the watchlist for a story
 *
 * An entity is a canonical name with aliases. Aliases that are ambiguous on their own ("El
 * Mayo", "La Tuta") fire only when the story also matches the entity's `context` query.
 */
import { z } from 'zod';
import { parseQuery as parseQueryText, type ParseResult } from './query/parser.js';
import { leavesOf, type QueryNode, type TermNode } from './query/ast.js';
import { LIMITS } from './limits.js';
import { appendAll } from './evaluate.js';

/**
 * A query is parsed by the schema, again to count its terms and check its entity references, and
 * once more to compile it: the parse is pure, so its result is kept. Bounded, because chat users
 * will add queries for the life of the process.
 */
const parseCache = new Map<string, ParseResult>();
const PARSE_CACHE_LIMIT = 5000;

function parseQuery(text: string): ParseResult {
  let result = parseCache.get(text);
  if (result === undefined) {
    if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
    result = parseQueryText(text);
    parseCache.set(text, result);
  }
  return result;
}

export const WATCHLIST_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const ENTITY_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A string that must parse as a query; the parse error (with its column) becomes the message. */
export const queryText = z
  .string()
  .trim()
  .min(1, 'an empty query matches nothing')
  .superRefine((text, ctx) => {
    const parsed = parseQuery(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
  });

/** One alias: a word or phrase, possibly with a trailing wildcard; no operators. */
const aliasText = z
  .string()
  .trim()
  .min(1, 'an alias cannot be empty')
  .superRefine((text, ctx) => {
    const parsed = parseQuery(`"${text.replace(/["“”„«»]/g, '')}"`);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `alias "${text}": ${parsed.error.message}` });
  });

export const entityDefinitionSchema = z
  .strictObject({
    id: z.string().regex(ENTITY_ID, 'lower-case letters, digits, "_" and "-"'),
    name: z.string().trim().min(1).max(120),
    aliases: z.array(aliasText).default([]),
    /** Aliases that fire only together with `context`. */
    ambiguous_aliases: z.array(aliasText).default([]),
    context: queryText.optional(),
    exclude: queryText.optional(),
    /**
     * The aliases name different things of one kind (countries, cities, courts), not one thing:
     * matching treats them alike, but grouping stories into events keeps each alias apart.
     */
    distinct_aliases: z.boolean().optional(),
  })
  .superRefine((entity, ctx) => {
    const aliases = entity.aliases.length + entity.ambiguous_aliases.length;
    if (aliases === 0) {
      ctx.addIssue({ code: 'custom', path: ['aliases'], message: 'an entity needs at least one alias' });
    }
    if (aliases > LIMITS.aliasesPerEntity) {
      ctx.addIssue({ code: 'custom', path: ['aliases'], message: `the entity has ${aliases} aliases; the most is ${LIMITS.aliasesPerEntity}` });
    }
    if (entity.ambiguous_aliases.length > 0 && !entity.context) {
      ctx.addIssue({ code: 'custom', path: ['context'], message: 'ambiguous aliases need a context query that must also match' });
    }
  });

export type EntityDefinition = z.output<typeof entityDefinitionSchema>;

const term = z.string().trim().min(1, 'a term cannot be empty').max(200, 'a term is at most 200 characters');

export const watchlistDefinitionSchema = z
  .strictObject({
    id: z.string().regex(WATCHLIST_ID, 'lower-case letters, digits, "_" and "-", starting with a letter or digit'),
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).optional(),
    /** Languages the watchlist is written for; stories in other known languages are skipped. */
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'a two- or three-letter language code')).optional(),
    query: queryText.optional(),
    terms: z.array(term).max(LIMITS.termsPerWatchlist).optional(),
    entities: z.array(z.union([z.string().regex(ENTITY_ID, 'an entity id'), entityDefinitionSchema])).max(100).optional(),
    exclude: z.union([queryText, z.array(queryText)]).optional(),
  })
  .superRefine((watchlist, ctx) => {
    if (!watchlist.query && !watchlist.terms?.length && !watchlist.entities?.length) {
      ctx.addIssue({ code: 'custom', message: 'a watchlist needs a query, terms or entities' });
      return;
    }
    const count = countTerms(watchlist);
    if (count > LIMITS.termsPerWatchlist) {
      ctx.addIssue({ code: 'custom', message: `the watchlist has ${count} terms; the most is ${LIMITS.termsPerWatchlist}` });
    }
  });

export type WatchlistDefinition = z.output<typeof watchlistDefinitionSchema>;

/** Parses a query already validated by the schema. */
export function parsedQuery(text: string): QueryNode {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw parsed.error;
  return parsed.query;
}

/** The alias as a term node (its folded words, wildcard kept). */
export function aliasTerm(text: string): TermNode {
  return parsedQuery(`"${text.replace(/["“”„«»]/g, '')}"`) as TermNode;
}

export function exclusionsOf(watchlist: Pick<WatchlistDefinition, 'exclude'>): string[] {
  if (watchlist.exclude === undefined) return [];
  return typeof watchlist.exclude === 'string' ? [watchlist.exclude] : watchlist.exclude;
}

function countTerms(watchlist: WatchlistDefinition): number {
  const queries = [watchlist.query, ...exclusionsOf(watchlist)].filter((q): q is string => Boolean(q));
  let count = watchlist.terms?.length ?? 0;
  for (const query of queries) {
    const parsed = parseQuery(query);
    if (parsed.ok) count += leavesOf(parsed.query).length;
  }
  for (const entity of watchlist.entities ?? []) {
    if (typeof entity === 'string') continue;
    count += entity.aliases.length + entity.ambiguous_aliases.length;
    for (const query of [entity.context, entity.exclude]) {
      const parsed = query ? parseQuery(query) : null;
      if (parsed?.ok) count += leavesOf(parsed.query).length;
    }
  }
  return count;
}

type Problem = { path: (string | number)[]; message: string };

function referencesIn(query: string | undefined, path: (string | number)[], known: ReadonlySet<string>): Problem[] {
  const parsed = query ? parseQuery(query) : null;
  if (!parsed?.ok) return [];
  return leavesOf(parsed.query)
    .filter((leaf) => leaf.kind === 'entity' && !known.has(leaf.id))
    .map((leaf) => ({ path, message: `unknown entity "@${(leaf as { id: string }).id}" at column ${leaf.span[0] + 1}` }));
}

/** `@id` references in an entity's context and exclusion that name no known entity. */
export function unknownEntityReferencesOfEntity(entity: EntityDefinition, known: ReadonlySet<string>): Problem[] {
  return [...referencesIn(entity.context, ['context'], known), ...referencesIn(entity.exclude, ['exclude'], known)];
}

/**
 * Entity references that name no entity: `@id` in queries and ids in `entities` lists. Returns
 * one problem per reference, with the path inside the watchlist.
 */
export function unknownEntityReferences(watchlist: WatchlistDefinition, known: ReadonlySet<string>): Problem[] {
  const problems = referencesIn(watchlist.query, ['query'], known);
  exclusionsOf(watchlist).forEach((query, index) =>
    appendAll(problems, referencesIn(query, typeof watchlist.exclude === 'string' ? ['exclude'] : ['exclude', index], known)),
  );
  (watchlist.entities ?? []).forEach((entity, index) => {
    if (typeof entity === 'string') {
      if (!known.has(entity)) problems.push({ path: ['entities', index], message: `unknown entity "${entity}"` });
    } else {
      for (const problem of unknownEntityReferencesOfEntity(entity, known)) {
        problems.push({ path: ['entities', index, ...problem.path], message: problem.message });
      }
    }
  });
  return problems;
}

/** The `@id` references of a query, in order of appearance. */
function referencedIds(query: string | undefined): string[] {
  const parsed = query ? parseQuery(query) : null;
  if (!parsed?.ok) return [];
  return leavesOf(parsed.query).flatMap((leaf) => (leaf.kind === 'entity' ? [leaf.id] : []));
}

export interface EntityCycle {
  /** Index (in the list given) of the entity where the cycle was entered, and the query that leads on. */
  index: number;
  field: 'context' | 'exclude';
  /** The ids around the cycle, the first repeated at the end: a → b → a. */
  ids: string[];
}

/**
 * Cycles among entities through their context and exclude queries (a's context uses @b, b's
 * uses @a): such an entity could never be decided, so the config refuses it. References to ids
 * outside `entities` are not followed (a watchlist's inline entities can name the library, but
 * the library cannot name them back). Iterative depth-first search: each cycle found once.
 */
export function entityCycles(entities: readonly EntityDefinition[]): EntityCycle[] {
  const indexOf = new Map<string, number>();
  entities.forEach((entity, index) => indexOf.set(entity.id, index));
  const edges = entities.map((entity) =>
    (['context', 'exclude'] as const).flatMap((field) =>
      referencedIds(entity[field]).flatMap((id) => (indexOf.has(id) ? [{ to: indexOf.get(id)!, field }] : [])),
    ),
  );
  const state = new Uint8Array(entities.length); // 0 unvisited, 1 on the path, 2 done
  const cycles: EntityCycle[] = [];
  for (let root = 0; root < entities.length; root++) {
    if (state[root] !== 0) continue;
    const path: { node: number; next: number }[] = [{ node: root, next: 0 }];
    state[root] = 1;
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const edge = edges[top.node]![top.next++];
      if (!edge) {
        state[top.node] = 2;
        path.pop();
        continue;
      }
      if (state[edge.to] === 0) {
        state[edge.to] = 1;
        path.push({ node: edge.to, next: 0 });
      } else if (state[edge.to] === 1) {
        const from = path.findIndex((step) => step.node === edge.to);
        const onCycle = path.slice(from);
        const entry = onCycle[0]!;
        // The query of the entry entity that leads on around the cycle.
        const field = onCycle.length === 1 ? edge.field : edges[entry.node]![entry.next - 1]!.field;
        cycles.push({ index: entry.node, field, ids: [...onCycle.map((step) => entities[step.node]!.id), entities[edge.to]!.id] });
      }
    }
  }
  return cycles;
}

/**
 * How deep each entity's references go (an entity naming none is 1 deep; one naming it, 2 …).
 * Compiling follows references by recursion, so a config file may not nest them without bound.
 * Back-edges of cycles are ignored here: cycles are reported by entityCycles.
 */
export function entityNestingDepths(entities: readonly EntityDefinition[]): number[] {
  const indexOf = new Map<string, number>();
  entities.forEach((entity, index) => indexOf.set(entity.id, index));
  const edges = entities.map((entity) =>
    [...referencedIds(entity.context), ...referencedIds(entity.exclude)].flatMap((id) => (indexOf.has(id) ? [indexOf.get(id)!] : [])),
  );
  const depth = new Array<number>(entities.length).fill(0); // 0: not yet known
  const onPath = new Uint8Array(entities.length);
  for (let root = 0; root < entities.length; root++) {
    if (depth[root] !== 0) continue;
    const path: { node: number; next: number }[] = [{ node: root, next: 0 }];
    onPath[root] = 1;
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const to = edges[top.node]![top.next++];
      if (to === undefined) {
        depth[top.node] = 1 + edges[top.node]!.reduce((deepest, child) => Math.max(deepest, onPath[child] ? 0 : depth[child]!), 0);
        onPath[top.node] = 0;
        path.pop();
      } else if (depth[to] === 0 && !onPath[to]) {
        onPath[to] = 1;
        path.push({ node: to, next: 0 });
      }
    }
  }
  return depth;
}

/** Terms of a query that are not entity references. */
function plainTermsIn(query: string | undefined): number {
  const parsed = query ? parseQuery(query) : null;
  return parsed?.ok ? leavesOf(parsed.query).filter((leaf) => leaf.kind === 'term').length : 0;
}

/**
 * What a watchlist costs the matcher: its terms and phrases, plus the aliases and the context and
 * exclusion terms of every entity it uses — named with @id, listed, inline, or reached through
 * another entity's queries — each entity counted once however often it is named.
 */
export function termsUsed(watchlist: WatchlistDefinition, library: ReadonlyMap<string, EntityDefinition>): number {
  const inline = new Map<string, EntityDefinition>();
  for (const entity of watchlist.entities ?? []) if (typeof entity !== 'string') inline.set(entity.id, entity);
  const queries = [watchlist.query, ...exclusionsOf(watchlist)];
  let count = (watchlist.terms?.length ?? 0) + queries.reduce((sum, query) => sum + plainTermsIn(query), 0);
  const pending = [...queries.flatMap(referencedIds), ...(watchlist.entities ?? []).map((e) => (typeof e === 'string' ? e : e.id))];
  const counted = new Set<string>();
  while (pending.length > 0) {
    const id = pending.pop()!;
    const entity = inline.get(id) ?? library.get(id);
    if (!entity || counted.has(id)) continue;
    counted.add(id);
    count += entity.aliases.length + entity.ambiguous_aliases.length + plainTermsIn(entity.context) + plainTermsIn(entity.exclude);
    appendAll(pending, [...referencedIds(entity.context), ...referencedIds(entity.exclude)]);
  }
  return count;
}
