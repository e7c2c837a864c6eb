/**
 * The shared real-world fixtures live beside the project (../shared/fixtures), never inside it.
 * Tests that need them skip, saying so, when the folder is absent.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const SHARED_FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures');
export const FEED_CORPUS = join(SHARED_FIXTURES, 'feeds');
export const HEADLINES_DEV = join(SHARED_FIXTURES, 'headlines', 'dev.jsonl');

export function fixturesMissingReason(path: string): string | null {
  return existsSync(path) ? null : `shared fixtures not found at ${path}; skipping`;
}

/** Every feed file of the corpus (README.md and SOURCES.md at its root excluded), as paths relative to it. */
export function listCorpusFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (dir !== FEED_CORPUS) files.push(relative(FEED_CORPUS, path));
    }
  };
  walk(FEED_CORPUS);
  return files;
}
