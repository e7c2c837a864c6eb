/**
 * An Alert is what reaches a channel: the story, why it matched, and a short summary. Built by
 * pure functions from a Story and the matcher's result; rendered by each sink its own way.
 */
import type { Story } from '../feeds/story.js';
import type { MatchResult, TermMatch } from '../watch/matcher.js';
import { listMatches } from '../watch/explain.js';
import { summarise, type Span } from './summary.js';
import { sha1Hex } from '../hash.js';

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
}

/**
 * Keys under which a delivery is remembered. The story id stops repeats of the same item; the
 * canonical link stops the same article arriving through two feeds twice in one channel.
 */
export function dedupeKeys(story: Story): string[] {
  const keys = [`story:${story.id}`];
  if (story.link) keys.push(`link:${sha1Hex(story.link).slice(0, 20)}`);
  return keys;
}

export function buildAlert(
  channel: string,
  story: Story,
  result: MatchResult,
  watchlistNames: ReadonlyMap<string, string>,
): Alert {
  const spans = result.matches.filter((m) => m.field === 'summary');
  const summary = summarise(story.summary, story.title, spans, { language: story.language });
  return {
    channel,
    story,
    watchlists: result.watchlists.map((id) => ({ id, name: watchlistNames.get(id) ?? id })),
    matches: result.matches,
    summary: summary.text,
    summaryHighlights: summary.highlights,
  };
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
