/**
 * Extractive summaries: one to three whole sentences of the story's own text, the sentences
 * that hold matched terms chosen first, never cut mid-word, within a length budget.
 * Intl.Segmenter finds sentence ends in English and Spanish alike ("¿Qué pasó? Nada.").
 */

export interface SummaryOptions {
  /** Most characters in the summary (default 320). */
  maxLength?: number;
  /** Most sentences (default 3). */
  maxSentences?: number;
  language?: string | null;
}

export interface Span {
  start: number;
  end: number;
}

interface Sentence extends Span {
  text: string;
  index: number;
}

/** Characters handed to the segmenter at a time. */
const SEGMENT_WINDOW = 4096;

/**
 * Sentence segments of `text`, with offsets into it, found a window at a time: iterating
 * Intl.Segmenter over one long string takes time quadratic in its length (100,000 sentences did
 * not finish in five minutes). Every segment but a window's last is a whole sentence; the last is
 * segmented again at the start of the next window. A sentence longer than a window is cut there.
 */
function* sentenceSegments(text: string, segmenter: Intl.Segmenter): Generator<{ segment: string; index: number }> {
  let from = 0;
  while (from < text.length) {
    const window = text.slice(from, from + SEGMENT_WINDOW);
    const segments = Array.from(segmenter.segment(window));
    const atEnd = from + window.length === text.length;
    const whole = atEnd || segments.length === 1 ? segments.length : segments.length - 1;
    for (let i = 0; i < whole; i++) yield { segment: segments[i]!.segment, index: from + segments[i]!.index };
    from += whole === segments.length ? window.length : segments[whole]!.index;
  }
}

/**
 * One segmenter per language, made once: making one loads the locale's break rules, which costs
 * more than segmenting a whole description. A segmenter holds no state between calls.
 */
const segmenters = new Map<string, Intl.Segmenter>();
const MAX_CACHED_SEGMENTERS = 32;

function segmenterFor(language: string | null | undefined): Intl.Segmenter {
  const locale = language ?? 'en';
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
    // Languages come from feeds: a bounded few are kept, any others made each time.
    if (segmenters.size < MAX_CACHED_SEGMENTERS) segmenters.set(locale, segmenter);
  }
  return segmenter;
}

function splitSentences(text: string, language: string | null | undefined): Sentence[] {
  const segmenter = segmenterFor(language);
  const sentences: Sentence[] = [];
  for (const segment of sentenceSegments(text, segmenter)) {
    const trimmed = segment.segment.trim();
    if (!trimmed) continue;
    const start = segment.index + segment.segment.indexOf(trimmed);
    sentences.push({ text: trimmed, start, end: start + trimmed.length, index: sentences.length });
  }
  return sentences;
}

/** Cuts at the last word boundary that fits, with an ellipsis. */
export function truncateAtWord(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const room = text.slice(0, Math.max(0, maxLength - 1));
  const lastSpace = room.search(/\s\S*$/);
  const cut = lastSpace > 0 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:–—-]+$/u, '')}…`;
}

const normalisedForComparison = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export interface Summary {
  text: string;
  /** Where the matched terms are in `text`, for sinks that can bold them. */
  highlights: Span[];
}

/** The spans once each, in order of start: many watchlists matching the same words give the same span. */
export function orderedSpans(spans: readonly Span[]): Span[] {
  const unique = new Map<string, Span>();
  for (const span of spans) unique.set(`${span.start}:${span.end}`, span);
  return [...unique.values()].sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Which sentences hold a matched span, in one sweep: with the spans ordered by start and a running
 * maximum of their ends, a sentence holds one when some span starting before its end ends after
 * its start. O((sentences + spans) log spans), where testing every span against every sentence
 * was quadratic on a long description full of matches.
 */
function sentencesHoldingMatches(sentences: readonly Sentence[], spans: readonly Span[]): Set<Sentence> {
  const maxEnd = new Int32Array(spans.length);
  spans.forEach((span, i) => (maxEnd[i] = Math.max(span.end, i > 0 ? maxEnd[i - 1]! : span.end)));
  const holding = new Set<Sentence>();
  for (const sentence of sentences) {
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (spans[middle]!.start < sentence.end) low = middle + 1;
      else high = middle;
    }
    if (low > 0 && maxEnd[low - 1]! > sentence.start) holding.add(sentence);
  }
  return holding;
}

/** Carries the matched spans of the chosen sentences over to their place in the summary. */
function highlightsIn(chosen: readonly Sentence[], spans: readonly Span[], cutAt: number): Span[] {
  const highlights: Span[] = [];
  let offset = 0;
  for (const sentence of chosen) {
    for (const span of spans) {
      if (span.start < sentence.start || span.end > sentence.end) continue;
      const start = offset + span.start - sentence.start;
      const end = offset + span.end - sentence.start;
      if (end <= cutAt) highlights.push({ start, end });
    }
    offset += sentence.text.length + 1;
  }
  return highlights.sort((a, b) => a.start - b.start).filter((span, i, all) => i === 0 || span.start >= all[i - 1]!.end);
}

/**
 * The part of a summary that depends on the story alone — its sentences, less those repeating the
 * headline — computed once per story however many channels and watchlists it goes to.
 */
export class SummarySource {
  readonly sentences: readonly Sentence[];

  constructor(text: string, title: string, language?: string | null) {
    const titleKey = normalisedForComparison(title);
    this.sentences = splitSentences(text, language).filter((sentence) => normalisedForComparison(sentence.text) !== titleKey);
  }

  /** The summary with the sentences holding `matchedSpans` (offsets in the text) chosen first. */
  summarise(matchedSpans: readonly Span[], options: Omit<SummaryOptions, 'language'> = {}): Summary {
    const maxLength = options.maxLength ?? 320;
    const maxSentences = options.maxSentences ?? 3;
    const sentences = this.sentences;
    if (sentences.length === 0) return { text: '', highlights: [] };

    const spans = orderedSpans(matchedSpans);
    const holding = sentencesHoldingMatches(sentences, spans);
    const ranked = [...sentences.filter((s) => holding.has(s)), ...sentences.filter((s) => !holding.has(s))];

    const chosen: Sentence[] = [];
    let length = 0;
    for (const sentence of ranked) {
      if (chosen.length >= maxSentences) break;
      const added = sentence.text.length + (chosen.length > 0 ? 1 : 0);
      if (length + added > maxLength) continue;
      chosen.push(sentence);
      length += added;
    }
    // Even the best sentence is too long: give its beginning, cut at a word.
    if (chosen.length === 0) {
      const cut = truncateAtWord(ranked[0]!.text, maxLength);
      return { text: cut, highlights: highlightsIn([ranked[0]!], spans, cut.length - 1) };
    }
    chosen.sort((a, b) => a.index - b.index);
    const summary = chosen.map((s) => s.text).join(' ');
    return { text: summary, highlights: highlightsIn(chosen, spans, summary.length) };
  }
}

/**
 * @param text the story's plain-text summary
 * @param title the headline, so a description that only repeats it is skipped
 * @param matchedSpans offsets in `text` of the matched terms
 */
export function summarise(text: string, title: string, matchedSpans: readonly Span[], options: SummaryOptions = {}): Summary {
  return new SummarySource(text, title, options.language).summarise(matchedSpans, options);
}
