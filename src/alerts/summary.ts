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

function splitSentences(text: string, language: string | null | undefined): Sentence[] {
  const segmenter = new Intl.Segmenter(language ?? 'en', { granularity: 'sentence' });
  const sentences: Sentence[] = [];
  for (const segment of segmenter.segment(text)) {
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
 * @param text the story's plain-text summary
 * @param title the headline, so a description that only repeats it is skipped
 * @param matchedSpans offsets in `text` of the matched terms
 */
export function summarise(text: string, title: string, matchedSpans: readonly Span[], options: SummaryOptions = {}): Summary {
  const maxLength = options.maxLength ?? 320;
  const maxSentences = options.maxSentences ?? 3;
  const titleKey = normalisedForComparison(title);
  const sentences = splitSentences(text, options.language).filter(
    (sentence) => normalisedForComparison(sentence.text) !== titleKey,
  );
  if (sentences.length === 0) return { text: '', highlights: [] };

  const holdsMatch = (s: Sentence) => matchedSpans.some((span) => span.start < s.end && span.end > s.start);
  const ranked = [...sentences.filter(holdsMatch), ...sentences.filter((s) => !holdsMatch(s))];

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
    return { text: cut, highlights: highlightsIn([ranked[0]!], matchedSpans, cut.length - 1) };
  }
  chosen.sort((a, b) => a.index - b.index);
  const summary = chosen.map((s) => s.text).join(' ');
  return { text: summary, highlights: highlightsIn(chosen, matchedSpans, summary.length) };
}
