/**
 * Keeps a long-lived matcher in step with the watchlists a cycle needs: a watchlist whose
 * definition changed is recompiled, a new one compiled, a gone one removed — one at a time, so a
 * chat command editing one watchlist costs one recompile, not a rebuild of every tenant's.
 */
import type { WatchlistDefinition } from '../watch/definition.js';

export interface IncrementalMatcher {
  upsert(definition: WatchlistDefinition): void;
  remove(id: string): boolean;
}

export interface WatchlistSync {
  /** Makes the matcher hold exactly these watchlists; returns how many were (re)compiled and removed. */
  apply(definitions: readonly WatchlistDefinition[]): { compiled: number; removed: number };
}

export function createWatchlistSync(matcher: IncrementalMatcher, initial: readonly WatchlistDefinition[]): WatchlistSync {
  let current = new Map(initial.map((definition) => [definition.id, JSON.stringify(definition)]));
  return {
    apply: (definitions) => {
      const next = new Map<string, string>();
      let compiled = 0;
      for (const definition of definitions) {
        const text = JSON.stringify(definition);
        next.set(definition.id, text);
        if (current.get(definition.id) !== text) {
          matcher.upsert(definition);
          compiled++;
        }
      }
      let removed = 0;
      for (const id of current.keys()) {
        if (!next.has(id) && matcher.remove(id)) removed++;
      }
      current = next;
      return { compiled, removed };
    },
  };
}
