/**
 * Matching throughput: 10,000 synthetic stories of ~600 characters against watchlists holding
 * 10, 1,000 and 10,000 terms (60% single names, 40% two- and three-word phrases, 15% of terms
 * extending another one, as "Brysil" and "Brysil Morquogal"), compared in the same process with
 * the naive approach: one case-insensitive whole-word RegExp per term, tried in turn.
 */
import { compileWatchlists, type MatchInput, type WatchlistMatcher } from '../src/watch/matcher.js';
import { watchlistDefinitionSchema, type WatchlistDefinition } from '../src/watch/definition.js';

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same data. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'bra', 'sil', 'mor', 'quo', 'gal', 'ten', 'vik', 'dra', 'zul', 'pen', 'cor', 'tal', 'mex', 'ran', 'dol', 'fir', 'gun', 'hel', 'jor', 'lum',
  'nas', 'ped', 'rix', 'sov', 'tum', 'ulg', 'ver', 'wan', 'yel', 'zor', 'bek', 'cas', 'dun', 'elm', 'fal', 'gor', 'hus', 'isk', 'jam', 'kel',
];
const FILLER =
  'the officials said on tuesday that talks between both governments would continue next week while markets waited for ' +
  'a decision on trade security migration and the border according to people familiar with the matter who asked not to be named';
const FILLER_ES = 'según fuentes oficiales la reunión de seguridad continuará la próxima semana en la capital del país';

/** An invented name of three or four syllables: 40⁴ of them, so chance collisions with terms are rare. */
function name(next: () => number): string {
  const parts = 3 + Math.floor(next() * 2);
  let word = '';
  for (let i = 0; i < parts; i++) word += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
  return word;
}

function capitalise(text: string): string {
  return text.replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
}

export function makeTerms(count: number, seed = 7): string[] {
  const next = random(seed);
  const terms = new Set<string>();
  while (terms.size < count) {
    const existing = [...terms];
    const roll = next();
    if (roll < 0.15 && existing.length > 0) terms.add(`${existing[Math.floor(next() * existing.length)]} ${name(next)}`);
    else if (roll < 0.55) terms.add(`${name(next)} ${name(next)}${next() < 0.3 ? ` ${name(next)}` : ''}`);
    else terms.add(name(next));
  }
  return [...terms];
}

/** Stories of ~600 characters; about one in ten mentions one or two of the terms. */
export function makeStories(count: number, terms: readonly string[], seed = 11): MatchInput[] {
  const next = random(seed);
  const fillerWords = `${FILLER} ${FILLER_ES}`.split(' ');
  const stories: MatchInput[] = [];
  for (let i = 0; i < count; i++) {
    const words: string[] = [];
    while (words.join(' ').length < 520) words.push(next() < 0.08 ? capitalise(name(next)) : fillerWords[Math.floor(next() * fillerWords.length)]!);
    if (next() < 0.1) words.splice(Math.floor(next() * words.length), 0, capitalise(terms[Math.floor(next() * terms.length)]!));
    if (next() < 0.03) words.splice(Math.floor(next() * words.length), 0, capitalise(terms[Math.floor(next() * terms.length)]!));
    const text = words.join(' ');
    stories.push({ title: `${capitalise(text.slice(0, 80).replace(/\s\S*$/, ''))}`, summary: `${text.slice(80)}.` });
  }
  return stories;
}

/** Watchlists of ten terms each. */
export function makeWatchlists(terms: readonly string[]): WatchlistDefinition[] {
  const lists: WatchlistDefinition[] = [];
  for (let i = 0; i < terms.length; i += 10) lists.push({ id: `w${i / 10}`, name: `W${i / 10}`, terms: terms.slice(i, i + 10) });
  return lists;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The naive approach most bots take: one RegExp per term, every term tried on every story. */
function naiveMatcher(lists: readonly WatchlistDefinition[]) {
  const compiled = lists.map((list) => ({ id: list.id, patterns: (list.terms ?? []).map((t) => new RegExp(`\\b${escapeRegExp(t)}\\b`, 'i')) }));
  return (story: MatchInput): string[] =>
    compiled.filter((list) => list.patterns.some((p) => p.test(story.title) || p.test(story.summary))).map((list) => list.id);
}

/*
 * One timing loop per contender, on purpose: a shared loop taking a callback would make its call
 * site polymorphic and slow both down by a different amount.
 */
function rateOurs(stories: readonly MatchInput[], matcher: WatchlistMatcher, budgetMs: number): number {
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    for (const story of stories) matcher.match(story);
    done += stories.length;
  }
  return done / ((performance.now() - started) / 1000);
}

function rateNaive(stories: readonly MatchInput[], naive: (story: MatchInput) => string[], budgetMs: number): number {
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    for (const story of stories) naive(story);
    done += stories.length;
  }
  return done / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface MatcherRow {
  terms: number;
  storiesPerSecond: number;
  baselinePerSecond: number;
  compileMs: number;
  validateAndCompileMs: number;
  agreement: string;
}

export function benchMatcher(options: { sizes?: number[]; stories?: number; rounds?: number; budgetMs?: number } = {}): MatcherRow[] {
  const sizes = options.sizes ?? [10, 1000, 10000];
  const storyCount = options.stories ?? 10_000;
  const rounds = options.rounds ?? 3;
  const budgetMs = options.budgetMs ?? 1500;
  const rows: MatcherRow[] = [];
  for (const size of sizes) {
    const terms = makeTerms(size);
    const stories = makeStories(storyCount, terms);
    const lists = makeWatchlists(terms);

    let started = performance.now();
    const validated = lists.map((list) => watchlistDefinitionSchema.parse(list));
    const matcher = compileWatchlists(validated);
    const validateAndCompileMs = performance.now() - started;
    started = performance.now();
    compileWatchlists(lists);
    const compileMs = performance.now() - started;
    const naive = naiveMatcher(lists);

    // Both must agree on which watchlists fire, or the comparison means nothing.
    const sample = stories.slice(0, 500);
    const ours = sample.reduce((n, s) => n + matcher.match(s).watchlists.length, 0);
    const theirs = sample.reduce((n, s) => n + naive(s).length, 0);

    // The naive matcher is slow at 10,000 terms; a slice of the stories keeps its rounds short.
    const baselineStories = stories.slice(0, Math.max(200, Math.floor(2_000_000 / size)));
    const ourRates: number[] = [];
    const baselineRates: number[] = [];
    // All of ours first, then the baseline: interleaving them left each measuring the other's
    // garbage and cold caches.
    for (let round = 0; round < rounds; round++) ourRates.push(rateOurs(stories, matcher, budgetMs));
    for (let round = 0; round < rounds; round++) baselineRates.push(rateNaive(baselineStories, naive, budgetMs));
    rows.push({
      terms: size,
      storiesPerSecond: median(ourRates),
      baselinePerSecond: median(baselineRates),
      compileMs,
      validateAndCompileMs,
      agreement: `${ours}/${theirs}`,
    });
  }
  return rows;
}

export function formatMatcherRows(rows: MatcherRow[]): string {
  const header = `${'terms'.padStart(6)} ${'stories/s'.padStart(10)} ${'naive/s'.padStart(9)} ${'ratio'.padStart(7)} ${'compile ms'.padStart(11)} ${'+validation ms'.padStart(15)}  watchlist hits on 500 stories (ours/naive)`;
  return [
    header,
    ...rows.map(
      (r) =>
        `${String(r.terms).padStart(6)} ${r.storiesPerSecond.toFixed(0).padStart(10)} ${r.baselinePerSecond.toFixed(0).padStart(9)} ${`${(r.storiesPerSecond / r.baselinePerSecond).toFixed(1)}×`.padStart(7)} ${r.compileMs.toFixed(0).padStart(11)} ${r.validateAndCompileMs.toFixed(0).padStart(15)}  ${r.agreement}`,
    ),
  ].join('\n');
}
