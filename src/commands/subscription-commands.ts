/** `subscribe` and `unsubscribe`: what this channel receives. */
import { LIMITS } from '../watch/limits.js';
import type { Subscription } from '../store/repositories.js';
import { visibleFeeds, visibleWatchlists } from './catalog.js';
import { idList, listing, optional } from './options.js';
import { bold, code, invalid, ok } from './reply.js';
import type { CommandServices } from './services.js';
import type { CommandReply, CommandRequest, Inline } from './types.js';

async function checkedWatchlists(services: CommandServices, request: CommandRequest, ids: string[]): Promise<Map<string, string>> {
  const visible = await visibleWatchlists(services, request.tenant);
  const names = new Map(visible.map((w) => [w.definition.id, w.definition.name]));
  const unknown = ids.filter((id) => !names.has(id));
  if (unknown.length > 0) {
    throw invalid(
      `no watchlist ${listing(unknown.map((id) => `"${id}"`))} here; there are ${listing([...names.keys()])} (see /wirewatch watch list)`,
    );
  }
  return names;
}

async function checkedFeeds(services: CommandServices, request: CommandRequest, raw: string | undefined): Promise<string[] | '*'> {
  const ids = idList(raw);
  if (ids.length === 0) return '*';
  const known = new Set((await visibleFeeds(services, request.tenant)).map((feed) => feed.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw invalid(`no feed ${listing(unknown.map((id) => `"${id}"`))} here (see /wirewatch feeds list)`);
  return ids;
}

function describeSubscription(subscription: Subscription, names: ReadonlyMap<string, string>): Inline[][] {
  const watchlists = subscription.watchlists.flatMap((id, index): Inline[] => [
    ...(index > 0 ? [', '] : []),
    bold(names.get(id) ?? id),
    ' (',
    code(id),
    ')',
  ]);
  const feeds: Inline[] =
    subscription.feeds === '*' ? ['from every feed of the config file and every feed added here'] : ['from the feeds ', ...subscription.feeds.flatMap((id, i): Inline[] => [...(i > 0 ? [', '] : []), code(id)])];
  return [['This channel gets alerts for ', ...watchlists, '.'], feeds];
}

/** `followups:on|off` → true/false; absent → undefined (unchanged). */
function followUpsOption(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase();
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw invalid(`followups takes on or off, not "${raw.slice(0, 20)}"`);
}

export async function subscribe(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const followUps = followUpsOption(optional(request.options, 'followups'));
  const ids = idList(optional(request.options, 'watchlists'));
  if (ids.length === 0) throw invalid('name at least one watchlist, e.g. watchlists:extradition (see /wirewatch watch list)');
  const names = await checkedWatchlists(services, request, ids);
  const feeds = await checkedFeeds(services, request, optional(request.options, 'feeds'));
  const now = services.clock.now();
  const subscription = await services.repositories.subscriptions.update(request.channel, (current) => {
    const watchlists = [...new Set([...(current?.watchlists ?? []), ...ids])];
    if (watchlists.length > LIMITS.watchlistsPerChannel) {
      throw invalid(`a channel may follow at most ${LIMITS.watchlistsPerChannel} watchlists; unsubscribe from some first`);
    }
    // Subscribing again is also how a paused channel resumes once its permissions are fixed.
    return {
      channel: request.channel,
      tenant: request.tenant,
      feeds: request.options['feeds'] === undefined && current ? current.feeds : feeds,
      watchlists,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
      paused: null,
      lastFailure: current?.lastFailure ?? null,
      followUps: followUps ?? current?.followUps ?? true,
    };
  });
  services.logger.info({ channel_id: request.channel, watchlists: ids, user_id: request.actor.userId }, 'channel subscribed');
  const threading = subscription!.followUps === false
    ? "One alert per event: later outlets' stories of it are not posted, only counted on its alert (followups:on posts them in its thread)."
    : "One alert per event: later outlets' stories of it go in a thread under its alert (followups:off only counts them).";
  return ok(...describeSubscription(subscription!, names), threading, 'New matching stories arrive from the next poll on.');
}

export async function unsubscribe(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const ids = idList(optional(request.options, 'watchlists'));
  const current = await services.repositories.subscriptions.get(request.channel);
  if (!current) return ok('This channel has no subscription; nothing to do.');
  const unknown = ids.filter((id) => !current.watchlists.includes(id));
  if (unknown.length > 0) throw invalid(`this channel does not follow ${listing(unknown.map((id) => `"${id}"`))}; it follows ${listing(current.watchlists)}`);
  const next = await services.repositories.subscriptions.update(request.channel, (existing) => {
    if (!existing) return null;
    const watchlists = ids.length === 0 ? [] : existing.watchlists.filter((id) => !ids.includes(id));
    return watchlists.length === 0 ? null : { ...existing, watchlists, updatedAt: services.clock.now() };
  });
  services.logger.info({ channel_id: request.channel, watchlists: ids, user_id: request.actor.userId }, 'channel unsubscribed');
  if (next === null) return ok('This channel is unsubscribed: no more alerts here.');
  return ok(['This channel still follows ', ...next.watchlists.flatMap((id, i): Inline[] => [...(i > 0 ? [', '] : []), code(id)]), '.']);
}
