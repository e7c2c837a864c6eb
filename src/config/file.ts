/**
 * The config file: feeds and watchlists (the shipped defaults live in config/default.yaml).
 * Problems are reported as "path inside the file (line N): what is wrong".
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import {
  entityCycles,
  entityDefinitionSchema,
  entityNestingDepths,
  termsUsed,
  unknownEntityReferences,
  unknownEntityReferencesOfEntity,
  watchlistDefinitionSchema,
  type EntityDefinition,
} from '../watch/definition.js';
import { LIMITS } from '../watch/limits.js';

export const FEED_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const feedSchema = z.strictObject({
  id: z
    .string()
    .regex(FEED_ID, 'lower-case letters, digits, ".", "_" and "-", starting with a letter or digit')
    .optional(),
  url: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }),
  name: z.string().trim().min(1).max(100).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, 'a language tag such as en, es or es-MX')
    .optional(),
});

function uniqueIds<T extends { id?: string | undefined }>(items: T[], ctx: z.RefinementCtx, what: string): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (!item.id) return;
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate ${what} id "${item.id}"` });
    seen.add(item.id);
  });
}

function uniqueUrls(feeds: { url: string }[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  feeds.forEach((feed, index) => {
    const first = seen.get(feed.url);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'url'], message: `the same URL as feeds[${first}]` });
    else seen.set(feed.url, index);
  });
}

export const configFileSchema = z
  .strictObject({
    feeds: z
      .array(feedSchema)
      .superRefine((feeds, ctx) => {
        uniqueIds(feeds, ctx, 'feed');
        uniqueUrls(feeds, ctx);
      })
      .default([]),
    /** Named entities shared by all watchlists: referenced as @id in queries or by id in `entities`. */
    entities: z.array(entityDefinitionSchema).check(atMost(LIMITS.entitiesInFile, 'entities')).default([]),
    watchlists: z
      .array(watchlistDefinitionSchema)
      .check(atMost(LIMITS.watchlistsInFile, 'watchlists'))
      .superRefine((lists, ctx) => uniqueIds(lists, ctx, 'watchlist'))
      .default([]),
  })
  .superRefine((file, ctx) => {
    const known = new Set(file.entities.map((entity) => entity.id));
    file.entities.forEach((entity, index) => {
      if (file.entities.findIndex((other) => other.id === entity.id) !== index) {
        ctx.addIssue({ code: 'custom', path: ['entities', index, 'id'], message: `duplicate entity id "${entity.id}"` });
      }
    });
    file.watchlists.forEach((watchlist, index) => {
      const inline = (watchlist.entities ?? []).flatMap((e) => (typeof e === 'string' ? [] : [e.id]));
      const visible = new Set([...known, ...inline]);
      for (const problem of unknownEntityReferences(watchlist, visible)) {
        ctx.addIssue({ code: 'custom', path: ['watchlists', index, ...problem.path], message: problem.message });
      }
    });
    file.entities.forEach((entity, index) => {
      for (const problem of unknownEntityReferencesOfEntity(entity, known)) {
        ctx.addIssue({ code: 'custom', path: ['entities', index, ...problem.path], message: problem.message });
      }
    });
    for (const cycle of entityCycles(file.entities)) ctx.addIssue(cycleIssue(['entities'], cycle));
    // One issue, at the entity whose references go deepest: a long chain is one mistake.
    const depths = entityNestingDepths(file.entities);
    const deepest = depths.reduce((best, depth, index) => (depth > (depths[best] ?? 0) ? index : best), 0);
    if ((depths[deepest] ?? 0) > LIMITS.entityNesting) {
      ctx.addIssue({
        code: 'custom',
        path: ['entities', deepest, 'context'],
        message: `entity references nest ${depths[deepest]} deep from here (an entity naming an entity naming …); at most ${LIMITS.entityNesting}`,
      });
    }
    const library = new Map(file.entities.map((entity) => [entity.id, entity]));
    file.watchlists.forEach((watchlist, index) => {
      const inline = (watchlist.entities ?? []).filter((e): e is EntityDefinition => typeof e !== 'string');
      for (const cycle of entityCycles(inline)) {
        // The cycle's index is among the inline entities; the path needs its place in the whole list.
        const place = watchlist.entities!.indexOf(inline[cycle.index]!);
        ctx.addIssue(cycleIssue(['watchlists', index, 'entities'], { ...cycle, index: place }));
      }
      const count = termsUsed(watchlist, library);
      if (count > LIMITS.termsPerWatchlist) {
        ctx.addIssue({
          code: 'custom',
          path: ['watchlists', index],
          message: `the watchlist has ${count} terms, phrases and aliases (its entities' included); the most is ${LIMITS.termsPerWatchlist}`,
        });
      }
    });
  });

/** A length check whose message says how many there are. */
function atMost<T>(limit: number, what: string) {
  return (ctx: z.core.ParsePayload<T[]>) => {
    if (ctx.value.length > limit) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${ctx.value.length} ${what}; the most is ${limit}` });
    }
  };
}

function cycleIssue(at: (string | number)[], cycle: { index: number; field: string; ids: string[] }) {
  return { code: 'custom' as const, path: [...at, cycle.index, cycle.field], message: `entity cycle ${cycle.ids.join(' → ')}` };
}

export type ConfigFile = z.output<typeof configFileSchema>;
export type FeedDefinition = z.output<typeof feedSchema>;

export interface FileProblem {
  /** e.g. "watchlists[1].terms" */
  path: string;
  line: number | null;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/** The line a path points at, so a person can jump straight to it. */
function lineOf(document: Document, counter: LineCounter, path: readonly PropertyKey[]): number | null {
  let node: unknown = document.contents;
  let located = node;
  for (const key of path) {
    if (isMap(node) || isSeq(node)) {
      const next = node.get(key, true);
      if (next === undefined) break;
      node = next;
      located = next;
    } else break;
  }
  const range = (located as { range?: [number, number, number] } | null)?.range;
  return range ? counter.linePos(range[0]).line : null;
}

export type FileLoad = { ok: true; value: ConfigFile } | { ok: false; problems: FileProblem[] };

/**
 * Bounds on the file itself, so a hostile or mistaken file is refused with a config error rather
 * than exhausting memory: the size, and how many times YAML aliases (`*name`) may be expanded
 * (a "billion laughs" file nests aliases of aliases to blow up when expanded).
 */
export const CONFIG_FILE_LIMITS = { maxBytes: 4 * 1024 * 1024, maxAliasExpansions: 1000 } as const;

const fileProblem = (message: string, line: number | null = null): FileLoad => ({
  ok: false,
  problems: [{ path: '', line, message }],
});

function readSource(path: string): { source: string } | { problem: FileLoad } {
  try {
    const size = statSync(path).size;
    if (size > CONFIG_FILE_LIMITS.maxBytes) {
      return { problem: fileProblem(`the file is ${size} bytes; a config file may be at most ${CONFIG_FILE_LIMITS.maxBytes} bytes`) };
    }
    return { source: readFileSync(path, 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    return { problem: fileProblem(reason) };
  }
}

export function loadConfigFile(path: string): FileLoad {
  const read = readSource(path);
  if ('problem' in read) return read.problem;
  const counter = new LineCounter();
  const document = parseDocument(read.source, { lineCounter: counter, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        path: '',
        line: counter.linePos(error.pos[0]).line,
        message: `YAML syntax: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  let contents: unknown;
  try {
    contents = document.toJS({ maxAliasCount: CONFIG_FILE_LIMITS.maxAliasExpansions });
  } catch (error) {
    // yaml throws a plain ReferenceError when the alias budget runs out; nothing else is thrown
    // by toJS on a document that parsed without errors.
    if (!(error instanceof ReferenceError)) throw error;
    return fileProblem(
      `YAML aliases expand too much (more than ${CONFIG_FILE_LIMITS.maxAliasExpansions} expansions): write the values out instead of nesting aliases of aliases`,
    );
  }
  const parsed = configFileSchema.safeParse(contents ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      line: lineOf(document, counter, issue.path),
      message: issue.message,
    })),
  };
}
