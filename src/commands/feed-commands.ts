/** The `feeds` group: feeds a tenant adds from chat (untrusted: the private-address guard applies), and their health. */
import { feedIdFromUrl } from '../feeds/feed-source.js';
import { parseFeedUrl } from '../feeds/fetch/address-guard.js';
import type { FeedState } from '../store/repositories.js';
import { redactUrl } from '../redact.js';
import { visibleFeeds, type VisibleFeed } from './catalog.js';
import { optional, required } from './options.js';
import { code, invalid, ok } from './reply.js';
import type { CommandServices } from './services.js';
import type { CommandReply, CommandRequest, Inline, ReplyLine } from './types.js';

function uniqueId(base: string, taken: ReadonlySet<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

export async function feedsAdd(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const raw = required(request.options, 'url');
  const name = optional(request.options, 'name') ?? null;
  // The cheap refusals first; the address check resolves the host.
  const visible = await visibleFeeds(services, request.tenant);
  const already = visible.find((feed) => feed.url === parseFeedUrl(raw).href);
  if (already) throw invalid(`that feed is already followed here, as "${already.id}"`);
  const url = await services.checkFeedUrl(raw);
  let id = '';
  await services.repositories.tenantFeeds.update(request.tenant, (current) => {
    const taken = new Set([...services.shipped.feeds.map((f) => f.id), ...current.map((f) => f.id)]);
    if (current.some((f) => f.url === url.href)) throw invalid('that feed is already followed here');
    id = uniqueId(feedIdFromUrl(url.href), taken);
    return [...current, { id, url: url.href, name, addedBy: request.actor.userId, addedAt: services.clock.now() }];
  });
  services.logger.info({ channel_id: request.channel, feed: id, url: redactUrl(url.href), user_id: request.actor.userId }, 'feed added');
  return ok(
    ['Added the feed ', code(id), ` (${url.host}).`],
    'Channels subscribed to every feed follow it from the next poll. Its first poll only records the stories already there; alerts start with the next new one.',
  );
}

export async function feedsRemove(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const wanted = required(request.options, 'feed');
  const visible = await visibleFeeds(services, request.tenant);
  const found = visible.find((feed) => feed.id === wanted || feed.url === wanted);
  if (!found) throw invalid(`no feed "${wanted}" here (see /wirewatch feeds list)`);
  if (!found.owned) throw invalid(`"${found.id}" comes from the config file; only the operator can remove it`);
  await services.repositories.tenantFeeds.update(request.tenant, (current) => current.filter((feed) => feed.id !== found.id));
  services.logger.info({ channel_id: request.channel, feed: found.id, user_id: request.actor.userId }, 'feed removed');
  return ok(['Removed the feed ', code(found.id), '.']);
}

function when(at: number | null): string {
  return at === null ? 'never' : `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function health(feed: VisibleFeed, state: FeedState | undefined): ReplyLine {
  const line: Inline[] = [code(feed.id), ` ${feed.name ?? redactUrl(feed.url)}`, feed.owned ? ' (added here)' : ' (config file)'];
  if (!state || state.lastAttemptAt === null) return [...line, ' — not fetched yet'];
  line.push(` — last fetched ${when(state.lastSuccessAt)}`);
  if (state.failing || state.lastError) {
    line.push(`; ${state.failing ? 'failing' : 'last error'}: `, code(state.lastError?.code ?? 'unknown'), ` ${state.lastError?.message ?? ''}`);
  }
  if (state.nextAttemptAt !== null && state.nextAttemptAt > (state.lastAttemptAt ?? 0)) line.push(`; next try ${when(state.nextAttemptAt)}`);
  return line;
}

export async function feedsList(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const visible = await visibleFeeds(services, request.tenant);
  const states = await services.repositories.feedStates.getMany(visible.map((feed) => feed.url));
  return ok(`Feeds here (${visible.length}):`, ...visible.map((feed, index) => health(feed, states[index])));
}
