/**
 * Evaluates compiled queries against one story's pattern hits, returning the evidence that made
 * each true: which term or alias, in which field, at which offsets. Pure and per story.
 */
import type { Field } from './query/ast.js';
import type { CompiledAlias, CompiledEntity, CompiledNode } from './compile.js';

export interface FieldHit {
  pattern: number;
  field: Field;
  start: number;
  end: number;
  firstWord: number;
  lastWord: number;
}

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

/** Words between two hits in the same field (0 when adjacent or overlapping). */
function gap(a: Evidence, b: Evidence): number {
  if (a.lastWord < b.firstWord) return b.firstWord - a.lastWord - 1;
  if (b.lastWord < a.firstWord) return a.firstWord - b.lastWord - 1;
  return 0;
}

export class StoryEvaluation {
  private readonly entityMemo = new Map<string, Evidence[] | null>();

  constructor(private readonly hits: ReadonlyMap<number, FieldHit[]>) {}

  /** The evidence that makes `node` true, or null when it is false (NOT yields [] when true). */
  evaluate(node: CompiledNode): Evidence[] | null {
    switch (node.kind) {
      case 'term': {
        const found = this.hitsOf(node.pattern, node.fields);
        return found.length === 0
          ? null
          : found.map((hit) => ({ ...this.position(hit), term: node.text, clause: node.clause, entity: null, role: 'term' as const }));
      }
      case 'entity':
        return this.entity(node.entity, node.fields, node.clause);
      case 'not':
        return this.evaluate(node.child) === null ? [] : null;
      case 'and': {
        const all: Evidence[] = [];
        for (const child of node.children) {
          const evidence = this.evaluate(child);
          if (evidence === null) return null;
          all.push(...evidence);
        }
        return all;
      }
      case 'or': {
        let any: Evidence[] | null = null;
        for (const child of node.children) {
          const evidence = this.evaluate(child);
          if (evidence !== null) (any ??= []).push(...evidence);
        }
        return any;
      }
      case 'near':
        return this.near(node.left, node.right, node.distance);
    }
  }

  private near(left: CompiledNode, right: CompiledNode, distance: number): Evidence[] | null {
    // An entity's context words are evidence that its alias means the entity, not positions of
    // the entity: only terms and aliases take part in the distance.
    const positional = (evidence: Evidence[] | null) => evidence?.filter((e) => e.role !== 'context') ?? null;
    const a = positional(this.evaluate(left));
    const b = a && positional(this.evaluate(right));
    if (!a || !b) return null;
    const kept = new Set<Evidence>();
    for (const x of a) {
      for (const y of b) {
        if (x.field === y.field && gap(x, y) <= distance) kept.add(x).add(y);
      }
    }
    return kept.size === 0 ? null : [...kept];
  }

  /** An entity is evaluated once per story and fields; each clause that names it gets the evidence relabelled. */
  private entity(entity: CompiledEntity, fields: readonly Field[], clause: string): Evidence[] | null {
    const key = `${entity.id}|${fields.join(',')}`;
    let result = this.entityMemo.get(key);
    if (result === undefined) {
      this.entityMemo.set(key, null); // an entity whose context refers back to itself is simply false
      result = this.entityUncached(entity, fields);
      this.entityMemo.set(key, result);
    }
    return result && result.map((e) => ({ ...e, clause }));
  }

  private entityUncached(entity: CompiledEntity, fields: readonly Field[]): Evidence[] | null {
    if (entity.exclude && this.evaluate(entity.exclude) !== null) return null;
    const asEvidence = (aliases: CompiledAlias[]) =>
      aliases.flatMap((alias) =>
        this.hitsOf(alias.pattern, fields).map((hit) => ({
          ...this.position(hit),
          term: alias.text,
          clause: '',
          entity: entity.id,
          role: 'alias' as const,
        })),
      );
    const plain = asEvidence(entity.aliases);
    const ambiguous = asEvidence(entity.ambiguousAliases);
    if (plain.length > 0) return [...plain, ...ambiguous];
    if (ambiguous.length === 0 || !entity.context) return null;
    const context = this.evaluate(entity.context);
    if (context === null) return null;
    return [...ambiguous, ...context.map((e) => ({ ...e, entity: entity.id, role: 'context' as const }))];
  }

  private hitsOf(pattern: number, fields: readonly Field[]): FieldHit[] {
    return (this.hits.get(pattern) ?? []).filter((hit) => fields.includes(hit.field));
  }

  private position(hit: FieldHit) {
    return { field: hit.field, start: hit.start, end: hit.end, firstWord: hit.firstWord, lastWord: hit.lastWord };
  }
}
