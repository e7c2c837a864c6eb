/**
 * Evaluates compiled queries against one story's pattern hits, returning the evidence that made
 * each true: which term or alias, in which field, at which offsets. Pure and per story.
 */
import type { Field } from './query/ast.js';
import type { CompiledAlias, CompiledEntity, CompiledNode } from './compile.js';
import type { PatternHit } from './automaton.js';
import { sortSmall } from '../sort-small.js';

/** A pattern's hit in one field of the story. */
export type FieldHit = PatternHit<Field>;

/** Pattern → the entities it is an alias of (plain or ambiguous). */
export type EntitiesByPattern = ReadonlyMap<number, readonly CompiledEntity[]>;

export interface Evidence {
  /** The term or alias as written in the watchlist. */
  term: string;
  /** The top-level clause of the query it satisfied, as written ("@el_mayo" for an entity listed by id). */
  clause: string;
  field: Field;
  /** Offsets in that field's text: [start, end). */
  start: number;
  end: number;
  firstWord: number;
  lastWord: number;
  /** The entity this evidence stands for, when it came from one. */
  entity: string | null;
  /** A query term, an entity's alias, or a term of an entity's required context. */
  role: 'term' | 'alias' | 'context';
}

/** Appends `from` to `into` one by one: a spread (`push(...from)`) overflows the stack on large arrays. */
export function appendAll<T>(into: T[], from: readonly T[]): T[] {
  for (let i = 0; i < from.length; i++) into.push(from[i]!);
  return into;
}

/** The order evidence is reported in: by field, then by position. */
const FIELD_ORDER: Record<Field, number> = { title: 0, summary: 1, source: 2, link: 3 };

function byPosition(a: Evidence, b: Evidence): number {
  return FIELD_ORDER[a.field] - FIELD_ORDER[b.field] || a.start - b.start || a.end - b.end;
}

/** Whether y is at most `distance` words from x, in the same field. */
function close(x: Evidence, y: Evidence, distance: number): boolean {
  return y.field === x.field && y.firstWord <= x.lastWord + distance + 1 && y.lastWord >= x.firstWord - distance - 1;
}

/**
 * Pairs up to this many are compared one by one: most NEAR clauses meet a handful of hits a side,
 * and the search below costs a sort, typed arrays and a map per call.
 */
const PAIRWISE_LIMIT = 64;

/**
 * The members of `xs` that have a partner in `ys` at most `distance` words away in the same
 * field. Two hits are that close when y.firstWord ≤ x.lastWord + distance + 1 and
 * y.lastWord ≥ x.firstWord − distance − 1. With `ys` sorted by first word and a running maximum
 * of their last words, each x is one binary search: O((|xs| + |ys|) log |ys|), where comparing
 * every pair took minutes on a long story repeating its terms.
 */
function withPartner(xs: readonly Evidence[], ys: readonly Evidence[], distance: number): Evidence[] {
  if (xs.length * ys.length <= PAIRWISE_LIMIT) {
    const found: Evidence[] = [];
    for (const x of xs) {
      for (const y of ys) {
        if (close(x, y, distance)) {
          found.push(x);
          break;
        }
      }
    }
    return found;
  }
  const byField = new Map<Field, { first: Int32Array; maxLast: Int32Array }>();
  for (const field of new Set(ys.map((y) => y.field))) {
    const sorted = ys.filter((y) => y.field === field).sort((a, b) => a.firstWord - b.firstWord);
    const first = new Int32Array(sorted.length);
    const maxLast = new Int32Array(sorted.length);
    sorted.forEach((y, i) => {
      first[i] = y.firstWord;
      maxLast[i] = Math.max(y.lastWord, i > 0 ? maxLast[i - 1]! : y.lastWord);
    });
    byField.set(field, { first, maxLast });
  }
  return xs.filter((x) => {
    const candidates = byField.get(x.field);
    if (!candidates) return false;
    // The last y starting no later than x.lastWord + distance + 1.
    const limit = x.lastWord + distance + 1;
    let low = 0;
    let high = candidates.first.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (candidates.first[middle]! <= limit) low = middle + 1;
      else high = middle;
    }
    return low > 0 && candidates.maxLast[low - 1]! >= x.firstWord - distance - 1;
  });
}

/** An entity's context words are evidence that its alias means the entity, not positions of it: they take no part in a distance. */
function positional(evidence: Evidence[] | null): readonly Evidence[] | null {
  if (evidence === null) return null;
  // Usually there is no context evidence: the array itself, no copy.
  return evidence.some((e) => e.role === 'context') ? evidence.filter((e) => e.role !== 'context') : evidence;
}

/** Each field as a bit, so a set of fields is a number. */
const FIELD_BITS: Record<Field, number> = { title: 1, summary: 2, source: 4, link: 8 };

function fieldMask(fields: readonly Field[]): number {
  let mask = 0;
  for (const field of fields) mask |= FIELD_BITS[field];
  return mask;
}

/** An entity's evidence in one set of fields; the entity's other sets follow in `next`. */
interface EntityMemo {
  mask: number;
  evidence: Evidence[] | null;
  next: EntityMemo | null;
}

export class StoryEvaluation {
  /**
   * Per entity and set of fields: asked for by every clause that names the entity, in every
   * watchlist. Keyed by the compiled entity itself, not its id: two watchlists may each define an
   * inline entity of the same id with different aliases, and neither may answer for the other.
   */
  private readonly entityMemo = new Map<CompiledEntity, EntityMemo>();
  /**
   * NEAR nodes met before in this story: their evidence takes sorting and searching to find. The
   * arrays are handed out as they are, so nothing here may change an array it was given.
   */
  private readonly nearMemo = new Map<CompiledNode, Evidence[] | null>();

  /** The entities one of whose aliases the story hits; made at the first entity asked about. */
  private named: Set<CompiledEntity> | null = null;

  /**
   * `entitiesByPattern`, when given, lets an entity none of whose aliases the story hits be false
   * at once: most entities a watchlist names are absent from most stories, and each would
   * otherwise look up every one of its aliases (and ask its exclusion) to find nothing.
   */
  constructor(
    private readonly hits: ReadonlyMap<number, FieldHit[]>,
    private readonly entitiesByPattern: EntitiesByPattern | null = null,
  ) {}

  /**
   * Whether `node` is true: exactly `evaluate(node) !== null`, without building the evidence of
   * terms, and stopping at the first false child of an AND or true child of an OR. Most
   * candidate watchlists and nearly all exclusions turn out false, and their evidence would be
   * garbage: asked first, this keeps a story's matching from allocating what it never reports.
   */
  holds(node: CompiledNode): boolean {
    switch (node.kind) {
      case 'term':
        return this.hasHit(node.pattern, node.fields);
      case 'entity':
        return this.entityEvidence(node.entity, node.fields) !== null;
      case 'not':
        return !this.holds(node.child);
      case 'and':
        // Positions last: a NEAR is the one child whose truth costs evidence.
        for (const child of node.children) if (child.kind !== 'near' && !this.holds(child)) return false;
        for (const child of node.children) if (child.kind === 'near' && !this.holds(child)) return false;
        return true;
      case 'or':
        for (const child of node.children) if (this.holds(child)) return true;
        return false;
      case 'near':
        return this.holds(node.left) && this.holds(node.right) && this.nearOf(node) !== null;
    }
  }

  /** The evidence that makes `node` true, or null when it is false (NOT yields [] when true). */
  evaluate(node: CompiledNode): Evidence[] | null {
    switch (node.kind) {
      case 'term': {
        const found = this.hitsOf(node.pattern, node.fields);
        return found.length === 0 ? null : found.map((hit) => evidenceOf(hit, node.text, node.clause, null, 'term'));
      }
      case 'entity':
        return this.entity(node.entity, node.fields, node.clause);
      case 'not':
        return this.holds(node.child) ? null : [];
      case 'and': {
        // Its leaves asked first, each at no cost but a look-up: a false AND would build its true
        // children's evidence only to drop it. Only leaves: asking a nested AND or OR here as well
        // would walk a deeply nested query once per level of it.
        for (const child of node.children) if ((child.kind === 'term' || child.kind === 'entity') && !this.holds(child)) return null;
        const all: Evidence[] = [];
        for (const child of node.children) {
          const evidence = this.evaluate(child);
          if (evidence === null) return null;
          appendAll(all, evidence);
        }
        return all;
      }
      case 'or': {
        let any: Evidence[] | null = null;
        for (const child of node.children) {
          const evidence = this.evaluate(child);
          if (evidence !== null) appendAll((any ??= []), evidence);
        }
        return any;
      }
      case 'near':
        return this.nearOf(node);
    }
  }

  private nearOf(node: Extract<CompiledNode, { kind: 'near' }>): Evidence[] | null {
    let evidence = this.nearMemo.get(node);
    if (evidence === undefined) {
      evidence = this.near(node.left, node.right, node.distance);
      this.nearMemo.set(node, evidence);
    }
    return evidence;
  }

  private near(left: CompiledNode, right: CompiledNode, distance: number): Evidence[] | null {
    const a = positional(this.evaluate(left));
    const b = a && positional(this.evaluate(right));
    if (!a || !b) return null;
    const both = appendAll(withPartner(a, b, distance), withPartner(b, a, distance));
    if (both.length === 0) return null;
    // A hit on both sides (`x NEAR x`, overlapping groups) is kept once.
    const kept = both.length > PAIRWISE_LIMIT ? [...new Set(both)] : both.filter((e, i) => both.indexOf(e) === i);
    return sortSmall(kept, byPosition);
  }

  /** An entity is evaluated once per story and fields; each clause that names it gets the evidence relabelled. */
  private entity(entity: CompiledEntity, fields: readonly Field[], clause: string): Evidence[] | null {
    const result = this.entityEvidence(entity, fields);
    return result && result.map((e) => relabelled(e, clause, e.entity, e.role));
  }

  /**
   * The entity's evidence in `fields` (its context and exclusion applied), or null when the story
   * does not name it. Worked out once per story and set of fields; the array is the memo's own,
   * not to be changed.
   */
  entityEvidence(entity: CompiledEntity, fields: readonly Field[]): Evidence[] | null {
    // Without a hit on one of its aliases an entity is false, whatever its context or exclusion.
    if (!this.aliasHit(entity)) return null;
    const mask = fieldMask(fields);
    const first = this.entityMemo.get(entity);
    for (let memo: EntityMemo | null | undefined = first; memo; memo = memo.next) if (memo.mask === mask) return memo.evidence;
    // Null until worked out: an entity whose context refers back to itself is simply false.
    const memo: EntityMemo = { mask, evidence: null, next: first ?? null };
    this.entityMemo.set(entity, memo);
    memo.evidence = this.entityUncached(entity, fields);
    return memo.evidence;
  }

  private entityUncached(entity: CompiledEntity, fields: readonly Field[]): Evidence[] | null {
    if (entity.exclude && this.holds(entity.exclude)) return null;
    // A loop, not flatMap: an entity has dozens of aliases and a story hits few or none of them,
    // so the common case must allocate nothing.
    const asEvidence = (aliases: CompiledAlias[]) => {
      const found: Evidence[] = [];
      for (const alias of aliases) {
        if (!this.hits.has(alias.pattern)) continue;
        for (const hit of this.hitsOf(alias.pattern, fields)) found.push(evidenceOf(hit, alias.text, '', entity.id, 'alias'));
      }
      return found;
    };
    const plain = asEvidence(entity.aliases);
    const ambiguous = asEvidence(entity.ambiguousAliases);
    if (plain.length > 0) return appendAll(plain, ambiguous);
    if (ambiguous.length === 0 || !entity.context || !this.holds(entity.context)) return null;
    const context = this.evaluate(entity.context);
    if (context === null) return null;
    return appendAll(ambiguous, context.map((e) => relabelled(e, e.clause, entity.id, 'context')));
  }

  private aliasHit(entity: CompiledEntity): boolean {
    if (!this.entitiesByPattern) return true;
    if (!this.named) {
      this.named = new Set();
      for (const pattern of this.hits.keys()) {
        const entities = this.entitiesByPattern.get(pattern);
        if (entities) for (const named of entities) this.named.add(named);
      }
    }
    return this.named.has(entity);
  }

  private hasHit(pattern: number, fields: readonly Field[]): boolean {
    const hits = this.hits.get(pattern);
    if (!hits) return false;
    for (const hit of hits) if (fields.includes(hit.field)) return true;
    return false;
  }

  private hitsOf(pattern: number, fields: readonly Field[]): readonly FieldHit[] {
    const hits = this.hits.get(pattern);
    if (!hits) return NO_HITS;
    // Usually every hit is in a wanted field: the list itself, no copy (and no closure made to find out).
    let wanted = 0;
    for (let i = 0; i < hits.length; i++) if (fields.includes(hits[i]!.field)) wanted++;
    return wanted === hits.length ? hits : hits.filter((hit) => fields.includes(hit.field));
  }
}

const NO_HITS: readonly FieldHit[] = [];

/*
 * Evidence objects are made by these two functions only, always with the same properties in the
 * same order: object spreads here made a story matching 1,000 watchlists several times slower.
 */
function evidenceOf(hit: FieldHit, term: string, clause: string, entity: string | null, role: Evidence['role']): Evidence {
  return { term, clause, field: hit.field, start: hit.start, end: hit.end, firstWord: hit.firstWord, lastWord: hit.lastWord, entity, role };
}

function relabelled(e: Evidence, clause: string, entity: string | null, role: Evidence['role']): Evidence {
  return { term: e.term, clause, field: e.field, start: e.start, end: e.end, firstWord: e.firstWord, lastWord: e.lastWord, entity, role };
}
