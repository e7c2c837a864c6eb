/** Reading option values as people type them. */
import { invalid } from './reply.js';

/** "a b, c" → ["a", "b", "c"]: ids separated by spaces and/or commas, each once, in order. */
export function idList(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(/[\s,]+/).map((id) => id.trim()).filter(Boolean))];
}

export function required(options: Readonly<Record<string, string>>, name: string): string {
  const value = options[name]?.trim();
  if (!value) throw invalid(`the option ${name} is required`);
  return value;
}

/** "x", "x and y", "x, y and z": for messages. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
