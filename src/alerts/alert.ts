/**
 * An Alert is what reaches a channel: the story, why it matched, and a short summary. Built by
 * pure functions from a Story and the matcher's result; rendered by each sink its own way.
 */
import type { Story } from '../feeds/story.js';
import type { MatchResult, TermMatch } from '../watch/matcher.js';
import { listMatches } from '../watch/explain.js';
import { SummarySource, orderedSpans, type Span, type Summary } from './summary.js';
import { sha1Hex } from '../hash.js';
import type { AlertEvent, ThreadTarget } from './event-thread.js';
import { sortSmall } from '../sort-small.js';

export interface AlertWatchlist {
  id: string;
  name: string;
}

export interface Alert {
  /** Where it goes: "console", later a chat channel key. */
  channel: string;
  story: Story;
  watchlists: AlertWatchlist[];
  matches: TermMatch[];
  summary: string;
  /** Spans of `summary` holding matched terms; sinks bold them. */
  summaryHighlights: Span[];
  /** The event the story belongs to (one alert per event per channel); absent on alerts queued before events. */
  event?: AlertEvent;
  /** Set by the delivery worker when the alert goes out as a follow-up under the event's first alert. */
  thread?: ThreadTarget;
}

/**
 * Keys under which a delivery is remembered: one per story. A story with a link is remembered by
 * its canonical link, which stops repeats of the same item and the same article arriving through
 * two feeds twice in one channel. Its id would add nothing: a story with a link has an identity
 * made of that canonical link (feeds/identity.ts), so two stories with the same id have the same
 * link. A story without a link is remembered by its id. Stores written when both keys were kept
 * hold the link key too, so they answer the same (docs/decisions/013-store-retention.md).
 */
export function dedupeKeys(story: Pick<Story, 'id' | 'link'>): string[] {
  return story.link ? [`link:${sha1Hex(story.link).slice(0, 20)}`] : [`story:${story.id}`];
}

/**
 * An alert before its summary is written. A poll cycle holds its alerts until it knows which go
 * out one by one and which in a roll-up, and a roll-up lists only each story's title, link, source
 * and time: the summary (the story's sentences split, ranked and cut, most of building an alert)
 * is written by `completeAlert`, for the alerts sent on their own.
 */
export interface DraftAlert extends Omit<Alert, 'summary' | 'summaryHighlights' | 'thread'> {
  /** The summary with the channel's matched spans highlighted; made once per story and set of spans, then kept. */
  summarise(): Summary;
}

const NO_SUMMARY: Summary = { text: '', highlights: [] };

/**
 * The alert of a draft, its summary written (the same alert StoryAlerts built with its summary
 * before drafts). With `onSummaryError`, a summary that cannot be written costs the alert its
 * summary, reported there, not the alert: without it, the error is thrown.
 */
export function completeAlert(draft: DraftAlert, onSummaryError?: (error: unknown) => void): Alert {
  let summary: Summary;
  try {
    summary = draft.summarise();
  } catch (error) {
    if (!onSummaryError) throw error;
    onSummaryError(error);
    summary = NO_SUMMARY;
  }
  return {
    channel: draft.channel,
    story: draft.story,
    watchlists: draft.watchlists,
    matches: draft.matches,
    summary: summary.text,
    summaryHighlights: summary.highlights,
    ...(draft.event ? { event: draft.event } : {}),
  };
}

/**
 * The summary-field spans of `matches`, each once, by start then end, packed as [start, end,
 * start, end, …]. A cycle holds one per alert until it knows which alerts are sent on their own:
 * on a text dense in watched words that is dozens of hits, which as objects cost the cycle more
 * than the summary they stand for.
 */
function packedSummarySpans(matches: readonly TermMatch[]): Int32Array {
  const spans = orderedSpans(matches.filter((m) => m.field === 'summary'));
  const packed = new Int32Array(2 * spans.length);
  spans.forEach((span, i) => {
    packed[2 * i] = span.start;
    packed[2 * i + 1] = span.end;
  });
  return packed;
}

/**
 * Made outside any method: V8 gives the closures of one function one shared context, so a closure
 * made beside others that use `this` would keep the whole builder (the story's match result with
 * it) alive as long as the draft.
 */
function summariser(summaries: StorySummaries, spans: Int32Array): () => Summary {
  return () => summaries.of(spans);
}

/**
 * A story's summaries: its sentences, split once for every channel it goes to, and a summary per
 * distinct set of highlighted spans. Holds the story only (not its match result), since a cycle
 * holds it with the story's drafts.
 */
class StorySummaries {
  private source: SummarySource | null = null;
  private made: Map<string, Summary> | null = null;

  constructor(private readonly story: Story) {}

  of(packed: Int32Array): Summary {
    const key = packed.join(',');
    this.made ??= new Map();
    let summary = this.made.get(key);
    if (!summary) {
      this.source ??= new SummarySource(this.story.summary, this.story.title, this.story.language);
      const spans: Span[] = [];
      for (let i = 0; i < packed.length; i += 2) spans.push({ start: packed[i]!, end: packed[i + 1]! });
      summary = this.source.summarise(spans);
      this.made.set(key, summary);
    }
    return summary;
  }
}

/**
 * Builds the alerts of one story for every channel it goes to. What depends on the story alone is
 * done once — its matches grouped by watchlist; its sentences, when a summary is written — so a
 * story matching many watchlists for many channels costs each channel only the selection of its
 * own watchlists.
 */
export class StoryAlerts {
  private readonly summaries: StorySummaries;
  private readonly matchesByWatchlist = new Map<string, TermMatch[]>();
  /** Each fired watchlist's place in the result, which is definition order. */
  private readonly position = new Map<string, number>();
  private readonly labels: AlertWatchlist[];

  constructor(
    private readonly story: Story,
    private readonly result: MatchResult,
    watchlistNames: ReadonlyMap<string, string>,
  ) {
    this.summaries = new StorySummaries(story);
    result.watchlists.forEach((id, index) => this.position.set(id, index));
    this.labels = result.watchlists.map((id) => ({ id, name: watchlistNames.get(id) ?? id }));
    for (const match of result.matches) {
      const list = this.matchesByWatchlist.get(match.watchlist);
      if (list) list.push(match);
      else this.matchesByWatchlist.set(match.watchlist, [match]);
    }
  }

  /** The alert for a channel following `wanted`, or null when none of them fired. */
  forChannel(channel: string, wanted: ReadonlySet<string>): Alert | null {
    const draft = this.draftForChannel(channel, wanted);
    return draft && completeAlert(draft);
  }

  /** The alert for a channel following `wanted`, its summary not yet written; null when none of them fired. */
  draftForChannel(channel: string, wanted: ReadonlySet<string>): DraftAlert | null {
    const indexes = this.firedAmong(wanted);
    if (indexes.length === 0) return null;
    // A channel following every watchlist that fired shares the result's own list.
    const matches = indexes.length === this.labels.length ? this.result.matches : indexes.flatMap((i) => this.matchesByWatchlist.get(this.labels[i]!.id) ?? []);
    return {
      channel,
      story: this.story,
      watchlists: indexes.map((i) => this.labels[i]!),
      matches: distinctMatches(matches),
      summarise: summariser(this.summaries, packedSummarySpans(matches)),
    };
  }

  /** Indexes of the fired watchlists the channel follows, in definition order; the smaller side is walked. */
  private firedAmong(wanted: ReadonlySet<string>): number[] {
    if (wanted.size < this.labels.length) {
      const indexes: number[] = [];
      for (const id of wanted) {
        const index = this.position.get(id);
        if (index !== undefined) indexes.push(index);
      }
      return sortSmall(indexes, (a, b) => a - b);
    }
    return this.labels.flatMap((label, index) => (wanted.has(label.id) ? [index] : []));
  }
}

/**
 * One match per watchlist, field, term, role and entity — the first found. What an alert shows
 * of its matches is which terms fired where (the offsets have made the summary's highlights by
 * then); a story repeating its terms would otherwise carry every hit into the cycle's memory and
 * the outbox.
 */
export function distinctMatches(matches: readonly TermMatch[]): TermMatch[] {
  const seen = new Set<string>();
  const kept: TermMatch[] = [];
  for (const match of matches) {
    const key = `${match.watchlist}\u0000${match.field}\u0000${match.term}\u0000${match.role}\u0000${match.entity ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(match);
  }
  return kept;
}

/** One alert: the story, the watchlists of `result` that fired, and a summary with their spans. */
export function buildAlert(
  channel: string,
  story: Story,
  result: MatchResult,
  watchlistNames: ReadonlyMap<string, string>,
): Alert {
  return new StoryAlerts(story, result, watchlistNames).forChannel(channel, new Set(result.watchlists)) ?? {
    channel,
    story,
    watchlists: [],
    matches: [],
    ...emptySummary(story),
  };
}

function emptySummary(story: Story): { summary: string; summaryHighlights: Span[] } {
  const summary = new SummarySource(story.summary, story.title, story.language).summarise([]);
  return { summary: summary.text, summaryHighlights: summary.highlights };
}

/**
 * The id people know a watchlist by: a tenant's own watchlists are matched under scoped ids
 * ("discord:123/w1"), but the tenant named it "w1".
 */
export function localWatchlistId(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** Wraps each highlighted span in `before`/`after` (e.g. "**" for Markdown bold). */
export function markHighlights(text: string, highlights: readonly Span[], before: string, after: string = before): string {
  let marked = '';
  let at = 0;
  for (const span of highlights) {
    marked += `${text.slice(at, span.start)}${before}${text.slice(span.start, span.end)}${after}`;
    at = span.end;
  }
  return marked + text.slice(at);
}

/** The JSON shape `poll --json` prints, one object per alert. */
export function alertToJson(alert: Alert): Record<string, unknown> {
  return {
    story: {
      id: alert.story.id,
      title: alert.story.title,
      link: alert.story.link,
      published: alert.story.published,
      source: alert.story.source,
    },
    watchlists: alert.watchlists.map((w) => w.id),
    matches: listMatches(alert.matches).map(({ entity, ...match }) => (entity ? { ...match, entity } : match)),
    summary: alert.summary,
    channel: alert.channel,
  };
}
