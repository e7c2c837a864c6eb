/** Reading option values as people type them. */
import { invalid } from './reply.js';

/** "a b, c" → ["a", "b", "c"]: ids separated by spaces and/or commas, each once, in order. */
export function idList(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(/[\s,]+/).map((id) => id.trim()).filter(Boolean))];
}

/**
 * The longest value each option may have: checked here, in the core, so Discord and Slack refuse
 * the same things before any work is done on them.
 */
const MAX_LENGTH: Readonly<Record<string, number>> = {
  watchlists: 2000,
  feeds: 2000,
  watchlist: 64,
  id: 64,
  term: 2000,
  query: 2000,
  url: 2048,
  name: 100,
  feed: 2048,
  followups: 8,
};

export function required(options: Readonly<Record<string, string>>, name: string, max = MAX_LENGTH[name] ?? 2000): string {
  const value = options[name]?.trim();
  if (!value) throw invalid(`the option ${name} is required`);
  if (value.length > max) throw invalid(`${name} is ${value.length} characters; the most is ${max}`);
  return value;
}

/** An optional option: absent or empty → undefined; too long → refused like a required one. */
export function optional(options: Readonly<Record<string, string>>, name: string): string | undefined {
  return options[name]?.trim() ? required(options, name) : undefined;
}

/** "x", "x and y", "x, y and z": for messages. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
