/**
 * The console sink: with no chat token configured, alerts are printed on stdout — readable
 * text by default, one JSON object per line with `json`.
 */
import type { Writable } from 'node:stream';
import { alertToJson, markHighlights, type Alert } from '../alerts/alert.js';
import type { AlertSink } from './sink.js';

function formatTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** Why it matched, one clause per watchlist: `extradition: "extraditado" (title)`. */
export function describeMatches(alert: Alert): string {
  return alert.watchlists
    .map((watchlist) => {
      const terms = alert.matches
        .filter((m) => m.watchlist === watchlist.id)
        .map((m) => `${m.entity ? `@${m.entity} ` : ''}${m.role === 'context' ? 'context ' : ''}"${m.term}" (${m.field})`);
      return `${watchlist.id}: ${[...new Set(terms)].join(', ')}`;
    })
    .join('; ');
}

export function renderAlertText(alert: Alert): string {
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

export function createConsoleSink(options: { out: Writable; format: 'text' | 'json' }): AlertSink {
  return {
    name: 'console',
    deliver: async (alert) => {
      const text = options.format === 'json' ? `${JSON.stringify(alertToJson(alert))}\n` : renderAlertText(alert);
      if (!options.out.write(text)) await new Promise((resolve) => options.out.once('drain', resolve));
    },
  };
}
