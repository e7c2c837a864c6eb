/**
 * `wirewatch match [--config FILE] [--explain]`: stories as JSON lines on stdin, one JSON line
 * out per line in, same order. A bad line gets {"error": "..."} and the rest go on. --explain
 * prints, instead, why each story matched: clause, term or alias, field and offsets.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { compileWatchlists, type MatchInput, type MatchResult, type Matcher } from '../watch/matcher.js';
import { asWirewatchError } from '../errors.js';
import { explainMatch, listMatches } from '../watch/explain.js';
import { htmlToText } from '../feeds/text.js';
import { primaryLanguage } from '../feeds/language.js';
import { withoutControls } from '../safe-text.js';
import { EXIT } from './io.js';
import type { CommandContext } from './context.js';
import { parseJsonLine } from './json-line.js';
import { BatchedOutput } from './batched-output.js';

const storyLine = z.object({
  title: z.string({ message: '"title" must be a string' }),
  description: z.string({ message: '"description" must be a string' }).nullish(),
  link: z.string().nullish(),
  source: z.string().nullish(),
  language: z.string().nullish(),
});

/** One input line → the story to match, or the reason it cannot be read. */
export function readStoryLine(line: string): { ok: true; input: MatchInput } | { ok: false; error: string } {
  const parsed = parseJsonLine(line, storyLine);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    input: {
      title: htmlToText(parsed.value.title),
      summary: htmlToText(parsed.value.description ?? ''),
      link: parsed.value.link ?? null,
      source: parsed.value.source ?? null,
      language: primaryLanguage(parsed.value.language),
    },
  };
}

/**
 * Matches one story, or says why it could not: a line that makes matching itself fail costs that
 * line (an "error" like any unreadable line), never the lines after it.
 */
function matchStory(input: MatchInput, matcher: Matcher): { ok: true; result: MatchResult } | { ok: false; error: string } {
  try {
    return { ok: true, result: matcher.match(input) };
  } catch (error) {
    const coded = asWirewatchError(error);
    return { ok: false, error: `matching failed (${coded.code}): ${coded.message}` };
  }
}

export function matchLine(line: string, matcher: Matcher): Record<string, unknown> {
  const story = readStoryLine(line);
  if (!story.ok) return { error: story.error };
  const matched = matchStory(story.input, matcher);
  if (!matched.ok) return { error: matched.error };
  return {
    watchlists: matched.result.watchlists,
    matches: listMatches(matched.result.matches).map(({ watchlist, term, field }) => ({ watchlist, term, field })),
  };
}

/** Human-readable, so for a terminal: the input is anyone's JSON, and its control characters must not act on the terminal. */
function explainLine(line: string, number: number, matcher: Matcher, names: ReadonlyMap<string, string>): { text: string; failed: boolean } {
  const story = readStoryLine(line);
  if (!story.ok) return { text: withoutControls(`${number}. error: ${story.error}\n\n`), failed: true };
  const matched = matchStory(story.input, matcher);
  if (!matched.ok) return { text: withoutControls(`${number}. error: ${matched.error}\n\n`), failed: true };
  return { text: withoutControls(`${number}. ${story.input.title}\n${explainMatch(story.input, matched.result, names)}\n\n`), failed: false };
}

export async function matchCommand({ io, values, loadConfig }: CommandContext): Promise<number> {
  const config = loadConfig(values['config'] as string | undefined);
  const matcher = compileWatchlists(config.watchlists, config.entities);
  const names = new Map(config.watchlists.map((w) => [w.id, w.name]));
  const explain = values['explain'] === true;
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  const output = new BatchedOutput(io.stdout);
  let bad = 0;
  let number = 0;
  for await (const line of lines) {
    number++;
    let text: string;
    if (explain) {
      const explained = explainLine(line, number, matcher, names);
      text = explained.text;
      if (explained.failed) bad++;
    } else {
      const output = matchLine(line, matcher);
      if ('error' in output) bad++;
      text = `${JSON.stringify(output)}\n`;
    }
    output.add(text);
    const writable = output.whenWritable();
    if (writable) await writable;
  }
  output.flush();
  if (bad > 0) {
    io.stderr.write(`wirewatch: ${bad} input line(s) could not be read; see their "error" fields.\n`);
    return EXIT.failure;
  }
  return EXIT.ok;
}
