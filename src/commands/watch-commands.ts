/** The `watch` group: a tenant's watchlists — create, extend, shrink, list, and try them on text. */
import {
  unknownEntityReferences,
  watchlistDefinitionSchema,
  WATCHLIST_ID,
  type WatchlistDefinition,
} from '../watch/definition.js';
import { parseQuery } from '../watch/query/parser.js';
import { DEFAULT_FIELDS } from '../watch/query/ast.js';
import { compileWatchlists } from '../watch/matcher.js';
import { explainMatch } from '../watch/explain.js';
import { visibleWatchlists, type VisibleWatchlist } from './catalog.js';
import { optional, required } from './options.js';
import { bold, code, invalid, ok } from './reply.js';
import type { CommandServices } from './services.js';
import type { CommandReply, CommandRequest, ReplyLine } from './types.js';

/** Validates a definition a command built, as the config loader would: the first problem is the message. */
function validated(definition: WatchlistDefinition, services: CommandServices, optionName: string): WatchlistDefinition {
  const parsed = watchlistDefinitionSchema.safeParse(definition);
  if (!parsed.success) throw invalid(`${optionName}: ${parsed.error.issues[0]?.message ?? 'not a valid watchlist'}`);
  const known = new Set(services.shipped.entities.map((entity) => entity.id));
  const problem = unknownEntityReferences(parsed.data, known)[0];
  if (problem) throw invalid(`${optionName}: ${problem.message}`);
  return parsed.data;
}

async function findVisible(services: CommandServices, tenant: string, id: string): Promise<VisibleWatchlist> {
  const visible = await visibleWatchlists(services, tenant);
  const found = visible.find((w) => w.definition.id === id);
  if (!found) throw invalid(`no watchlist "${id}" here; there are ${visible.map((w) => w.definition.id).join(', ')}`);
  return found;
}

/** A plain word or phrase goes to `terms`; anything using the query language joins the query with OR. */
function withTerm(definition: WatchlistDefinition, term: string): WatchlistDefinition {
  const parsed = parseQuery(term);
  if (!parsed.ok) throw invalid(`term: ${parsed.error.message}`);
  const node = parsed.query;
  const inDefaultFields = node.kind === 'term' && [...node.fields].sort().join() === [...DEFAULT_FIELDS].sort().join();
  if (node.kind === 'term' && inDefaultFields) {
    if ((definition.terms ?? []).includes(node.text)) throw invalid(`"${node.text}" is already a term of ${definition.id}`);
    return { ...definition, terms: [...(definition.terms ?? []), node.text] };
  }
  return { ...definition, query: definition.query ? `(${definition.query}) OR (${term})` : term };
}

function withoutTerm(definition: WatchlistDefinition, term: string): WatchlistDefinition {
  const text = term.replace(/^["“”„«»]|["“”„«»]$/g, '').trim();
  const terms = definition.terms ?? [];
  const kept = terms.filter((t) => t.toLowerCase() !== text.toLowerCase());
  if (kept.length < terms.length) return { ...definition, terms: kept };
  // A query term added by `watch add` made the query "(earlier) OR (term)": undo exactly that.
  const suffix = `) OR (${term})`;
  const query = definition.query;
  if (query?.startsWith('(') && query.endsWith(suffix)) {
    const earlier = query.slice(1, -suffix.length);
    if (parseQuery(earlier).ok) return { ...definition, query: earlier };
  }
  throw invalid(
    `"${text}" is not one of the terms of ${definition.id}${terms.length ? ` (its terms: ${terms.join(', ')})` : ''}; to change its query, create a new watchlist`,
  );
}

/**
 * Changes one of the tenant's watchlists under the store's lock: the definition is read, changed
 * and validated inside it, so two commands editing the same watchlist at once both count. A
 * shipped watchlist the tenant has no copy of yet starts from the shipped definition.
 */
async function editOwn(
  services: CommandServices,
  tenant: string,
  shipped: WatchlistDefinition,
  change: (definition: WatchlistDefinition) => WatchlistDefinition,
): Promise<void> {
  await services.repositories.watchlists.update(tenant, (current) => {
    const index = current.findIndex((w) => w.id === shipped.id);
    const next = validated(change(index < 0 ? shipped : current[index]!), services, 'term');
    return index < 0 ? [...current, next] : current.map((w, i) => (i === index ? next : w));
  });
}

export async function watchCreate(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const id = required(request.options, 'id').toLowerCase();
  const query = required(request.options, 'query');
  if (!WATCHLIST_ID.test(id)) throw invalid(`id: "${id}" may hold lower-case letters, digits, "_" and "-", starting with a letter or digit`);
  const visible = await visibleWatchlists(services, request.tenant);
  const existing = visible.find((w) => w.definition.id === id);
  if (existing) {
    throw invalid(existing.owned ? `there is already a watchlist "${id}" here; use /wirewatch watch add to extend it` : `"${id}" is a shipped watchlist; use /wirewatch watch add to extend your own copy of it`);
  }
  const definition = validated({ id, name: id, query }, services, 'query');
  await services.repositories.watchlists.update(request.tenant, (current) => {
    if (current.some((w) => w.id === id)) throw invalid(`there is already a watchlist "${id}" here`);
    return [...current, definition];
  });
  services.logger.info({ channel_id: request.channel, watchlist: id, user_id: request.actor.userId }, 'watchlist created');
  return ok(['Created the watchlist ', code(id), ' with the query ', code(query), '.'], ['Subscribe a channel with ', code(`/wirewatch subscribe watchlists:${id}`), '; changes apply from the next poll.']);
}

export async function watchAdd(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const id = required(request.options, 'watchlist');
  const term = required(request.options, 'term');
  const found = await findVisible(services, request.tenant, id);
  await editOwn(services, request.tenant, found.definition, (definition) => withTerm(definition, term));
  services.logger.info({ channel_id: request.channel, watchlist: id, user_id: request.actor.userId }, 'watchlist term added');
  const copied: ReplyLine[] = found.owned ? [] : ['This is now your own copy of the shipped watchlist, for this server or workspace only; the shipped one is unchanged.'];
  return ok(['Added ', code(term), ' to ', code(id), '. It applies from the next poll.'], ...copied);
}

export async function watchRemove(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const id = required(request.options, 'watchlist');
  const term = required(request.options, 'term');
  const found = await findVisible(services, request.tenant, id);
  await editOwn(services, request.tenant, found.definition, (definition) => {
    const next = withoutTerm(definition, term);
    if (!next.query && !next.terms?.length && !next.entities?.length) {
      throw invalid(`removing "${term}" would leave ${id} matching nothing; add another term first`);
    }
    return next;
  });
  services.logger.info({ channel_id: request.channel, watchlist: id, user_id: request.actor.userId }, 'watchlist term removed');
  return ok(['Removed ', code(term), ' from ', code(id), '. It applies from the next poll.']);
}

function describe(definition: WatchlistDefinition): ReplyLine[] {
  const lines: ReplyLine[] = [[bold(definition.name), ' (', code(definition.id), ')']];
  if (definition.description) lines.push(definition.description);
  if (definition.query) lines.push(['query: ', code(definition.query)]);
  if (definition.terms?.length) lines.push(['terms: ', code(definition.terms.join(', '))]);
  const entities = (definition.entities ?? []).map((e) => (typeof e === 'string' ? e : e.id));
  if (entities.length) lines.push(['entities: ', code(entities.join(', '))]);
  const exclude = definition.exclude === undefined ? [] : typeof definition.exclude === 'string' ? [definition.exclude] : definition.exclude;
  for (const query of exclude) lines.push(['vetoed by: ', code(query)]);
  return lines;
}

export async function watchList(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const id = optional(request.options, 'watchlist');
  if (id) return ok(...describe((await findVisible(services, request.tenant, id)).definition));
  const visible = await visibleWatchlists(services, request.tenant);
  return ok(
    `Watchlists here (${visible.length}):`,
    ...visible.map((w): ReplyLine => [code(w.definition.id), ' — ', w.definition.name, w.owned ? ' (added here)' : ' (shipped)']),
  );
}

/** Longest text `watch test` matches: a headline and a few paragraphs. */
const TEST_TEXT_MAX = 4000;

/** Lines of the explanation shown in chat; the rest is summarised. */
const TEST_LINES_SHOWN = 30;

export async function watchTest(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const text = required(request.options, 'text', TEST_TEXT_MAX);
  const visible = await visibleWatchlists(services, request.tenant);
  const definitions = visible.map((w) => w.definition);
  const matcher = compileWatchlists(definitions, services.shipped.entities);
  const input = { title: text, summary: '' };
  const result = matcher.match(input);
  if (result.watchlists.length === 0) return ok('No watchlist would fire on this text.');
  const explanation = explainMatch(input, result, new Map(definitions.map((w) => [w.id, w.name]))).split('\n');
  const shown = explanation.slice(0, TEST_LINES_SHOWN).map((line): ReplyLine => [code(line.trimEnd())]);
  const more = explanation.length > TEST_LINES_SHOWN ? [`… and ${explanation.length - TEST_LINES_SHOWN} more lines`] : [];
  return ok(['Would fire: ', ...result.watchlists.flatMap((id, i) => [...(i > 0 ? [', '] : []), code(id)])], ...shown, ...more);
}
