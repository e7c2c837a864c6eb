/**
 * The matcher: every watchlist compiled into one automaton. A story's fields are folded and
 * scanned once; only the watchlists that one of the hit patterns can make true evaluate their
 * query trees. Watchlists can be added, replaced and removed one at a time (a chat command
 * changing one watchlist recompiles that one only).
 */
import { PatternAutomaton } from './automaton.js';
import type { FoldBuffer } from './fold.js';
import { compileEntities, compiledLeaves, compileWatchlist, type CompiledEntity, type CompiledNode, type CompiledWatchlist } from './compile.js';
import { appendAll, StoryEvaluation, type EntitiesByPattern, type Evidence, type FieldHit } from './evaluate.js';
import type { EntityDefinition, WatchlistDefinition } from './definition.js';
import { DEFAULT_FIELDS, type Field } from './query/ast.js';
import { LIMITS } from './limits.js';
import { sortSmall } from '../sort-small.js';

export type MatchField = Field;

export interface MatchInput {
  title: string;
  summary: string;
  source?: string | null;
  link?: string | null;
  language?: string | null;
}

export interface TermMatch {
  watchlist: string;
  /** The term or alias as written in the watchlist. */
  term: string;
  field: MatchField;
  /** Offsets in that field's text: [start, end). */
  start: number;
  end: number;
  /** The top-level clause of the query it satisfied, as written. */
  clause: string;
  /** The entity it stands for, when it came from one. */
  entity: string | null;
  role: Evidence['role'];
}

export interface MatchResult {
  /** Ids of the watchlists that fired, in definition order. */
  watchlists: string[];
  /** Why they fired. */
  matches: TermMatch[];
}

/** An entity a story names, and the evidence of its own aliases (see WatchlistMatcher.entitiesNamed). */
export interface NamedEntity {
  entity: string;
  aliases: Evidence[];
}

export interface Matcher {
  match(input: MatchInput): MatchResult;
}

/** The fields a tree looks at, through entities' context and exclusions too. */
function fieldsOf(node: CompiledNode, into: Set<Field>): void {
  for (const leaf of compiledLeaves(node, true)) {
    for (const field of leaf.fields) into.add(field);
    if (leaf.kind === 'entity') for (const inner of [leaf.entity.context, leaf.entity.exclude]) if (inner) fieldsOf(inner, into);
  }
}

function patternsOfEntity(entity: CompiledEntity, into: Set<number>): void {
  for (const alias of [...entity.aliases, ...entity.ambiguousAliases]) into.add(alias.pattern);
  for (const inner of [entity.context, entity.exclude]) if (inner) patternsOf(inner, into);
}

/** Every pattern a compiled tree refers to, through entities too. */
function patternsOf(node: CompiledNode, into: Set<number>): void {
  for (const leaf of compiledLeaves(node, true)) {
    if (leaf.kind === 'term') into.add(leaf.pattern);
    else patternsOfEntity(leaf.entity, into);
  }
}

/** Every entity a tree can ask about: those it names, and those their context and exclusion name. */
function entitiesOf(node: CompiledNode, into: Set<CompiledEntity>): void {
  for (const leaf of compiledLeaves(node, true)) if (leaf.kind === 'entity') entityAndInner(leaf.entity, into);
}

function entityAndInner(entity: CompiledEntity, into: Set<CompiledEntity>): void {
  if (into.has(entity)) return;
  into.add(entity);
  for (const inner of [entity.context, entity.exclude]) if (inner) entitiesOf(inner, into);
}

/** Pattern → the entities (library and inline) it is an alias of, each once. */
function indexEntities(entities: Iterable<CompiledEntity>): Map<number, CompiledEntity[]> {
  const index = new Map<number, CompiledEntity[]>();
  for (const entity of entities) {
    for (const alias of [...entity.aliases, ...entity.ambiguousAliases]) {
      const named = index.get(alias.pattern);
      if (!named) index.set(alias.pattern, [entity]);
      // Two aliases of one entity may fold to one pattern; its aliases come one after another, so
      // the list's last entry is the only one to compare (a search of the list would make many
      // inline entities sharing an alias cost their square at every recompile).
      else if (named[named.length - 1] !== entity) named.push(entity);
    }
  }
  return index;
}

/**
 * Each span once per watchlist: alternatives that fold alike ("cartel*" OR "cártel*") or overlap
 * would report the same words twice; the first term that matched them is kept. And each term or
 * alias at most LIMITS.evidencePerTerm times per field: a story repeating a word 1,000 times
 * needs no 1,000 lines of explanation.
 */
function keptEvidence(evidence: readonly Evidence[]): Evidence[] {
  return evidence.length <= 32 ? keptFew(evidence) : keptMany(evidence);
}

const sameSpan = (a: Evidence, b: Evidence) =>
  a.start === b.start && a.end === b.end && a.field === b.field && a.role === b.role && a.entity === b.entity;
const sameTerm = (a: Evidence, b: Evidence) => a.term === b.term && a.field === b.field && a.role === b.role && a.entity === b.entity;

/** The common case, a few pieces of evidence: compared pairwise, no keys built. */
function keptFew(evidence: readonly Evidence[]): Evidence[] {
  const kept: Evidence[] = [];
  for (const e of evidence) {
    let duplicate = false;
    let sameTermCount = 0;
    for (const k of kept) {
      if (sameSpan(e, k)) duplicate = true;
      if (sameTerm(e, k)) sameTermCount++;
    }
    if (!duplicate && sameTermCount < LIMITS.evidencePerTerm) kept.push(e);
  }
  return kept;
}

function keptMany(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const perTerm = new Map<string, number>();
  const kept: Evidence[] = [];
  for (const e of evidence) {
    const span = `${e.field}:${e.start}:${e.end}:${e.role}:${e.entity ?? ''}`;
    if (seen.has(span)) continue;
    seen.add(span);
    const term = `${e.field}:${e.role}:${e.entity ?? ''}:${e.term}`;
    const count = perTerm.get(term) ?? 0;
    if (count >= LIMITS.evidencePerTerm) continue;
    perTerm.set(term, count + 1);
    kept.push(e);
  }
  return kept;
}

/** The evidence of the entity's own aliases (not its context's): usually all of it, then the array itself. */
function ownAliases(evidence: readonly Evidence[], entity: string): readonly Evidence[] {
  const own = (e: Evidence) => e.role === 'alias' && e.entity === entity;
  for (let i = 0; i < evidence.length; i++) if (!own(evidence[i]!)) return evidence.filter(own);
  return evidence;
}

const NO_POSITIONS: readonly number[] = [];

export class WatchlistMatcher implements Matcher {
  private automaton = new PatternAutomaton();
  private readonly entityDefinitions: EntityDefinition[];
  private library = new Map<string, CompiledEntity>();
  /** The library's entities in definition order, and indexed by alias pattern (for entitiesNamed). */
  private libraryInOrder: CompiledEntity[] = [];
  private libraryByPattern: EntitiesByPattern = new Map();
  /** The same index, by position in libraryInOrder. */
  private libraryPositionsByPattern = new Map<number, number[]>();
  /** The fields entitiesNamed scans: the title, the summary, and those the entities' contexts and exclusions look at. */
  private libraryFields: Field[] = [...DEFAULT_FIELDS];
  private readonly definitions = new Map<string, WatchlistDefinition>();
  private compiled = new Map<string, CompiledWatchlist>();
  /** Pattern → the positions (in `inOrder`) of the watchlists its hit makes worth evaluating. */
  private triggerIndex = new Map<number, number[]>();
  /** Pattern → the entities it is an alias of, for every entity a watchlist can ask about. */
  private entitiesByPattern: EntitiesByPattern = new Map();
  /** The compiled watchlists in definition order. */
  private inOrder: CompiledWatchlist[] = [];
  /**
   * Per position in `inOrder`: the number of the last `match` that nominated it. A story's
   * candidates are those marked with its own number, so nothing needs clearing afterwards, and a
   * story whose matching throws leaves no mark that a later story could take for its own.
   */
  private nominatedBy = new Uint32Array(0);
  private matchNumber = 0;
  private fields: Field[] = ['title', 'summary'];

  constructor(options: { watchlists?: readonly WatchlistDefinition[]; entities?: readonly EntityDefinition[] } = {}) {
    this.entityDefinitions = [...(options.entities ?? [])];
    for (const definition of options.watchlists ?? []) this.definitions.set(definition.id, definition);
    this.rebuild();
  }

  /** Number of watchlists. */
  get size(): number {
    return this.compiled.size;
  }

  /** Distinct patterns in the automaton (terms, phrases, aliases). */
  get patternCount(): number {
    return this.automaton.size;
  }

  /** Adds or replaces one watchlist, compiling only it. */
  upsert(definition: WatchlistDefinition): void {
    this.definitions.set(definition.id, definition);
    this.compiled.set(definition.id, compileWatchlist(definition, this.automaton, (id) => this.library.get(id)));
    this.reindex();
  }

  remove(id: string): boolean {
    const removed = this.definitions.delete(id);
    this.compiled.delete(id);
    this.reindex();
    return removed;
  }

  /**
   * `folded`: fields of `input` already folded (story grouping folds a story once for its
   * several automata); the others are folded here.
   */
  match(input: MatchInput, folded?: Partial<Record<MatchField, FoldBuffer>>): MatchResult {
    const hits = this.storyHits(input, folded, this.fields);
    const result: MatchResult = { watchlists: [], matches: [] };
    if (!hits) return result;
    const candidates: number[] = [];
    const mark = this.nextMatchNumber();
    for (const pattern of hits.keys()) {
      const triggered = this.triggerIndex.get(pattern);
      if (!triggered) continue;
      for (const position of triggered) {
        if (this.nominatedBy[position] === mark) continue;
        this.nominatedBy[position] = mark;
        candidates.push(position);
      }
    }
    if (candidates.length === 0) return result;
    // Only the nominated watchlists, in definition order: never a walk over all of them.
    sortSmall(candidates, (a, b) => a - b);
    const evaluation = new StoryEvaluation(hits, this.entitiesByPattern);
    for (const position of candidates) {
      const watchlist = this.inOrder[position]!;
      const languages = watchlist.definition.languages;
      if (languages && input.language && !languages.includes(input.language)) continue;
      // Truth first, evidence only for a watchlist that fires: see StoryEvaluation.holds.
      if (!evaluation.holds(watchlist.positive)) continue;
      if (watchlist.exclude && evaluation.holds(watchlist.exclude)) continue;
      const evidence = evaluation.evaluate(watchlist.positive)!;
      const id = watchlist.definition.id;
      result.watchlists.push(id);
      for (const e of keptEvidence(evidence)) {
        result.matches.push({ watchlist: id, term: e.term, field: e.field, start: e.start, end: e.end, clause: e.clause, entity: e.entity, role: e.role });
      }
    }
    return result;
  }

  /**
   * The entities of the library the story names, in the order they are defined, each with the
   * evidence of its own aliases in the title and summary: what a watchlist listing that entity
   * alone would report of it (its context and exclusion applied, LIMITS.evidencePerTerm
   * honoured), without a watchlist per entity to evaluate and copy. Story grouping asks this of
   * every story that alerts. `folded` as for `match`.
   */
  entitiesNamed(input: MatchInput, folded?: Partial<Record<MatchField, FoldBuffer>>): NamedEntity[] {
    const hits = this.storyHits(input, folded, this.libraryFields);
    if (!hits) return [];
    // Only the entities one of whose aliases the story hits, in definition order: a walk over the
    // whole library (up to LIMITS.entitiesInFile) for every story would cost more than the story.
    const positions: number[] = [];
    for (const pattern of hits.keys()) appendAll(positions, this.libraryPositionsByPattern.get(pattern) ?? NO_POSITIONS);
    sortSmall(positions, (a, b) => a - b);
    const evaluation = new StoryEvaluation(hits, this.libraryByPattern);
    const named: NamedEntity[] = [];
    for (let i = 0; i < positions.length; i++) {
      if (i > 0 && positions[i] === positions[i - 1]) continue;
      const entity = this.libraryInOrder[positions[i]!]!;
      const evidence = evaluation.entityEvidence(entity, DEFAULT_FIELDS);
      if (evidence === null) continue;
      const own = ownAliases(evidence, entity.id);
      if (own.length > 0) named.push({ entity: entity.id, aliases: keptEvidence(own) });
    }
    return named;
  }

  /** Each pattern the story hits in `fields` → its hits, field by field; null when it hits none. */
  private storyHits(input: MatchInput, folded: Partial<Record<MatchField, FoldBuffer>> | undefined, fields: readonly Field[]): Map<number, FieldHit[]> | null {
    let hits: Map<number, FieldHit[]> | null = null;
    for (const field of fields) {
      const text = input[field];
      if (!text) continue;
      const buffer = folded?.[field];
      const found = buffer ? this.automaton.scanFolded(buffer, field) : this.automaton.scan(text, field);
      for (let k = 0; k < found.length; k++) {
        const hit = found[k]!;
        hits ??= new Map();
        const list = hits.get(hit.pattern);
        if (!list) hits.set(hit.pattern, [hit]);
        // Occurrences beyond the cap are not looked at, so a story repeating a term costs a bounded
        // amount. A pattern's hits are listed field by field, so this field's are the list's last.
        else if (list.length < LIMITS.occurrencesPerTerm || list[list.length - LIMITS.occurrencesPerTerm]!.field !== field) list.push(hit);
      }
    }
    return hits;
  }

  /** A number no mark in `nominatedBy` holds yet; the marks start over once the numbers run out. */
  private nextMatchNumber(): number {
    if (this.matchNumber === 0xffffffff) {
      this.nominatedBy.fill(0);
      this.matchNumber = 0;
    }
    return ++this.matchNumber;
  }

  /** Compiles everything into a fresh automaton (at start, and when dead patterns pile up). */
  private rebuild(): void {
    this.automaton = new PatternAutomaton();
    this.library = compileEntities(this.entityDefinitions, this.automaton, () => undefined);
    // compileEntities compiles an entity named in another's context first: the definitions give the order.
    this.libraryInOrder = this.entityDefinitions.map((definition) => this.library.get(definition.id)!);
    this.libraryByPattern = indexEntities(this.libraryInOrder);
    const position = new Map(this.libraryInOrder.map((entity, index) => [entity, index]));
    this.libraryPositionsByPattern = new Map([...this.libraryByPattern].map(([pattern, entities]) => [pattern, entities.map((entity) => position.get(entity)!)]));
    // An entity's context or exclusion may look at the source or the link.
    const libraryFields = new Set<Field>(DEFAULT_FIELDS);
    for (const entity of this.libraryInOrder) for (const inner of [entity.context, entity.exclude]) if (inner) fieldsOf(inner, libraryFields);
    this.libraryFields = [...libraryFields];
    const lookup = (id: string) => this.library.get(id);
    this.compiled = new Map();
    for (const definition of this.definitions.values()) {
      this.compiled.set(definition.id, compileWatchlist(definition, this.automaton, lookup));
    }
    this.reindex(false);
  }

  /** Rebuilds the pattern → watchlists index and the set of fields worth scanning. */
  private reindex(allowRebuild = true): void {
    const index = new Map<number, number[]>();
    const fields = new Set<Field>(['title', 'summary']);
    const inOrder: CompiledWatchlist[] = [];
    const entities = new Set<CompiledEntity>();
    for (const id of this.definitions.keys()) {
      const watchlist = this.compiled.get(id);
      if (!watchlist) continue;
      const position = inOrder.push(watchlist) - 1;
      for (const pattern of watchlist.triggers) {
        const positions = index.get(pattern);
        if (positions) positions.push(position);
        else index.set(pattern, [position]);
      }
      fieldsOf(watchlist.positive, fields);
      if (watchlist.exclude) fieldsOf(watchlist.exclude, fields);
      entitiesOf(watchlist.positive, entities);
      if (watchlist.exclude) entitiesOf(watchlist.exclude, entities);
    }
    this.triggerIndex = index;
    this.entitiesByPattern = indexEntities(entities);
    this.fields = [...fields];
    this.inOrder = inOrder;
    this.nominatedBy = new Uint32Array(inOrder.length);
    // Replaced watchlists leave patterns nobody uses in the automaton; start afresh when they dominate.
    if (allowRebuild && this.automaton.size > 1000 && this.automaton.size > 2 * this.livePatterns()) this.rebuild();
  }

  private livePatterns(): number {
    const live = new Set<number>();
    for (const entity of this.library.values()) patternsOfEntity(entity, live);
    for (const watchlist of this.compiled.values()) {
      patternsOf(watchlist.positive, live);
      if (watchlist.exclude) patternsOf(watchlist.exclude, live);
    }
    return live.size;
  }
}

/** Compiles the watchlists (and the shared entity library) into one matcher. */
export function compileWatchlists(
  watchlists: readonly WatchlistDefinition[],
  entities: readonly EntityDefinition[] = [],
): WatchlistMatcher {
  return new WatchlistMatcher({ watchlists, entities });
}
