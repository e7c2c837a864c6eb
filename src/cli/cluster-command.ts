/**
 * `wirewatch cluster [--config FILE] [--explain]`: stories as JSON lines on stdin, in arrival
 * order; one JSON line out per line in, same order: {"cluster": id, "new": true|false}. The same
 * clusterer and EVENT_WINDOW as the service, with its state in memory. A bad line gets
 * {"error": "..."} and the rest go on. --explain adds why: the score, the shared terms, and the
 * event joined (or the nearest one not joined, and what kept the story out of it).
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { createClusterer, type Assignment, type ClusterStory, type EventClusterer } from '../events/index.js';
import { htmlToText } from '../feeds/text.js';
import { detectLanguage, primaryLanguage } from '../feeds/language.js';
import { asWirewatchError } from '../errors.js';
import { escapeControlsInJson } from '../safe-text.js';
import { EXIT } from './io.js';
import type { CommandContext } from './context.js';
import { parseJsonLine } from './json-line.js';

const storyLine = z.object({
  title: z.string({ message: '"title" must be a string' }),
  description: z.string({ message: '"description" must be a string' }).nullish(),
  language: z.string({ message: '"language" must be a string' }).nullish(),
  published: z.union([z.string(), z.number()], { message: '"published" must be a date (e.g. 2025-08-12T14:00:00Z) or epoch milliseconds' }),
  link: z.string({ message: '"link" must be a string' }).nullish(),
  source: z.string({ message: '"source" must be a string' }).nullish(),
});

/** One input line → the story to cluster, or the reason it cannot be read. */
export function readClusterLine(line: string): { ok: true; story: ClusterStory } | { ok: false; error: string } {
  const parsed = parseJsonLine(line, storyLine);
  if (!parsed.ok) return parsed;
  const { title, description, language, published, link, source } = parsed.value;
  const publishedAt = typeof published === 'number' ? published : Date.parse(published);
  if (!Number.isFinite(publishedAt)) return { ok: false, error: `published: "${String(published)}" is not a date (e.g. 2025-08-12T14:00:00Z)` };
  const text = { title: htmlToText(title), description: htmlToText(description ?? '') };
  return {
    ok: true,
    story: {
      ...text,
      language: primaryLanguage(language) ?? detectLanguage(`${text.title} ${text.description}`),
      publishedAt,
      link: link ?? null,
      source: source ?? null,
    },
  };
}

function explanation(assignment: Assignment): Record<string, unknown> {
  const shared = assignment.sharedTerms.map(({ term, text, contribution }) => ({ term, text, weight: Number(contribution.toFixed(3)) }));
  const score = Number(assignment.score.toFixed(3));
  if (!assignment.isNew) {
    return { score, shared, event: { title: assignment.event.title, stories: assignment.event.storyCount } };
  }
  const nearest = assignment.nearest;
  return {
    score,
    shared,
    nearest: nearest ? { cluster: nearest.eventId, title: nearest.title, score: Number(nearest.score.toFixed(3)), kept_apart_by: nearest.rejected } : null,
  };
}

/** One line of output for one line of input. */
export function clusterLine(line: string, clusterer: EventClusterer, explain: boolean): Record<string, unknown> {
  const read = readClusterLine(line);
  if (!read.ok) return { error: read.error };
  let assignment: Assignment;
  try {
    assignment = clusterer.assign(read.story);
  } catch (error) {
    const coded = asWirewatchError(error);
    return { error: `clustering failed (${coded.code}): ${coded.message}` };
  }
  const output: Record<string, unknown> = { cluster: assignment.eventId, new: assignment.isNew };
  return explain ? { ...output, ...explanation(assignment) } : output;
}

export async function clusterCommand({ io, values, loadConfig }: CommandContext): Promise<number> {
  const config = loadConfig(values['config'] as string | undefined);
  const clusterer = createClusterer({ entities: config.entities, windowMs: config.events.windowMs });
  const explain = values['explain'] === true;
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let bad = 0;
  for await (const line of lines) {
    const output = clusterLine(line, clusterer, explain);
    if ('error' in output) bad++;
    // Titles and terms come from the input: control and bidi characters are escaped, never raw.
    if (!io.stdout.write(`${escapeControlsInJson(JSON.stringify(output))}\n`)) await new Promise((resolve) => io.stdout.once('drain', resolve));
  }
  if (bad > 0) {
    io.stderr.write(`wirewatch: ${bad} input line(s) could not be read; see their "error" fields.\n`);
    return EXIT.failure;
  }
  return EXIT.ok;
}
