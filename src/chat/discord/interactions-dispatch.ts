/**
 * What both delivery modes (HTTP endpoint, gateway) do with a mapped interaction: run the core,
 * answer at once when it is quick, defer when it is not, turn a thrown error into a reply that
 * names an incident code (the log line has the same code and the error; the user sees neither
 * stack nor message), and keep autocomplete suggestions within Discord's limits.
 */
import { randomBytes } from 'node:crypto';
import { DiscordAPIError, HTTPError } from 'discord.js';
import type { Choice, CommandHandler, CommandReply, CommandRequest, AutocompleteRequest } from '../../commands/types.js';
import { asWirewatchError } from '../../errors.js';
import type { Logger } from '../../log.js';

/** Discord wants an answer within 3 s; past this the reply is deferred and edited in later. */
export const DEFAULT_DEFER_AFTER_MS = 2000;
const MAX_CHOICES = 25;
const MAX_CHOICE_CHARS = 100;

export interface DispatchOptions {
  handler: CommandHandler;
  logger: Logger;
  /** How long to wait for the core before deferring (default 2 s). */
  deferAfterMs?: number;
  /** The code an internal error is reported under (default: random, e.g. "internal-9f3a61c2"). */
  incidentCode?: (errorCode: string) => string;
}

export type Outcome = { ready: true; reply: CommandReply } | { ready: false; reply: Promise<CommandReply> };

/** Log keys naming where an interaction came from. */
export function interactionLogKeys(request: CommandRequest | AutocompleteRequest, interactionId: string): Record<string, string> {
  const [, guildId, channelId] = request.channel.split(':');
  return { interaction_id: interactionId, guild_id: guildId ?? '', channel_id: channelId ?? '', command: request.command };
}

function defaultIncidentCode(errorCode: string): string {
  return `${errorCode}-${randomBytes(4).toString('hex')}`;
}

export function internalErrorReply(incident: string): CommandReply {
  return {
    outcome: 'internal_error',
    code: incident,
    lines: [["Something went wrong; the operator's logs have code ", { code: incident }, '.']],
  };
}

/** The core's reply; never rejects (a thrown error becomes an incident reply and a log line). */
async function execute(options: DispatchOptions, request: CommandRequest, interactionId: string): Promise<CommandReply> {
  try {
    return await options.handler.execute(request);
  } catch (error) {
    const coded = asWirewatchError(error);
    const incident = (options.incidentCode ?? defaultIncidentCode)(coded.code);
    options.logger.error(
      { ...interactionLogKeys(request, interactionId), user_id: request.actor.userId, code: coded.code, incident, err: coded },
      'command failed',
    );
    return internalErrorReply(incident);
  }
}

/** Runs the command; ready when it finished within the defer window, else the reply still to come. */
export async function runCommand(options: DispatchOptions, request: CommandRequest, interactionId: string): Promise<Outcome> {
  const reply = execute(options, request, interactionId);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS);
  });
  const first = await Promise.race([reply, late]);
  clearTimeout(timer);
  return first === 'late' ? { ready: false, reply } : { ready: true, reply: first };
}

/** Discord's shape for choices: at most 25, names and values 1–100 characters. */
export function toDiscordChoices(choices: readonly Choice[]): Choice[] {
  const out: Choice[] = [];
  for (const choice of choices) {
    if (out.length === MAX_CHOICES) break;
    if (choice.value.length === 0 || choice.value.length > MAX_CHOICE_CHARS) continue;
    const name = choice.name.length === 0 ? choice.value : choice.name;
    out.push({ name: name.length <= MAX_CHOICE_CHARS ? name : `${cutCodePoints(name, MAX_CHOICE_CHARS - 1)}…`, value: choice.value });
  }
  return out;
}

function cutCodePoints(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** Suggestions for an autocomplete; nothing (and a log line) if the core fails or is too slow. */
export async function runAutocomplete(options: DispatchOptions, request: AutocompleteRequest, interactionId: string): Promise<Choice[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS);
  });
  try {
    const choices = await Promise.race([options.handler.autocomplete(request), late]);
    if (choices === null) {
      options.logger.warn({ ...interactionLogKeys(request, interactionId), option: request.option }, 'autocomplete too slow; no suggestions');
      return [];
    }
    return toDiscordChoices(choices);
  } catch (error) {
    const coded = asWirewatchError(error);
    options.logger.error({ ...interactionLogKeys(request, interactionId), option: request.option, code: coded.code, err: coded }, 'autocomplete failed');
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/** Log keys describing a failed Discord call, classified by error type and status. */
export function restFailureKeys(error: unknown): Record<string, unknown> {
  if (error instanceof DiscordAPIError) return { status: error.status, discord_code: error.code, err: asWirewatchError(error, 'discord_reply_failed') };
  if (error instanceof HTTPError) return { status: error.status, err: asWirewatchError(error, 'discord_reply_failed') };
  return { err: asWirewatchError(error, 'discord_reply_failed') };
}
