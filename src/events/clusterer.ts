/**
 * The online story clusterer: each story, in arrival order, joins the best open event or opens a
 * new one. An event is open while its latest story is within the window (EVENT_WINDOW) of the
 * new story.
 *
 * How a story is compared (docs/decisions/011-event-clustering.md):
 *  - its terms (vocabulary.ts) are weighted by prior × inverse document frequency in the window;
 *  - it is compared, by cosine, with the centroids of the open events that share its rarest anchor
 *    terms — found through an inverted index by term, never by a walk over every event;
 *  - it must share the event's subject: enough of their anchor terms (names, numbers, dates,
 *    goods, other words the lexicon does not know) — not only the kind of story;
 *  - gates (record.ts) keep apart different events about the same people, the same kind of
 *    event about other people, countries or goods, because a wrong merge hides an alert while a
 *    split only repeats one;
 *  - the best candidate joins when its cosine reaches JOIN_THRESHOLD; otherwise a new event opens.
 *
 * The state — open events with their centroids and what the gates compare — is plain data
 * (EventRecord), so it can be stored and rebuilt (see tracker.ts).
 */
import { sha1Hex } from '../hash.js';
import { addFacets, emptyRecord, gate, type EventRecord, type Rejection, type StoryRef } from './record.js';
import type { StoryTerms, StoryVocabulary } from './vocabulary.js';
import { sortSmall } from '../sort-small.js';

export type { EventRecord, Rejection, StoryRef } from './record.js';

/** Cosine between a story and an event's centroid at or above which the story joins it. */
export const JOIN_THRESHOLD = 0.2;
/**
 * The cosine over anchor terms (names, numbers, dates, countries, goods, words the lexicon does
 * not know) below which a story does not join, however alike the rest: two extraditions the same
 * week share "extradite", "cartel" and "United States", not the person.
 */
export const MIN_SHARED_SUBJECT = 0.15;
/** The share of anchor terms a story needs with an event when they have only one anchor term in common. */
export const SINGLE_ANCHOR_SUBJECT = 0.5;
/** Stories of an event that shape its centroid; later ones still join and are counted. */
export const CENTROID_STORIES = 50;
/** Stories of an event listed in its record (the first and the latest). */
export const LISTED_STORIES = 20;
/** Open events kept at most; past it the least recently active are closed first. */
export const MAX_OPEN_EVENTS = 50_000;
/** Smoothing of the inverse document frequency: a window of a few stories teaches little. */
const IDF_SMOOTHING = 20;
/** The most a rare term is boosted: a window full of other stories should not let one rare word decide. */
const MAX_IDF = 3;
/** Postings read per story, rarest anchor terms first (the rarest list is always read whole). */
const POSTINGS_BUDGET = 300;
/** Candidates scored in full per story: those sharing most of its rarest anchor terms. */
const SCORED_CANDIDATES = 24;
/** Shared terms listed in an explanation. */
const EXPLAINED_TERMS = 8;

export interface ClusterStory {
  title: string;
  description?: string | null;
  language?: string | null;
  /** When the story was published (epoch ms): what the window is measured on. */
  publishedAt: number;
  link?: string | null;
  /** The story's id in the pipeline, kept in the event's list of stories. */
  id?: string | null;
  /** The outlet, kept in the event's list of stories. */
  source?: string | null;
}

export interface SharedTerm {
  term: string;
  /** The words of the new story it came from. */
  text: string;
  /** Its share of the cosine. */
  contribution: number;
}

export interface Assignment {
  eventId: string;
  /** The story opened the event. */
  isNew: boolean;
  /** Cosine with the event joined; for a new event, with the best candidate (0 when none). */
  score: number;
  /** The terms shared with the event joined (or the best candidate), heaviest first. */
  sharedTerms: SharedTerm[];
  /** For a new event: the best candidate that was not joined and why (null when there was none). */
  nearest: { eventId: string; title: string; score: number; rejected: Rejection } | null;
  /** The event after this story: its id, first story's title, counts and times. */
  event: { id: string; title: string; storyCount: number; firstAt: number; lastAt: number };
}

interface QueryTerm {
  term: string;
  weight: number;
  anchor: boolean;
}

interface Query {
  terms: StoryTerms;
  weights: ReadonlyMap<string, number>;
  list: QueryTerm[];
  norm: number;
  anchorNorm: number;
}

interface Scored {
  event: OpenEvent;
  score: number;
  subject: number;
  anchorsShared: number;
}

interface OpenEvent {
  record: EventRecord;
  /** term → summed weight: the centroid, as a Map for lookups. */
  centroid: Map<string, number>;
  norm: number;
  /** The norm of the centroid's anchor terms (StoryVocabulary.isAnchor). */
  anchorNorm: number;
  /** Scratch space of the candidate search: its share of the story's rarest anchor terms, valid while searchMark is current. */
  share: number;
  searchMark: number;
}

export interface ClustererOptions {
  vocabulary: StoryVocabulary;
  windowMs: number;
  joinThreshold?: number;
  minSharedSubject?: number;
  maxOpenEvents?: number;
  /** Compare each story with every open event instead of those the index finds: the baseline the index is measured against. */
  exhaustive?: boolean;
}

function normOf(centroid: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const weight of centroid.values()) sum += weight * weight;
  return Math.sqrt(sum);
}

export class EventClusterer {
  readonly windowMs: number;
  private readonly vocabulary: StoryVocabulary;
  private readonly joinThreshold: number;
  private readonly minSharedSubject: number;
  private readonly maxOpenEvents: number;
  private readonly exhaustive: boolean;
  private readonly events = new Map<string, OpenEvent>();
  /** Anchor term → the open events whose centroid has it, with its weight there (only anchor terms nominate candidates). */
  private readonly postings = new Map<string, Map<OpenEvent, number>>();
  /** Marks the events a story's candidate search touched, so their scratch shares need no map. */
  private searchMark = 0;
  /** term → stories of the centroids that have it; and how many stories that is in all. */
  private readonly documentFrequency = new Map<string, number>();
  private documents = 0;
  /** The latest time seen: the clock of the window. */
  private clock = Number.NEGATIVE_INFINITY;
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  private readonly changed = new Set<string>();
  private readonly closed = new Set<string>();

  constructor(options: ClustererOptions) {
    this.vocabulary = options.vocabulary;
    this.windowMs = options.windowMs;
    this.joinThreshold = options.joinThreshold ?? JOIN_THRESHOLD;
    this.minSharedSubject = options.minSharedSubject ?? MIN_SHARED_SUBJECT;
    this.maxOpenEvents = options.maxOpenEvents ?? MAX_OPEN_EVENTS;
    this.exhaustive = options.exhaustive ?? false;
  }

  /** Open events. */
  get size(): number {
    return this.events.size;
  }

  /**
   * Assigns one story. `now` (default: the story's time) moves the window's clock; a story
   * dated after `now` counts as published at `now`.
   */
  assign(story: ClusterStory, now: number = story.publishedAt): Assignment {
    this.advance(now);
    const at = Math.min(story.publishedAt, now);
    const terms = this.vocabulary.terms(story);
    const weights = this.weigh(terms);
    const query = this.query(terms, weights);
    const { accepted, refused } = this.bestCandidates(query, at);
    if (accepted && accepted.score >= this.joinThreshold) {
      const shared = this.shared(query, accepted.event);
      this.join(accepted.event, story, at, terms, weights);
      return this.assignment(accepted.event, false, accepted.score, shared, null);
    }
    // Why it opens a new event: the closest event it did not join.
    const nearest =
      accepted && (!refused || accepted.score >= refused.score) ? { ...accepted, rejected: 'below threshold' as const } : refused;
    const shared = nearest ? this.shared(query, nearest.event) : [];
    const event = this.open(story, at, terms, weights);
    if (!nearest) return this.assignment(event, true, 0, [], null);
    const { record } = nearest.event;
    return this.assignment(event, true, nearest.score, shared, {
      eventId: record.id,
      title: record.stories[0]?.title ?? '',
      score: nearest.score,
      rejected: nearest.rejected,
    });
  }

  /** Closes events whose latest story is older than the window; returns their ids. */
  prune(now: number): string[] {
    this.clock = Math.max(this.clock, now);
    this.lastPruneAt = this.clock;
    const cutoff = this.clock - this.windowMs;
    const closed: string[] = [];
    for (const [id, event] of this.events) if (event.record.lastAt < cutoff) closed.push(id);
    for (const id of closed) this.close(id);
    return closed;
  }

  /** The open events, as stored. */
  records(): EventRecord[] {
    return [...this.events.values()].map((event) => event.record);
  }

  record(id: string): EventRecord | undefined {
    return this.events.get(id)?.record;
  }

  /** Replaces the state with these events (a start-up, or another replica having written). */
  load(records: readonly EventRecord[], now: number): void {
    this.events.clear();
    this.postings.clear();
    this.documentFrequency.clear();
    this.documents = 0;
    this.changed.clear();
    this.closed.clear();
    for (const record of records) this.index(record);
    this.clock = Math.max(this.clock, now);
    this.prune(now);
    this.closed.clear();
  }

  /** Events changed and closed since the last call: what a store must write and delete. */
  takeChanges(): { changed: EventRecord[]; closed: string[] } {
    const changed = [...this.changed].flatMap((id) => {
      const event = this.events.get(id);
      return event ? [event.record] : [];
    });
    const closed = [...this.closed];
    this.changed.clear();
    this.closed.clear();
    return { changed, closed };
  }

  private advance(now: number): void {
    if (now > this.clock) this.clock = now;
    // Pruning is bookkeeping (candidates are checked against the window anyway): at most every
    // hundredth of the window of the clock's progress.
    if (this.clock - this.lastPruneAt >= this.windowMs / 100) this.prune(this.clock);
  }

  /** Weights after inverse document frequency in the window, as it is before this story. */
  private weigh(terms: StoryTerms): Map<string, number> {
    const weights = new Map<string, number>();
    for (const [term, prior] of terms.weights) {
      const frequency = this.documentFrequency.get(term) ?? 0;
      const idf = Math.min(MAX_IDF, 1 + Math.log((this.documents + IDF_SMOOTHING) / (frequency + IDF_SMOOTHING)));
      weights.set(term, prior * idf);
    }
    return weights;
  }

  /** The story's terms as the scoring loop reads them, with its norms. */
  private query(terms: StoryTerms, weights: ReadonlyMap<string, number>): Query {
    const list: QueryTerm[] = [];
    let norm = 0;
    let anchorNorm = 0;
    for (const [term, weight] of weights) {
      const anchor = this.vocabulary.isAnchor(term);
      list.push({ term, weight, anchor });
      norm += weight * weight;
      if (anchor) anchorNorm += weight * weight;
    }
    return { terms, weights, list, norm: Math.sqrt(norm), anchorNorm: Math.sqrt(anchorNorm) };
  }

  /**
   * The open events most likely to share the story's subject. The postings of its rarest anchor
   * terms are read first, until POSTINGS_BUDGET, adding up each event's share of those terms;
   * the SCORED_CANDIDATES events with the largest share are scored in full. Common terms still
   * count in the scores; they just do not nominate candidates.
   */
  private candidates(query: Query): Iterable<OpenEvent> {
    if (this.exhaustive) return this.events.values();
    const lists: { weight: number; list: Map<OpenEvent, number> }[] = [];
    for (const { term, weight, anchor } of query.list) {
      const list = anchor ? this.postings.get(term) : undefined;
      if (list) lists.push({ weight, list });
    }
    sortSmall(lists, (a, b) => a.list.size - b.list.size);
    const mark = ++this.searchMark;
    const touched: OpenEvent[] = [];
    let read = 0;
    for (const { weight, list } of lists) {
      if (read + list.size > POSTINGS_BUDGET && touched.length > 0) break;
      read += list.size;
      list.forEach((other, event) => {
        if (event.searchMark !== mark) {
          event.searchMark = mark;
          event.share = 0;
          touched.push(event);
        }
        event.share += (weight * other) / event.anchorNorm;
      });
    }
    if (touched.length <= SCORED_CANDIDATES) return touched;
    return touched.sort((a, b) => b.share - a.share).slice(0, SCORED_CANDIDATES);
  }

  /**
   * The best open event the story may join, and the best one a gate refused above it. Scores
   * first, for every candidate; the gates only for the best ones, in order of score.
   */
  private bestCandidates(query: Query, at: number): { accepted: Scored | null; refused: (Scored & { rejected: Rejection }) | null } {
    const scored: Scored[] = [];
    if (query.norm > 0) {
      for (const event of this.candidates(query)) {
        if (at - event.record.lastAt > this.windowMs || event.record.firstAt - at > this.windowMs) continue;
        scored.push({ event, ...this.similarity(query, event) });
      }
    }
    sortSmall(scored, (a, b) => b.score - a.score);
    let refused: (Scored & { rejected: Rejection }) | null = null;
    for (const candidate of scored) {
      const rejected = this.sharesSubject(query, candidate) ? gate(query.terms, candidate.event.record, candidate.event.centroid) : 'no shared subject';
      if (!rejected) return { accepted: candidate, refused };
      refused ??= { ...candidate, rejected };
      // Below the threshold nothing is joined; the best refused one is all an explanation needs.
      if (candidate.score < this.joinThreshold) break;
    }
    return { accepted: null, refused };
  }

  /**
   * Whether the story and the event are about the same thing: enough of their anchor terms in
   * common, and two of them at least unless the one they share is most of it or comes with the
   * same step (the same 37 prisoners sent) — one word a short story happens to share with
   * another ("university", "47") is not a subject.
   */
  private sharesSubject(query: Query, candidate: Scored): boolean {
    if (candidate.subject < this.minSharedSubject) return false;
    if (candidate.anchorsShared >= 2 || candidate.subject >= SINGLE_ANCHOR_SUBJECT) return true;
    return [...query.terms.stages].some((stage) => candidate.event.record.stages.includes(stage));
  }

  /**
   * The cosine with the event's centroid, over all terms (`score`) and over the anchor terms
   * alone (`subject`: how much of what the two are about they share).
   */
  private similarity(query: Query, event: OpenEvent): { score: number; subject: number; anchorsShared: number } {
    let dot = 0;
    let anchorDot = 0;
    let anchorsShared = 0;
    const { centroid } = event;
    for (let i = 0; i < query.list.length; i++) {
      const { term, weight, anchor } = query.list[i]!;
      const other = centroid.get(term);
      if (other === undefined) continue;
      dot += weight * other;
      if (anchor) {
        anchorDot += weight * other;
        anchorsShared++;
      }
    }
    return {
      score: event.norm === 0 ? 0 : dot / (query.norm * event.norm),
      subject: query.anchorNorm === 0 || event.anchorNorm === 0 ? 0 : anchorDot / (query.anchorNorm * event.anchorNorm),
      anchorsShared,
    };
  }

  private anchorNormOf(weights: ReadonlyMap<string, number>): number {
    let sum = 0;
    for (const [term, weight] of weights) if (this.vocabulary.isAnchor(term)) sum += weight * weight;
    return Math.sqrt(sum);
  }

  private shared(query: Query, event: OpenEvent): SharedTerm[] {
    const shared: SharedTerm[] = [];
    for (const { term, weight } of query.list) {
      const other = event.centroid.get(term);
      if (other === undefined) continue;
      shared.push({ term, text: query.terms.surface.get(term) ?? term, contribution: (weight * other) / (query.norm * event.norm) });
    }
    return shared.sort((a, b) => b.contribution - a.contribution || a.term.localeCompare(b.term)).slice(0, EXPLAINED_TERMS);
  }

  private open(story: ClusterStory, at: number, terms: StoryTerms, weights: ReadonlyMap<string, number>): OpenEvent {
    let id = `ev-${sha1Hex(`${story.title}\n${story.publishedAt}\n${story.link ?? ''}`).slice(0, 12)}`;
    for (let n = 2; this.events.has(id); n++) id = `${id.slice(0, 15)}-${n}`;
    const record = emptyRecord(id, at);
    const event = this.index(record);
    this.join(event, story, at, terms, weights);
    if (this.events.size > this.maxOpenEvents) this.closeLeastRecent();
    return event;
  }

  private join(event: OpenEvent, story: ClusterStory, at: number, terms: StoryTerms, weights: ReadonlyMap<string, number>): void {
    const record = event.record;
    record.storyCount++;
    record.firstAt = Math.min(record.firstAt, at);
    record.lastAt = Math.max(record.lastAt, at);
    addFacets(record, terms);
    const ref: StoryRef = { id: story.id ?? null, title: story.title, link: story.link ?? null, source: story.source ?? null, at };
    record.stories.push(ref);
    // The first story stays listed (it is the alert); the latest ones follow it.
    if (record.stories.length > LISTED_STORIES) record.stories.splice(1, 1);
    if (record.centroidStories < CENTROID_STORIES) {
      record.centroidStories++;
      this.documents++;
      // The norms change only where this story's terms do: updated in place, not recomputed.
      let squares = event.norm * event.norm;
      let anchorSquares = event.anchorNorm * event.anchorNorm;
      for (const [term, weight] of weights) {
        const entry = record.terms[term];
        const before = entry ? entry[0] : 0;
        if (entry) {
          entry[0] += weight;
          entry[1]++;
        } else {
          record.terms[term] = [weight, 1];
          this.post(term, event);
        }
        const after = before + weight;
        event.centroid.set(term, after);
        squares += after * after - before * before;
        if (this.vocabulary.isAnchor(term)) {
          anchorSquares += after * after - before * before;
          this.postings.get(term)!.set(event, after);
        }
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
      event.norm = Math.sqrt(Math.max(0, squares));
      event.anchorNorm = Math.sqrt(Math.max(0, anchorSquares));
    }
    this.changed.add(record.id);
  }

  /** Adds a record to the maps and the index (as it is: loading, or a new event). */
  private index(record: EventRecord): OpenEvent {
    const centroid = new Map<string, number>();
    const event: OpenEvent = { record, centroid, norm: 0, anchorNorm: 0, share: 0, searchMark: 0 };
    for (const [term, [weight, stories]] of Object.entries(record.terms)) {
      centroid.set(term, weight);
      this.post(term, event);
      this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + stories);
    }
    this.documents += record.centroidStories;
    event.norm = normOf(centroid);
    event.anchorNorm = this.anchorNormOf(centroid);
    this.events.set(record.id, event);
    return event;
  }

  private post(term: string, event: OpenEvent): void {
    if (!this.vocabulary.isAnchor(term)) return;
    let list = this.postings.get(term);
    if (!list) this.postings.set(term, (list = new Map<OpenEvent, number>()));
    list.set(event, event.centroid.get(term) ?? 0);
  }

  private close(id: string): void {
    const event = this.events.get(id);
    if (!event) return;
    for (const [term, [, stories]] of Object.entries(event.record.terms)) {
      const list = this.postings.get(term);
      list?.delete(event);
      if (list?.size === 0) this.postings.delete(term);
      const frequency = (this.documentFrequency.get(term) ?? 0) - stories;
      if (frequency > 0) this.documentFrequency.set(term, frequency);
      else this.documentFrequency.delete(term);
    }
    this.documents -= event.record.centroidStories;
    this.events.delete(id);
    this.changed.delete(id);
    this.closed.add(id);
  }

  private closeLeastRecent(): void {
    let oldest: EventRecord | null = null;
    for (const { record } of this.events.values()) if (!oldest || record.lastAt < oldest.lastAt) oldest = record;
    if (oldest) this.close(oldest.id);
  }

  private assignment(event: OpenEvent, isNew: boolean, score: number, sharedTerms: SharedTerm[], nearest: Assignment['nearest']): Assignment {
    const { id, storyCount, firstAt, lastAt, stories } = event.record;
    return { eventId: id, isNew, score, sharedTerms, nearest, event: { id, title: stories[0]?.title ?? '', storyCount, firstAt, lastAt } };
  }
}
