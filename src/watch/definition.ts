/**
 * What a watchlist is, as written in the config file (and later, by chat commands).
 * First version: lists of words and phrases; a story matches when any term appears as whole
 * words in its title or summary, and no exclusion does.
 */
import { z } from 'zod';

export const WATCHLIST_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const term = z.string().trim().min(1, 'a term cannot be empty').max(200, 'a term is at most 200 characters');

export const watchlistDefinitionSchema = z.strictObject({
  id: z.string().regex(WATCHLIST_ID, 'lower-case letters, digits, "_" and "-", starting with a letter or digit'),
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).optional(),
  /** Languages the watchlist is written for; stories in other known languages are skipped. */
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'a two- or three-letter language code')).optional(),
  terms: z.array(term).min(1, 'a watchlist needs at least one term').max(500),
  exclude: z.array(term).max(500).optional(),
});

export type WatchlistDefinition = z.infer<typeof watchlistDefinitionSchema>;
