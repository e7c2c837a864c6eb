/**
 * `wirewatch match [--config FILE]`: stories as JSON lines on stdin, one JSON line out per line
 * in, same order. A bad line gets {"error": "..."} and the rest go on.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { compileWatchlists, type Matcher } from '../watch/matcher.js';
import { htmlToText } from '../feeds/text.js';
import { primaryLanguage } from '../feeds/language.js';
import { EXIT } from './io.js';
import type { CommandContext } from './main.js';

const storyLine = z.object({
  title: z.string({ message: '"title" must be a string' }),
  description: z.string({ message: '"description" must be a string' }).nullish(),
  link: z.string().nullish(),
  language: z.string().nullish(),
});

export function matchLine(line: string, matcher: Matcher): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { error: `not JSON: ${(error as Error).message}` };
  }
  const parsed = storyLine.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { error: `${where}${issue?.message ?? 'not a story object'}` };
  }
  const result = matcher.match({
    title: htmlToText(parsed.data.title),
    summary: htmlToText(parsed.data.description ?? ''),
    language: primaryLanguage(parsed.data.language),
  });
  return {
    watchlists: result.watchlists,
    matches: result.matches.map((m) => ({ watchlist: m.watchlist, term: m.term, field: m.field })),
  };
}

export async function matchCommand({ io, values, loadConfig }: CommandContext): Promise<number> {
  const config = loadConfig(values['config'] as string | undefined);
  const matcher = compileWatchlists(config.watchlists);
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let bad = 0;
  for await (const line of lines) {
    const output = matchLine(line, matcher);
    if ('error' in output) bad++;
    if (!io.stdout.write(`${JSON.stringify(output)}\n`)) await new Promise((r) => io.stdout.once('drain', r));
  }
  if (bad > 0) {
    io.stderr.write(`wirewatch: ${bad} input line(s) could not be read; see their "error" fields.\n`);
    return EXIT.failure;
  }
  return EXIT.ok;
}
