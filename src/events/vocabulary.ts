/**
 * A story's text → the weighted terms the clusterer compares. Built on what watch/ already
 * knows: its folding (case, accents, word breaks), its automaton for the concept lexicon, and
 * its matcher for the configured entities — aliases in both languages, ambiguous ones only in
 * their context, exclusions honoured — so "El Mayo", "Ismael Zambada" and "Mayo Zambada" are one
 * term, and "Cártel Jalisco Nueva Generación" is "Jalisco New Generation Cartel".
 *
 *   concept     a lexicon concept ("handover", "tariff", "canada")     lexicon.ts weights
 *   @entity     a configured entity ("@el_mayo")                       WEIGHTS.entity
 *   @entity:a   one alias of an entity whose aliases are distinct things ("@us_courts:brooklyn")
 *   #26         a number (years weigh less)
 *   word        any other word: folded, plural "s" dropped, cut to its first STEM_LENGTH letters,
 *               so cognates meet ("presidente", "president" → "presid")
 */
import { PatternAutomaton, type PatternHit } from '../watch/automaton.js';
import { FoldBuffer, tokenize, tokensOf, type Token } from '../watch/fold.js';
import { aliasTerm, type EntityDefinition } from '../watch/definition.js';
import { compileWatchlists, type WatchlistMatcher } from '../watch/matcher.js';
import { CONCEPTS, NUMBER_WORDS, STOPWORDS, WEIGHTS } from './lexicon.js';
import { sortSmall } from '../sort-small.js';

/** Plain words are cut to this many letters: enough to keep words apart, short enough for cognates to meet. */
export const STEM_LENGTH = 6;
/** Only the start of a long description is read: the lead says what happened, the rest is background. */
export const DESCRIPTION_CHARS = 600;
/**
 * Only the start of a title this long is read (feeds already clip titles to 500 characters; this
 * bounds a story's terms, and so its cost and its event's stored record, whoever calls).
 */
export const TITLE_CHARS = 500;
/** A term found only in the description counts this much of its weight (the title says what the story is). */
export const DESCRIPTION_FACTOR = 0.5;

export interface StoryText {
  title: string;
  description?: string | null;
  /** 'en', 'es' or another language; null when unknown. */
  language?: string | null;
}

export interface StoryTerms {
  /** Each term and its weight before inverse document frequency: prior × field factor. */
  weights: Map<string, number>;
  /** The words of this story each term came from, for explanations. */
  surface: Map<string, string>;
  /** Stages named in the title. */
  titleStages: Set<string>;
  /** Stages named anywhere (title or description). */
  stages: Set<string>;
  /** Numbers in the title (years and days of a month excluded). */
  titleNumbers: Set<string>;
  /** Dates in the title ("apr-2"). */
  titleDates: Set<string>;
  /** Countries other than the United States named in the title, and anywhere; the same for goods. */
  titleCountries: Set<string>;
  countries: Set<string>;
  titleGoods: Set<string>;
  goods: Set<string>;
  /**
   * Who the title is about: each named entity it names, and each name in quotes as the terms of
   * its words joined by PROTAGONIST_JOINER ("flaco+monel": one name, not two).
   */
  titleProtagonists: Set<string>;
}

interface ConceptEntry {
  concept: string;
  weight: number;
  stage: string | null;
  language: string | null;
  /** Written in capitals: matches only text in capitals. */
  capitals: boolean;
  country: boolean;
  good: boolean;
}

type Field = 'title' | 'summary';
/** Adds a term found at [start, end) of the field's text. */
type AddTerm = (term: string, prior: number, start: number, end: number) => void;

interface EntityHit {
  term: string;
  weight: number;
  /** A named person or organisation: neither a list of common words nor one of distinct things. */
  protagonist: boolean;
  /** Offsets in the field's text: [start, end). */
  start: number;
  end: number;
}

const YEAR = /^(19|20)\d\d$/;
/** Numbers below this ("two judges", "3 charges") weigh little and do not say what a story is about. */
const SMALL_NUMBER = 5;
/** A capitalised phrase of up to 40 characters between quotes, standing alone. */
const QUOTED_NAME = /(^|[\s([:;,])["“„«‘'](\p{Lu}[^"“”„«»‘’']{0,39}?)["”“»’'](?=$|[\s),.;:!?])/gu;
export const PROTAGONIST_JOINER = '+';
/** What a word went into: a concept, an entity, or a concept that is a month or weekday (see readField). */
const COVERED_BY_CONCEPT = 1;
const COVERED_BY_ENTITY = 2;
const COVERED_BY_CALENDAR = 3;
/** Words after a number that make it a duration (a Map: a story's word is never a key of Object.prototype). */
const DURATION_UNITS: ReadonlyMap<string, string> = new Map(Object.entries({
  day: 'days', days: 'days', dia: 'days', dias: 'days', week: 'weeks', weeks: 'weeks', semana: 'weeks', semanas: 'weeks',
  month: 'months', months: 'months', mes: 'months', meses: 'months', year: 'years', years: 'years', ano: 'years', anos: 'years',
}));

function capitalsOnly(text: string): boolean {
  return /\p{Lu}/u.test(text) && !/\p{Ll}/u.test(text);
}

/** Folded plain word → its stem: plural "s" dropped, cut to STEM_LENGTH letters. */
export function stemOf(word: string): string {
  let stem = word;
  if (stem.length > 3 && stem.endsWith('s') && !/(ss|us|is)$/.test(stem)) stem = stem.slice(0, -1);
  return stem.length > STEM_LENGTH ? stem.slice(0, STEM_LENGTH) : stem;
}

/** The digits a folded word starts with ("26", "1st" → "1"), or undefined: a loop, not a RegExp, for every word of every story. */
function leadingDigits(word: string): string | undefined {
  let end = 0;
  while (end < word.length) {
    const code = word.charCodeAt(end);
    if (code < 0x30 || code > 0x39) break;
    end++;
  }
  return end === 0 ? undefined : word.slice(0, end);
}

/**
 * The tokens lying inside [start, end), as the range [first, last) of their indexes. Tokens are
 * in text order and do not overlap, so those are one run: found by a binary search, not by a
 * walk over every token for every entity a story names.
 */
function tokensWithin(tokens: readonly Token[], start: number, end: number): [first: number, last: number] {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (tokens[middle]!.start < start) low = middle + 1;
    else high = middle;
  }
  let last = low;
  while (last < tokens.length && tokens[last]!.end <= end) last++;
  return [low, last];
}

/** The start of a long text, at most `limit` characters, cut at a word boundary. */
function leadOf(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf(' ', limit);
  return text.slice(0, cut > limit / 2 ? cut : limit);
}

export class StoryVocabulary {
  private readonly lexicon = new PatternAutomaton();
  private readonly entries: ConceptEntry[][] = [];
  private readonly entityMatcher: WatchlistMatcher;
  private readonly distinct = new Set<string>();
  /** Entities that are lists of common words (prisoners, capos, traffickers) rather than names. */
  private readonly vocabularyLike = new Set<string>();
  /** Concept → whether it says what a story is about (ConceptDefinition.anchor). */
  private readonly anchorConcepts = new Map<string, boolean>();
  /** A story's title and description lead, folded; reused from story to story (`terms` is synchronous). */
  private readonly foldedTitle = new FoldBuffer();
  private readonly foldedSummary = new FoldBuffer();
  /** See foldedAlias: holds at most the library's aliases, since only they are asked for. */
  private readonly foldedAliases = new Map<string, string>();

  constructor(entities: readonly EntityDefinition[]) {
    for (const definition of CONCEPTS) {
      this.anchorConcepts.set(definition.concept, definition.anchor ?? false);
      for (const raw of definition.patterns.split(',')) {
        const text = raw.trim();
        const pattern = this.lexicon.add(aliasTerm(text).words);
        (this.entries[pattern] ??= []).push({
          concept: definition.concept,
          weight: definition.weight,
          stage: definition.stage ?? null,
          language: definition.language ?? null,
          capitals: capitalsOnly(text),
          country: definition.country ?? false,
          good: definition.good ?? false,
        });
      }
    }
    for (const entity of entities) {
      if (entity.distinct_aliases) this.distinct.add(entity.id);
      if (this.isVocabularyLike(entity)) this.vocabularyLike.add(entity.id);
    }
    // The matcher says which entities a story names, with each entity's context and exclusion
    // applied exactly as for alerts.
    this.entityMatcher = compileWatchlists([], entities);
  }

  /**
   * Whether a term says what a story is about — a name, a number, a date, a country other than
   * the two, a good, any word the lexicon does not know — rather than what kind of story it is
   * (a stage, the desk's common words, Mexico and the US, a weekday).
   */
  isAnchor(term: string): boolean {
    if (term.startsWith('#')) return Number.parseInt(term.slice(1), 10) >= SMALL_NUMBER;
    if (term.startsWith('date:')) return true;
    if (term.startsWith('@')) return !this.vocabularyLike.has(term.slice(1).split(':')[0]!);
    const concept = this.anchorConcepts.get(term);
    if (concept !== undefined) return concept;
    return !term.includes(':');
  }

  /** The story's terms, weights, stages and title numbers. */
  terms(story: StoryText): StoryTerms {
    const language = story.language === 'en' || story.language === 'es' ? story.language : null;
    const title = leadOf(story.title, TITLE_CHARS);
    const summary = leadOf(story.description ?? '', DESCRIPTION_CHARS);
    const result: StoryTerms = { weights: new Map(), surface: new Map(), titleStages: new Set(), stages: new Set(), titleNumbers: new Set(), titleDates: new Set(), titleCountries: new Set(), countries: new Set(), titleGoods: new Set(), goods: new Set(), titleProtagonists: new Set() };
    // Each field folded once, for the entities' automaton, the lexicon's and the words.
    const folded = { title: this.foldedTitle.fill(title), summary: this.foldedSummary.fill(summary) };
    const entityHits = this.entityHits({ title, summary }, folded);
    this.readField(title, folded.title, 'title', language, entityHits.title, result);
    if (summary) this.readField(summary, folded.summary, 'summary', language, entityHits.summary, result);
    return result;
  }

  /** Where the configured entities are named, per field. */
  private entityHits(input: { title: string; summary: string }, folded: Record<Field, FoldBuffer>): Record<Field, EntityHit[]> {
    const hits: Record<Field, EntityHit[]> = { title: [], summary: [] };
    for (const { entity, aliases } of this.entityMatcher.entitiesNamed(input, folded)) {
      const distinct = this.distinct.has(entity);
      const vocabularyLike = this.vocabularyLike.has(entity);
      const weight = vocabularyLike ? WEIGHTS.common : WEIGHTS.entity;
      const protagonist = !vocabularyLike && !distinct;
      for (const alias of aliases) {
        if (alias.field !== 'title' && alias.field !== 'summary') continue;
        const term = distinct ? `@${entity}:${this.foldedAlias(alias.term)}` : `@${entity}`;
        hits[alias.field].push({ term, weight, protagonist, start: alias.start, end: alias.end });
      }
    }
    return hits;
  }

  /** An alias's words, folded ("Corte de Brooklyn" → "corte de brooklyn"): worked out once per alias of the library, not per hit. */
  private foldedAlias(alias: string): string {
    let words = this.foldedAliases.get(alias);
    if (words === undefined) {
      words = tokenize(alias).map((token) => token.text).join(' ');
      this.foldedAliases.set(alias, words);
    }
    return words;
  }

  /** Reads one field: `text`, folded into `folded`. */
  private readField(text: string, folded: FoldBuffer, field: Field, language: string | null, entityHits: readonly EntityHit[], into: StoryTerms): void {
    const tokens = tokensOf(folded);
    const factor = field === 'title' ? 1 : DESCRIPTION_FACTOR;
    const covered = new Uint8Array(tokens.length);
    /** The term each word of the title went into, for the names in quotes (a description has none to read). */
    const termOf: (string | undefined)[] | null = field === 'title' ? [] : null;
    /** The term, from the words at [start, end) of the text (sliced only for the term's first words). */
    const add: AddTerm = (term, prior, start, end) => {
      const weight = prior * factor;
      if ((into.weights.get(term) ?? 0) < weight) into.weights.set(term, weight);
      if (!into.surface.has(term)) into.surface.set(term, text.slice(start, end));
    };
    // Concepts: the longest match wins where matches overlap ("pena de muerte" is the death
    // penalty, not a killing; "se entrega" is a surrender, not a handover).
    const { kept, ambiguous } = this.conceptHits(text, language, folded);
    for (const { hit, entry } of kept) {
      // A month or weekday does not hide a name made of it ("El Mayo"): see the entities below.
      const coveredBy = entry.weight === WEIGHTS.calendar ? COVERED_BY_CALENDAR : COVERED_BY_CONCEPT;
      for (let w = hit.firstWord; w <= hit.lastWord; w++) {
        covered[w] = coveredBy;
        if (termOf) termOf[w] = entry.concept;
      }
      add(entry.concept, entry.weight, hit.start, hit.end);
      this.noteFacets(entry, field, into);
      if (entry.concept.startsWith('month:')) this.readDate(entry.concept.slice(6), hit, tokens, field, covered, add, into);
    }
    // Entities, unless every content word of the alias is already a concept ("a Estados Unidos").
    for (const hit of entityHits) {
      const [first, last] = tokensWithin(tokens, hit.start, hit.end);
      let hidden = true;
      for (let index = first; index < last && hidden; index++) {
        const content = !STOPWORDS.has(tokens[index]!.text) && !ambiguous.has(index);
        if (content && covered[index] !== COVERED_BY_CONCEPT) hidden = false;
      }
      if (hidden) continue;
      for (let index = first; index < last; index++) {
        covered[index] = COVERED_BY_ENTITY;
        if (termOf) termOf[index] = hit.term;
      }
      add(hit.term, hit.weight, hit.start, hit.end);
      if (field === 'title' && hit.protagonist) into.titleProtagonists.add(hit.term);
    }
    for (let index = 0; index < tokens.length; index++) {
      if (covered[index]) continue;
      const term = this.readWord(tokens[index]!, tokens[index + 1]?.text, field, language, add, into);
      if (termOf) termOf[index] = term;
    }
    if (termOf) this.readQuotedNames(text, tokens, termOf, into);
  }

  private noteFacets(entry: ConceptEntry, field: Field, into: StoryTerms): void {
    if (entry.stage) {
      into.stages.add(entry.stage);
      if (field === 'title') into.titleStages.add(entry.stage);
    }
    if (entry.country) {
      into.countries.add(entry.concept);
      if (field === 'title') into.titleCountries.add(entry.concept);
    }
    if (entry.good) {
      into.goods.add(entry.concept);
      if (field === 'title') into.titleGoods.add(entry.concept);
    }
  }

  /** A short capitalised phrase in quotes in a title is a name ("El Mencho", «Fito»): its words are the story's protagonists. */
  private readQuotedNames(text: string, tokens: readonly Token[], termOf: readonly (string | undefined)[], into: StoryTerms): void {
    for (const quoted of text.matchAll(QUOTED_NAME)) {
      const start = quoted.index + quoted[0].length - quoted[2]!.length - 1;
      const end = start + quoted[2]!.length;
      const name = new Set<string>();
      tokens.forEach((token, index) => {
        const term = termOf[index];
        if (term && token.start >= start && token.end <= end && this.isAnchor(term)) name.add(term);
      });
      if (name.size > 0) into.titleProtagonists.add([...name].join(PROTAGONIST_JOINER));
    }
  }

  /** A day next to a month ("April 2", "Aug. 1", "2 de abril") is a date, not a count. */
  private readDate(
    month: string,
    hit: PatternHit,
    tokens: readonly Token[],
    field: Field,
    covered: Uint8Array,
    add: AddTerm,
    into: StoryTerms,
  ): void {
    const isDay = (index: number) => index >= 0 && index < tokens.length && /^\d{1,2}$/.test(tokens[index]!.text) && Number(tokens[index]!.text) <= 31;
    const before = tokens[hit.firstWord - 1]?.text === 'de' ? hit.firstWord - 2 : hit.firstWord - 1;
    const day = isDay(hit.lastWord + 1) ? hit.lastWord + 1 : isDay(before) ? before : -1;
    if (day < 0 || covered[day]) return;
    covered[day] = COVERED_BY_CONCEPT;
    const date = `${month}-${Number(tokens[day]!.text)}`;
    add(`date:${date}`, WEIGHTS.date, Math.min(tokens[day]!.start, hit.start), Math.max(tokens[day]!.end, hit.end));
    if (field === 'title') into.titleDates.add(date);
  }

  private readWord(
    token: Token,
    nextWord: string | undefined,
    field: Field,
    language: string | null,
    add: AddTerm,
    into: StoryTerms,
  ): string | undefined {
    const word = token.text;
    const numberWord = language ? NUMBER_WORDS[language as 'en' | 'es'].get(word) : undefined;
    const digits = numberWord ?? leadingDigits(word);
    if (digits !== undefined) {
      const value = String(Number(digits));
      if (YEAR.test(value)) {
        add(`year:${value}`, WEIGHTS.year, token.start, token.end);
        return `year:${value}`;
      }
      // "29 years" is a sentence, "29 narcos" a count: a duration keeps its unit.
      const unit = nextWord === undefined ? undefined : DURATION_UNITS.get(nextWord);
      const number = unit ? `${value}-${unit}` : value;
      add(`#${number}`, Number(value) < SMALL_NUMBER ? WEIGHTS.smallNumber : WEIGHTS.number, token.start, token.end);
      if (field === 'title') into.titleNumbers.add(number);
      return `#${number}`;
    }
    if (word.length < 3 || STOPWORDS.has(word)) return undefined;
    const stem = stemOf(word);
    if (STOPWORDS.has(stem)) return undefined;
    add(stem, WEIGHTS.word, token.start, token.end);
    return stem;
  }

  /**
   * An entity most of whose aliases are words of the lexicon ("prisoners", "capos", "to the US")
   * names a kind of thing, not one thing: it weighs as a common word, not as a name.
   */
  private isVocabularyLike(entity: EntityDefinition): boolean {
    const aliases = [...entity.aliases, ...entity.ambiguous_aliases];
    const known = aliases.filter((alias) => {
      const text = alias.replace(/\*/g, '');
      const { kept } = this.conceptHits(text, null);
      const tokens = tokenize(text);
      const covered = new Set<number>();
      for (const { hit } of kept) for (let w = hit.firstWord; w <= hit.lastWord; w++) covered.add(w);
      return tokens.length > 0 && tokens.every((token, index) => covered.has(index) || STOPWORDS.has(token.text));
    });
    return known.length * 2 >= aliases.length;
  }

  /**
   * Concept matches of the text, in this language, the longest kept where they overlap; and the
   * words of matches refused for their case (a lower-case "us"), which say nothing either way.
   */
  private conceptHits(
    text: string,
    language: string | null,
    folded?: FoldBuffer,
  ): { kept: { hit: PatternHit; entry: ConceptEntry }[]; ambiguous: Set<number> } {
    const candidates: { hit: PatternHit; entry: ConceptEntry }[] = [];
    const ambiguous = new Set<number>();
    for (const hit of folded ? this.lexicon.scanFolded(folded) : this.lexicon.scan(text)) {
      for (const entry of this.entries[hit.pattern] ?? []) {
        // A word whose meaning depends on the language ("EU", "son") is skipped when the language is unknown.
        if (entry.language && entry.language !== language) continue;
        if (entry.capitals && !capitalsOnly(text.slice(hit.start, hit.end))) {
          for (let w = hit.firstWord; w <= hit.lastWord; w++) ambiguous.add(w);
          continue;
        }
        candidates.push({ hit, entry });
      }
    }
    sortSmall(candidates, (a, b) => b.hit.lastWord - b.hit.firstWord - (a.hit.lastWord - a.hit.firstWord) || a.hit.start - b.hit.start);
    let words = 0;
    for (const { hit } of candidates) words = Math.max(words, hit.lastWord + 1);
    const taken = new Uint8Array(words);
    const kept: { hit: PatternHit; entry: ConceptEntry }[] = [];
    for (const candidate of candidates) {
      const { firstWord, lastWord } = candidate.hit;
      let free = true;
      for (let w = firstWord; w <= lastWord && free; w++) if (taken[w]) free = false;
      if (!free) continue;
      taken.fill(1, firstWord, lastWord + 1);
      kept.push(candidate);
    }
    return { kept, ambiguous };
  }
}
