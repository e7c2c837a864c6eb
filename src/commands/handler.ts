/**
 * The command core: one function per command, a permission check in front of the ones that
 * change anything, and one rule turning errors into replies. Platform adapters build a
 * CommandRequest and render the CommandReply; nothing here knows Discord or Slack.
 */
import { WirewatchError } from '../errors.js';
import { visibleFeeds, visibleWatchlists } from './catalog.js';
import { feedsAdd, feedsList, feedsRemove } from './feed-commands.js';
import { help, status } from './info-commands.js';
import { replyForError } from './reply.js';
import type { CommandServices } from './services.js';
import { subscribe, unsubscribe } from './subscription-commands.js';
import {
  MANAGING_COMMANDS,
  type AutocompleteRequest,
  type Choice,
  type CommandHandler,
  type CommandName,
  type CommandReply,
  type CommandRequest,
} from './types.js';
import { watchAdd, watchCreate, watchList, watchRemove, watchTest } from './watch-commands.js';

type Run = (request: CommandRequest, services: CommandServices) => Promise<CommandReply>;

const COMMANDS: Record<CommandName, Run> = {
  subscribe,
  unsubscribe,
  'watch add': watchAdd,
  'watch remove': watchRemove,
  'watch create': watchCreate,
  'watch list': watchList,
  'watch test': watchTest,
  'feeds add': feedsAdd,
  'feeds remove': feedsRemove,
  'feeds list': feedsList,
  status,
  help,
};

/** Discord shows at most 25 choices. */
const MAX_CHOICES = 25;

function refusal(request: CommandRequest): WirewatchError {
  return new WirewatchError(
    'command_refused',
    `you cannot change this channel’s alerts: that needs ${request.actor.managePermission}`,
  );
}

export function createCommandHandler(services: CommandServices): CommandHandler {
  return {
    execute: async (request) => {
      const log = services.logger.child({ channel_id: request.channel, command: request.command });
      try {
        if (MANAGING_COMMANDS.has(request.command) && !request.actor.canManage) throw refusal(request);
        const run = COMMANDS[request.command] as Run | undefined;
        if (!run) throw new WirewatchError('command_invalid', `unknown command "${String(request.command)}"; try /wirewatch help`);
        return await run(request, services);
      } catch (error) {
        const reply = replyForError(error, log);
        if (reply.outcome !== 'internal_error') log.info({ code: reply.code, user_id: request.actor.userId }, 'command refused');
        return reply;
      }
    },
    autocomplete: async (request: AutocompleteRequest): Promise<Choice[]> => {
      const typed = request.typed.toLowerCase();
      const candidates =
        request.option === 'feed'
          ? (await visibleFeeds(services, request.tenant)).filter((f) => f.owned).map((f) => ({ id: f.id, name: f.name ?? f.url }))
          : (await visibleWatchlists(services, request.tenant)).map((w) => ({ id: w.definition.id, name: w.definition.name }));
      return candidates
        .filter((c) => c.id.toLowerCase().includes(typed) || c.name.toLowerCase().includes(typed))
        .slice(0, MAX_CHOICES)
        .map((c) => ({ name: `${c.id} — ${c.name}`.slice(0, 100), value: c.id.slice(0, 100) }));
    },
  };
}
