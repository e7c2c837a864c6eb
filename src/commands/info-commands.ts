/** `status` and `help`: open to everyone in the channel. */
import { code, ok } from './reply.js';
import type { CommandServices } from './services.js';
import type { CommandReply, CommandRequest, Inline, ReplyLine } from './types.js';

const when = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const ids = (list: readonly string[]): Inline[] => list.flatMap((id, i): Inline[] => [...(i > 0 ? [', '] : []), code(id)]);

export async function status(request: CommandRequest, services: CommandServices): Promise<CommandReply> {
  const subscription = await services.repositories.subscriptions.get(request.channel);
  const cycle = await services.lastCycle();
  const lastPoll: ReplyLine = cycle
    ? `Last poll: ${when(cycle.finishedAt)}, ${cycle.feeds} feed(s), ${cycle.failed} failed, ${cycle.alerts} alert(s).`
    : 'No poll has finished yet.';
  if (!subscription) return ok('This channel has no subscription.', ['Start one with ', code('/wirewatch subscribe watchlists:<ids>'), '.'], lastPoll);
  const lines: ReplyLine[] = [
    ['Watchlists: ', ...ids(subscription.watchlists)],
    subscription.feeds === '*' ? 'Feeds: every feed of the config file and every feed added here.' : ['Feeds: ', ...ids(subscription.feeds)],
    lastPoll,
  ];
  if (subscription.paused) {
    lines.push(
      ['Paused since ', when(subscription.paused.at), ': ', code(subscription.paused.code), ` ${subscription.paused.reason}`],
      ['Nothing is sent here until this is fixed; then run ', code('/wirewatch subscribe'), ' again to resume.'],
    );
  }
  if (subscription.lastDelivery) {
    lines.push(`Last alert delivered: ${when(subscription.lastDelivery.at)}, ${Math.round(subscription.lastDelivery.latencyMs / 1000)} s after it matched.`);
  }
  const queue = await services.queueOf(request.channel);
  if (queue.pending > 0 || queue.dead > 0) {
    lines.push(`Alerts waiting to be sent: ${queue.pending}; dead after their last attempt: ${queue.dead}${queue.dead > 0 ? ' (the operator can send them again with wirewatch deliveries retry)' : ''}.`);
    const reasons = Object.entries(queue.failures).sort(([a], [b]) => a.localeCompare(b));
    if (reasons.length > 0) lines.push(['Their failures by reason: ', ...reasons.flatMap(([reason, count], i): Inline[] => [...(i > 0 ? [', '] : []), code(reason), ` ${count}`]), '.']);
  }
  if (subscription.lastFailure) {
    lines.push(['Last failed delivery: ', when(subscription.lastFailure.at), ' ', code(subscription.lastFailure.code), ` ${subscription.lastFailure.reason}`]);
  }
  return ok(...lines);
}

const HELP: readonly ReplyLine[] = [
  'wirewatch posts news that matches the watchlists set up here, once per story, with why it matched.',
  [code('subscribe watchlists:<ids> [feeds:<ids>]'), ' — alerts for these watchlists in this channel'],
  [code('unsubscribe [watchlists:<ids>]'), ' — stop some or all of them'],
  [code('watch list [watchlist:<id>]'), ' · ', code('watch test text:<text>'), ' — see the watchlists; would this text fire?'],
  [code('watch create id:<id> query:<query>'), ' · ', code('watch add'), ' · ', code('watch remove'), ' — edit the watchlists set up here'],
  [code('feeds list'), ' · ', code('feeds add url:<url> [name:<name>]'), ' · ', code('feeds remove feed:<id>'), ' — the feeds and their health'],
  [code('status'), ' — this channel’s subscription, the last poll, any pause'],
  'Changing anything needs the right to manage this channel (in Discord, the Manage Channels permission; in Slack, a workspace admin or owner); list, test, status and help are open to everyone.',
];

export async function help(_request: CommandRequest, _services: CommandServices): Promise<CommandReply> {
  return Promise.resolve(ok(...HELP));
}
