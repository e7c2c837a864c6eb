/**
 * The console sink: with no chat token configured, alerts are printed on stdout — readable
 * text by default, one JSON object per line with `json`. A follow-up (a later outlet's story of
 * an event already alerted) is an indented line under the first; a terminal cannot edit what it
 * printed, so edits of the first alert print nothing.
 */
import type { Writable } from 'node:stream';
import { alertToJson, localWatchlistId, markHighlights, type Alert } from '../alerts/alert.js';
import { isRollUp, rollUpHeading, rollUpToJson, type RollUp } from '../alerts/rollup.js';
import { isEventEdit, isFollowUp, joinedBecause } from '../alerts/event-thread.js';
import type { AlertSink } from './sink.js';
import { escapeControlsInJson, withoutControls } from '../safe-text.js';

function formatTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** How many distinct terms each watchlist lists before "+N more". */
const TERMS_SHOWN = 6;

/**
 * Why it matched, one clause per watchlist, each term once with the fields it was found in:
 * `cartel_leaders: @el_mayo "El Mayo" (title, summary), "Sinaloa cartel*" (summary)`.
 * Context words that only confirmed an ambiguous alias are left to `wirewatch match --explain`.
 */
export function describeMatches(alert: Alert): string {
  // Grouped in one pass over the matches, not one pass per watchlist.
  const byWatchlist = new Map<string, Map<string, Set<string>>>();
  for (const match of alert.matches) {
    if (match.role === 'context') continue;
    let fieldsByTerm = byWatchlist.get(match.watchlist);
    if (!fieldsByTerm) byWatchlist.set(match.watchlist, (fieldsByTerm = new Map<string, Set<string>>()));
    const label = `${match.entity ? `@${match.entity} ` : ''}"${match.term}"`;
    fieldsByTerm.set(label, (fieldsByTerm.get(label) ?? new Set()).add(match.field));
  }
  return alert.watchlists
    .map((watchlist) => {
      const fieldsByTerm = byWatchlist.get(watchlist.id) ?? new Map<string, Set<string>>();
      const terms = [...fieldsByTerm].map(([label, fields]) => `${label} (${[...fields].join(', ')})`);
      const more = terms.length > TERMS_SHOWN ? `, +${terms.length - TERMS_SHOWN} more` : '';
      return `${localWatchlistId(watchlist.id)}: ${terms.slice(0, TERMS_SHOWN).join(', ')}${more}`;
    })
    .join('; ');
}

/** The alert as text for a terminal: no control or bidi character in it can act on the terminal. */
export function renderAlertText(alert: Alert): string {
  return withoutControls(alertLines(alert));
}

function alertLines(alert: Alert): string {
  const { story } = alert;
  const lines = [
    `■ ${story.title}`,
    `  ${story.source} · ${formatTime(story.published)}${story.publishedFrom === 'first-seen' ? ' (first seen)' : ''}`,
  ];
  if (story.link) lines.push(`  ${story.link}`);
  lines.push(`  matched ${describeMatches(alert)}`);
  if (alert.summary) lines.push(`  ${markHighlights(alert.summary, alert.summaryHighlights, '**')}`);
  return `${lines.join('\n')}\n\n`;
}

/** A follow-up as text: indented under its event's first alert, with why it joined the event. */
export function renderFollowUpText(alert: Alert): string {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  const { story } = alert;
  const lines = [`    ↳ also ${oneLine(story.source)} · ${formatTime(story.published)}: ${oneLine(story.title) || 'Untitled story'}`];
  if (story.link) lines.push(`      ${oneLine(story.link)}`);
  const because = joinedBecause(alert.event);
  if (because) lines.push(`      ${because}`);
  return withoutControls(`${lines.join('\n')}\n\n`);
}

/**
 * A roll-up as text: "■ 23 more stories matched tariffs", then one line per story (all of them: a
 * terminal has no message limit), oldest first.
 */
export function renderRollUpText(rollup: RollUp): string {
  // One line per story: a line break in feed text must not pass for a line of its own.
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  const lines = [`■ ${oneLine(rollUpHeading(rollup, 'ids'))}`];
  for (const story of rollup.stories) {
    const link = story.link ? ` · ${oneLine(story.link)}` : '';
    lines.push(`  - ${oneLine(story.title) || 'Untitled story'} (${oneLine(story.source)} · ${formatTime(story.published)})${link}`);
  }
  return withoutControls(`${lines.join('\n')}\n\n`);
}

export function createConsoleSink(options: { out: Writable; format: 'text' | 'json' }): AlertSink {
  return {
    name: 'console',
    deliver: async (payload) => {
      if (isEventEdit(payload)) return undefined;
      let text: string;
      if (options.format === 'json') {
        const json = isRollUp(payload) ? rollUpToJson(payload) : { ...alertToJson(payload), ...(payload.event ? { event: payload.event.id, followUp: isFollowUp(payload) } : {}) };
        text = `${escapeControlsInJson(JSON.stringify(json))}\n`;
      } else if (isRollUp(payload)) text = renderRollUpText(payload);
      else text = isFollowUp(payload) ? renderFollowUpText(payload) : renderAlertText(payload);
      if (!options.out.write(text)) await new Promise((resolve) => options.out.once('drain', resolve));
      // A terminal line has no id; the story's stands for it, so follow-ups find their event.
      return { ref: isRollUp(payload) ? payload.id : payload.story.id };
    },
  };
}
