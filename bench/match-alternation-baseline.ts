/**
 * The simple competitor of `wirewatch match` in `npm run bench -- match-cli`: stories as JSON
 * lines on stdin, one JSON line out per line, `{"watchlists":[…]}` (or `{"error":…}` for a line
 * that is not a JSON object with a string title).
 *
 * Usage: node match-alternation-baseline.js WATCHLISTS.json  (the config file the CLI reads, written as JSON)
 *
 * Each watchlist is ONE combined RegExp, `\b(?:term|term|…)\b` with flag `iu`, the terms escaped
 * and `*` turned into `\w*`, tried on the title and then on the description. It does less than
 * wirewatch: no accent folding (the `i` flag lower-cases, nothing more), terms only (no queries,
 * fields or entities), and it does not say which term matched. Output goes out the way the
 * CLI's does (see OUTPUT_BATCH_BYTES), so the two differ in matching, not in how they write.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

interface Watchlist {
  id: string;
  terms?: string[];
}

/** Escaped for a RegExp, with the watchlist wildcard `*` as any run of word characters. */
function termPattern(term: string): string {
  return term.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '\\w*');
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { watchlists: Watchlist[] };
const lists = config.watchlists.map((list) => ({ id: list.id, pattern: new RegExp(`\\b(?:${(list.terms ?? []).map(termPattern).join('|')})\\b`, 'iu') }));

function answer(line: string): string {
  let story: unknown;
  try {
    story = JSON.parse(line);
  } catch (error) {
    return JSON.stringify({ error: `not JSON: ${(error as Error).message}` });
  }
  if (typeof story !== 'object' || story === null || typeof (story as { title?: unknown }).title !== 'string') {
    return JSON.stringify({ error: '"title" must be a string' });
  }
  const { title, description } = story as { title: string; description?: unknown };
  const summary = typeof description === 'string' ? description : '';
  const watchlists: string[] = [];
  for (const list of lists) if (list.pattern.test(title) || list.pattern.test(summary)) watchlists.push(list.id);
  return JSON.stringify({ watchlists });
}

/** Lines are gathered and written in chunks of about this size, as `wirewatch match` writes them. */
const OUTPUT_BATCH_BYTES = 64 * 1024;

let pending = '';
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  pending += `${answer(line)}\n`;
  if (pending.length >= OUTPUT_BATCH_BYTES) {
    if (!process.stdout.write(pending)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    pending = '';
  }
}
process.stdout.write(pending);
