/**
 * From a Discord interaction to the command core's request. Both delivery modes land here: the
 * HTTP endpoint has the raw payload, the gateway a discord.js interaction; each is first reduced
 * to the few facts the core needs (InvocationFacts), then mapped the same way.
 */
import {
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  type APIApplicationCommandAutocompleteInteraction,
  type APIChatInputApplicationCommandInteraction,
} from 'discord.js';
import {
  COMMAND_NAMES,
  type AutocompleteRequest,
  type CommandName,
  type CommandReply,
  type CommandRequest,
} from '../../commands/types.js';
import { COMMAND_NAME } from './commands-definition.js';

export const MANAGE_PERMISSION_NAME = 'the Manage Channels permission';
export const NOT_IN_GUILD_TEXT = 'This command works in a server channel.';

/** An option as both the raw payload and discord.js carry it. */
export interface OptionNode {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean | undefined;
  readonly focused?: boolean | undefined;
  readonly options?: readonly OptionNode[] | undefined;
}

/** What the mapping reads from an interaction, whichever way it arrived. */
export interface InvocationFacts {
  guildId: string | null;
  channelId: string | null;
  userId: string;
  /** The member's permissions in the channel, as Discord's decimal bitfield; null outside a guild. */
  permissions: string | null;
  commandName: string;
  options: readonly OptionNode[];
}

export type Mapped<T> = { ok: true; request: T } | { ok: false; reply: CommandReply };

export function factsFromApi(
  raw: APIChatInputApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction,
): InvocationFacts {
  return {
    guildId: raw.guild_id ?? null,
    channelId: raw.channel?.id ?? raw.channel_id ?? null,
    userId: raw.member?.user.id ?? raw.user?.id ?? 'unknown',
    permissions: raw.member?.permissions ?? null,
    commandName: raw.data.name,
    options: raw.data.options ?? [],
  };
}

/** Whether a permission bitfield grants Manage Channels (Administrator grants everything). */
export function canManageChannels(permissions: string | null): boolean {
  if (permissions === null || !/^\d+$/.test(permissions)) return false;
  const bits = BigInt(permissions);
  const wanted = PermissionFlagsBits.ManageChannels | PermissionFlagsBits.Administrator;
  return (bits & wanted) !== 0n;
}

const KNOWN = new Set<string>(COMMAND_NAMES);

interface Invocation {
  command: string;
  leaves: readonly OptionNode[];
}

/** The subcommand path ("watch add") and its options, from the option tree. */
function invocationOf(options: readonly OptionNode[]): Invocation {
  const first = options[0];
  if (first?.type === ApplicationCommandOptionType.SubcommandGroup) {
    const sub = first.options?.[0];
    return { command: sub ? `${first.name} ${sub.name}` : first.name, leaves: sub?.options ?? [] };
  }
  if (first?.type === ApplicationCommandOptionType.Subcommand) return { command: first.name, leaves: first.options ?? [] };
  return { command: '', leaves: options };
}

function unknownCommand(commandName: string, command: string): CommandReply {
  const shown = `/${[commandName, command].filter((p) => p.length > 0).join(' ')}`;
  return {
    outcome: 'user_error',
    code: 'unknown_command',
    lines: [['Unknown command ', { code: shown }, '. Try ', { code: `/${COMMAND_NAME} help` }, '.']],
  };
}

const notInGuild: CommandReply = { outcome: 'refused', code: 'not_in_guild', lines: [NOT_IN_GUILD_TEXT] };

function scope(facts: InvocationFacts): { tenant: string; channel: string } | null {
  if (facts.guildId === null || facts.channelId === null) return null;
  return { tenant: `discord:${facts.guildId}`, channel: `discord:${facts.guildId}:${facts.channelId}` };
}

function commandOf(facts: InvocationFacts): { ok: true; command: CommandName; leaves: readonly OptionNode[] } | { ok: false; reply: CommandReply } {
  const { command, leaves } = invocationOf(facts.options);
  if (facts.commandName !== COMMAND_NAME || !KNOWN.has(command)) return { ok: false, reply: unknownCommand(facts.commandName, command) };
  return { ok: true, command: command as CommandName, leaves };
}

export function requestFromFacts(facts: InvocationFacts): Mapped<CommandRequest> {
  const where = scope(facts);
  if (where === null) return { ok: false, reply: notInGuild };
  const which = commandOf(facts);
  if (!which.ok) return which;
  const options: Record<string, string> = {};
  for (const leaf of which.leaves) if (leaf.value !== undefined) options[leaf.name] = String(leaf.value);
  return {
    ok: true,
    request: {
      platform: 'discord',
      ...where,
      actor: { userId: facts.userId, canManage: canManageChannels(facts.permissions), managePermission: MANAGE_PERMISSION_NAME },
      command: which.command,
      options,
    },
  };
}

/** The autocomplete request, or null when there is nothing to suggest (outside a guild, unknown command). */
export function autocompleteFromFacts(facts: InvocationFacts): AutocompleteRequest | null {
  const where = scope(facts);
  if (where === null) return null;
  const which = commandOf(facts);
  if (!which.ok) return null;
  const focused = which.leaves.find((leaf) => leaf.focused === true);
  if (!focused) return null;
  return { ...where, command: which.command, option: focused.name, typed: String(focused.value ?? '') };
}

/** A raw chat-input command interaction as the core's request, or the reply that refuses it. */
export function toCommandRequest(raw: APIChatInputApplicationCommandInteraction): Mapped<CommandRequest> {
  return requestFromFacts(factsFromApi(raw));
}

export function toAutocompleteRequest(raw: APIApplicationCommandAutocompleteInteraction): AutocompleteRequest | null {
  return autocompleteFromFacts(factsFromApi(raw));
}
