/**
 * The shared real-world fixtures live beside the project (../shared/fixtures), never inside it.
 * Tests that need them skip, saying so, when the folder is absent — except where
 * REQUIRE_SHARED_FIXTURES=1 (CI sets it): there a missing folder fails the run, so the quality
 * tests can never pass by skipping.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const SHARED_FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures');
export const FEED_CORPUS = join(SHARED_FIXTURES, 'feeds');
export const HEADLINES_DEV = join(SHARED_FIXTURES, 'headlines', 'dev.jsonl');

export function fixturesMissingReason(path: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (existsSync(path)) return null;
  if (env['REQUIRE_SHARED_FIXTURES'] === '1') {
    throw new Error(`shared fixtures not found at ${path}, and REQUIRE_SHARED_FIXTURES=1: the quality tests cannot be skipped here`);
  }
  return `shared fixtures not found at ${path}; skipping`;
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
