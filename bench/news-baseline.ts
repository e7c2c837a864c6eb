/**
 * The baselines of the news-cycle benchmark: what the cycle does, done with the libraries alone and
 * nothing else. undici fetches (same concurrency, same conditional headers), rss-parser parses the
 * same bodies (default options; its contentSnippet helper disarmed as wirewatch disarms it, so
 * neither pays for it), new items are told by their guid in a Set, and each watchlist is one
 * alternation RegExp of its words, phrases and its entities' aliases, tried on the new items'
 * title and description. That matcher does less than wirewatch's (no accent folding, no
 * AND/NOT/NEAR, no fields, no evidence): it is the floor, not a competitor.
 *
 * Run as a script it is the whole-process baseline: one round of fetch → parse → dedupe → match,
 * its guids kept in a JSON file between runs as wirewatch keeps its store.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Agent, request } from 'undici';
import pLimit from 'p-limit';
import Parser from 'rss-parser';

(createRequire(import.meta.url)('rss-parser/lib/utils.js') as { getSnippet: (html: string) => string }).getSnippet = () => '';

export interface BaselineWatchlist {
  id: string;
  pattern: RegExp;
}

interface WatchlistLike {
  id: string;
  query?: string | undefined;
  /** Ids of library entities, or entities written inline. */
  entities?: readonly (string | EntityLike)[] | undefined;
  terms?: readonly string[] | undefined;
}
interface EntityLike {
  id: string;
  aliases?: readonly string[] | undefined;
  ambiguous_aliases?: readonly string[] | undefined;
}

const OPERATORS = new Set(['AND', 'OR', 'NOT']);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const asAlternative = (term: string) =>
  term
    .trim()
    .split(/\s+/)
    .map((word) => (word.endsWith('*') ? `${escape(word.slice(0, -1))}[\\p{L}\\p{N}]*` : escape(word)))
    .join('[\\s-]+');

/** Every word, phrase and entity alias a watchlist names, as one case-insensitive alternation. */
export function alternationWatchlists(watchlists: readonly WatchlistLike[], entities: readonly EntityLike[]): BaselineWatchlist[] {
  const byId = new Map(entities.map((entity) => [entity.id, entity]));
  return watchlists.map((watchlist) => {
    const terms = new Set<string>(watchlist.terms ?? []);
    const inline = (watchlist.entities ?? []).filter((entity): entity is EntityLike => typeof entity !== 'string');
    const entityIds = new Set((watchlist.entities ?? []).filter((entity): entity is string => typeof entity === 'string'));
    for (const [, phrase, word] of (watchlist.query ?? '').matchAll(/"([^"]+)"|([^\s()"]+)/g)) {
      if (phrase) terms.add(phrase);
      else if (word) {
        const bare = word.replace(/^[-+]/, '').replace(/^(?:title|summary|source|link):/, '');
        if (bare.startsWith('@')) entityIds.add(bare.slice(1));
        else if (!OPERATORS.has(bare) && !/^NEAR(\/\d+)?$/.test(bare) && bare.length > 0) terms.add(bare);
      }
    }
    for (const entity of [...[...entityIds].map((id) => byId.get(id)), ...inline]) {
      for (const alias of [...(entity?.aliases ?? []), ...(entity?.ambiguous_aliases ?? [])]) terms.add(alias);
    }
    const alternatives = [...terms].filter(Boolean).map(asAlternative).join('|');
    return { id: watchlist.id, pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'iu') };
  });
}

export interface BaselineItem {
  guid: string;
  text: string;
}

/** Feed `n`'s body as text, or null when it answered 304 to `etag`. */
async function fetchBody(port: number, n: number, agent: Agent, etag?: string): Promise<string | null> {
  const response = await request(`http://127.0.0.1:${port}/feed/${n}.xml`, {
    dispatcher: agent,
    ...(etag !== undefined ? { headers: { 'if-none-match': etag } } : {}),
  });
  if (response.statusCode === 304) {
    await response.body.dump();
    return null;
  }
  return response.body.text();
}

/** undici alone: every feed fetched, bodies kept as text; `etags` makes the requests conditional. */
export async function fetchBodies(port: number, feeds: number, concurrency: number, agent: Agent, etags?: readonly string[]): Promise<(string | null)[]> {
  const limit = pLimit(concurrency);
  return Promise.all(Array.from({ length: feeds }, (_, n) => limit(() => fetchBody(port, n, agent, etags?.[n]))));
}

/** rss-parser alone on the bodies: each item's guid and the text a matcher would read. */
export async function parseBodies(bodies: readonly (string | null)[]): Promise<BaselineItem[][]> {
  const parsed: BaselineItem[][] = [];
  for (const body of bodies) {
    if (body === null) {
      parsed.push([]);
      continue;
    }
    const feed = await new Parser().parseString(body);
    parsed.push(feed.items.map((item) => ({ guid: item.guid ?? item.link ?? '', text: `${item.title ?? ''}\n${item.content ?? ''}` })));
  }
  return parsed;
}

/** The new items (guid not in `seen`, which learns them) tried against every watchlist; returns the matches. */
export function matchNew(feeds: readonly BaselineItem[][], seen: Set<string>, watchlists: readonly BaselineWatchlist[]): number {
  let matches = 0;
  for (const items of feeds) {
    for (const item of items) {
      if (seen.has(item.guid)) continue;
      seen.add(item.guid);
      for (const watchlist of watchlists) if (watchlist.pattern.test(item.text)) matches++;
    }
  }
  return matches;
}

/**
 * The same round with each body parsed and its new items matched as the body arrives, as
 * wirewatch reads feeds, so no more than the requests in flight hold a body: the libraries'
 * memory floor for the cycle's shape (BENCHMARKS.md, the sixth round).
 */
export async function fetchParseAndMatch(port: number, feeds: number, concurrency: number, agent: Agent, seen: Set<string>, watchlists: readonly BaselineWatchlist[]): Promise<number> {
  const limit = pLimit(concurrency);
  let matches = 0;
  await Promise.all(
    Array.from({ length: feeds }, (_, n) =>
      limit(async () => {
        // Read after the awaits: `matches += …await…` would add to the total as it was before them.
        const items = await parseBodies([await fetchBody(port, n, agent)]);
        matches += matchNew(items, seen, watchlists);
      }),
    ),
  );
  return matches;
}

/**
 * As a script: `news-baseline.js PORT FEEDS CONCURRENCY STATE_FILE WATCHLISTS_JSON MODE [as-they-arrive]`,
 * one round. MODE record: fetch and parse, remember the guids (a first poll); match: also try the
 * new items against the watchlists; not-modified: the requests carry the ETags in the state file.
 * With `as-they-arrive` (record and match only), each body is parsed and matched as it arrives
 * instead of after every body has been fetched.
 */
async function runAsProcess(args: string[]): Promise<void> {
  const [port, feeds, concurrency, stateFile, watchlistsFile, mode, shape] = args;
  const { watchlists, entities } = JSON.parse(readFileSync(watchlistsFile!, 'utf8')) as { watchlists: WatchlistLike[]; entities: EntityLike[] };
  const state = existsSync(stateFile!) ? (JSON.parse(readFileSync(stateFile!, 'utf8')) as { guids: string[]; etags: string[] | null }) : { guids: [], etags: null };
  const agent = new Agent({ connections: Number(concurrency) });
  const seen = new Set(state.guids);
  const compiled = mode === 'match' ? alternationWatchlists(watchlists, entities) : [];
  const matches =
    shape === 'as-they-arrive' && mode !== 'not-modified'
      ? await fetchParseAndMatch(Number(port), Number(feeds), Number(concurrency), agent, seen, compiled)
      : matchNew(await parseBodies(await fetchBodies(Number(port), Number(feeds), Number(concurrency), agent, state.etags ?? undefined)), seen, compiled);
  await agent.close();
  writeFileSync(stateFile!, JSON.stringify({ guids: [...seen], etags: state.etags }));
  process.stdout.write(`${matches}\n`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await runAsProcess(process.argv.slice(2));
