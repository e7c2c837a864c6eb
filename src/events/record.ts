/**
 * An open event as stored, and the gates that keep a story out of it. A wrong merge hides an
 * alert while a split only repeats one, so each gate refuses a join that the similarity alone
 * would allow:
 *
 *   stage      the story's title names a later step than the event has reached (the plea three
 *              days after the arraignment, the postponement after the announcement; an earlier
 *              step is background: "the capo arrested in 2023 is extradited" — STAGE_ORDER), or
 *              the story speaks of steps but not of the latest one the event's titles report;
 *   numbers    both titles carry numbers and share none ("26 prisoners" is not "29 prisoners");
 *   dates      both titles carry dates and share none ("April 2" is not "March 4");
 *   countries  each title names a country the other never mentions (Colombia's extradition is
 *              not Mexico's); the same for goods (a tariff on steel is not one on cars);
 *   people     each title names someone (an entity, a name in quotes) the other never mentions.
 */
import { STAGE_ORDER } from './lexicon.js';
import { PROTAGONIST_JOINER, type StoryTerms } from './vocabulary.js';

export interface StoryRef {
  id: string | null;
  title: string;
  link: string | null;
  source: string | null;
  at: number;
}

/** An open event as stored: plain, serialisable data. */
export interface EventRecord {
  id: string;
  firstAt: number;
  lastAt: number;
  /** Every story that joined, counted. */
  storyCount: number;
  /** Stories that shaped the centroid (at most CENTROID_STORIES, clusterer.ts). */
  centroidStories: number;
  /** term → [summed weight over the centroid's stories, how many of them have it]. */
  terms: Record<string, [number, number]>;
  /** Stages named by any of its stories, in titles or descriptions; and in titles. */
  stages: string[];
  titleStages: string[];
  /** Numbers in any of its stories' titles. */
  titleNumbers: string[];
  /** Dates ("apr-2") in any of its stories' titles. */
  titleDates: string[];
  /** Countries (the United States aside) named in its stories' titles, and anywhere in them. */
  titleCountries: string[];
  countries: string[];
  /** Goods named in its stories' titles, and anywhere in them. */
  titleGoods: string[];
  goods: string[];
  /** Who its titles are about (StoryTerms.titleProtagonists). */
  titleProtagonists: string[];
  /** The first story and the latest ones, at most LISTED_STORIES (clusterer.ts). */
  stories: StoryRef[];
}

export type Rejection = 'below threshold' | 'no shared subject' | 'stage' | 'numbers' | 'dates' | 'countries' | 'goods' | 'people';

export function emptyRecord(id: string, at: number): EventRecord {
  return {
    id,
    firstAt: at,
    lastAt: at,
    storyCount: 0,
    centroidStories: 0,
    terms: {},
    stages: [],
    titleStages: [],
    titleNumbers: [],
    titleDates: [],
    titleCountries: [],
    countries: [],
    titleGoods: [],
    goods: [],
    titleProtagonists: [],
    stories: [],
  };
}

function addAll(list: string[], values: Iterable<string>): void {
  for (const value of values) if (!list.includes(value)) list.push(value);
}

/** Adds what the gates compare of a story that joins the event. */
export function addFacets(record: EventRecord, terms: StoryTerms): void {
  addAll(record.stages, terms.stages);
  addAll(record.titleStages, terms.titleStages);
  addAll(record.titleNumbers, terms.titleNumbers);
  addAll(record.titleDates, terms.titleDates);
  addAll(record.titleCountries, terms.titleCountries);
  addAll(record.countries, terms.countries);
  addAll(record.titleGoods, terms.titleGoods);
  addAll(record.goods, terms.goods);
  addAll(record.titleProtagonists, terms.titleProtagonists);
}

/** `other` is a later step than `stage` on the same track (see STAGE_ORDER). */
function isLater(other: string, stage: string): boolean {
  const mine = STAGE_ORDER[stage];
  const theirs = STAGE_ORDER[other];
  return mine !== undefined && theirs !== undefined && mine.track === theirs.track && theirs.rank > mine.rank;
}

/** The story's stage is a step the event has not reached: neither one of its stages nor earlier than one. */
function isNewStage(stage: string, eventStages: readonly string[]): boolean {
  return !eventStages.includes(stage) && !eventStages.some((other) => isLater(other, stage));
}

/** Of these stages, the latest on each track, and those off the tracks. */
function latestStages(stages: readonly string[]): string[] {
  return stages.filter((stage) => !stages.some((other) => isLater(other, stage)));
}

/** Each side names in its title something the other never mentions. */
function apart(storyTitle: ReadonlySet<string>, story: ReadonlySet<string>, eventTitle: readonly string[], event: readonly string[]): boolean {
  return [...storyTitle].some((value) => !event.includes(value)) && eventTitle.some((value) => !story.has(value));
}

/** Both have some, and none in common. */
function disjoint(story: ReadonlySet<string>, event: readonly string[]): boolean {
  return story.size > 0 && event.length > 0 && !event.some((value) => story.has(value));
}

/** Why the story may not join the event (whose centroid has the terms in `centroid`), or null when it may. */
export function gate(terms: StoryTerms, record: EventRecord, centroid: ReadonlyMap<string, number>): Rejection | null {
  for (const stage of terms.titleStages) if (isNewStage(stage, record.stages)) return 'stage';
  if (terms.stages.size > 0 && latestStages(record.titleStages).some((stage) => !terms.stages.has(stage))) return 'stage';
  if (disjoint(terms.titleNumbers, record.titleNumbers)) return 'numbers';
  if (disjoint(terms.titleDates, record.titleDates)) return 'dates';
  if (apart(terms.titleCountries, terms.countries, record.titleCountries, record.countries)) return 'countries';
  if (apart(terms.titleGoods, terms.goods, record.titleGoods, record.goods)) return 'goods';
  const storyPeople = [...terms.titleProtagonists];
  if (storyPeople.length > 0 && record.titleProtagonists.length > 0) {
    // A name in quotes counts as known only with all its words ("El Flaco Monel" is not any "Flaco").
    const eventKnows = storyPeople.some((name) => name.split(PROTAGONIST_JOINER).every((term) => centroid.has(term)));
    const storyKnows = record.titleProtagonists.some((name) => name.split(PROTAGONIST_JOINER).every((term) => terms.weights.has(term)));
    if (!eventKnows && !storyKnows) return 'people';
  }
  return null;
}
