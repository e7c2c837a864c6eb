/**
 * Interaction payloads shaped by discord-api-types (so drift fails at compile time), Ed25519
 * signing as Discord does it, a recording command handler, and the one place that reaches into
 * discord.js to inject an interaction without a gateway.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  InteractionType,
  PermissionFlagsBits,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteraction,
  type APIInteractionGuildMember,
  type APIUser,
  type GuildMemberFlags,
  type Client,
} from 'discord.js';
import type { AutocompleteRequest, Choice, CommandHandler, CommandReply, CommandRequest } from '../../../src/commands/types.js';
import type { Logger } from '../../../src/log.js';

export const APP_ID = '1187654321098765432';
export const GUILD_ID = '1123456789012345678';
export const CHANNEL_ID = '1198765432109876543';
export const USER_ID = '412345678901234567';
export const COMMAND_ID = '1234567890123456789';

const user: APIUser = { id: USER_ID, username: 'alice', discriminator: '0', avatar: null, global_name: 'Alice' };

function member(permissions: bigint): APIInteractionGuildMember {
  return {
    user,
    roles: [],
    permissions: String(permissions),
    joined_at: '2025-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
  };
}

let interactionSeq = 1_350_000_000_000_000_000n;

/** `/wirewatch <path…>` with `options` as string options; `path` is ['watch', 'add'] or ['status']. */
export function commandInteraction(
  path: readonly string[],
  options: Record<string, string> = {},
  overrides: { permissions?: bigint; dm?: boolean; commandName?: string; channelId?: string } = {},
): APIChatInputApplicationCommandInteraction {
  const leaves: APIApplicationCommandInteractionDataOption[] = Object.entries(options).map(([name, value]) => ({
    name,
    type: ApplicationCommandOptionType.String,
    value,
  }));
  return wrap(path, leaves, overrides, InteractionType.ApplicationCommand) as APIChatInputApplicationCommandInteraction;
}

export function autocompleteInteraction(path: readonly string[], focused: string, typed: string): APIApplicationCommandAutocompleteInteraction {
  const leaves: APIApplicationCommandInteractionDataOption[] = [
    { name: focused, type: ApplicationCommandOptionType.String, value: typed, focused: true },
  ];
  return wrap(path, leaves, {}, InteractionType.ApplicationCommandAutocomplete) as APIApplicationCommandAutocompleteInteraction;
}

function wrap(
  path: readonly string[],
  leaves: APIApplicationCommandInteractionDataOption[],
  overrides: { permissions?: bigint; dm?: boolean; commandName?: string; channelId?: string },
  type: InteractionType.ApplicationCommand | InteractionType.ApplicationCommandAutocomplete,
): unknown {
  const [first, second] = path;
  const options: APIApplicationCommandInteractionDataOption[] =
    second !== undefined
      ? [{ name: first!, type: ApplicationCommandOptionType.SubcommandGroup, options: [{ name: second, type: ApplicationCommandOptionType.Subcommand, options: leaves as never }] }]
      : first !== undefined
        ? [{ name: first, type: ApplicationCommandOptionType.Subcommand, options: leaves as never }]
        : leaves;
  const permissions = overrides.permissions ?? PermissionFlagsBits.ManageChannels | PermissionFlagsBits.SendMessages;
  const base = {
    id: String(interactionSeq++),
    application_id: APP_ID,
    type,
    token: `itoken-${interactionSeq}`,
    version: 1,
    app_permissions: '0',
    locale: 'en-US',
    entitlements: [],
    attachment_size_limit: 8_388_608,
    data: { id: COMMAND_ID, name: overrides.commandName ?? 'wirewatch', type: ApplicationCommandType.ChatInput, options },
  };
  if (overrides.dm) {
    return {
      ...base,
      channel_id: '1234500000000000001',
      channel: { id: '1234500000000000001', type: 1, recipients: [user], flags: 0 },
      user,
      authorizing_integration_owners: { 1: USER_ID },
      context: InteractionContextType.BotDM,
    };
  }
  return {
    ...base,
    guild_id: GUILD_ID,
    guild: { id: GUILD_ID, features: [], locale: 'en-US' },
    guild_locale: 'en-US',
    channel_id: overrides.channelId ?? CHANNEL_ID,
    channel: { id: overrides.channelId ?? CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'news', flags: 0 },
    member: member(permissions),
    authorizing_integration_owners: { 0: GUILD_ID },
    context: InteractionContextType.Guild,
  };
}

export interface Signer {
  /** The raw public key as the developer portal shows it: 64 hex characters. */
  publicKeyHex: string;
  privateKey: KeyObject;
  /** Headers Discord would send for `body` at `timestampSeconds`. */
  headers(body: string, timestampSeconds: number): Record<string, string>;
}

export function newSigner(): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  return {
    publicKeyHex,
    privateKey,
    headers: (body, timestampSeconds) => {
      const ts = String(timestampSeconds);
      return {
        'content-type': 'application/json',
        'x-signature-ed25519': sign(null, Buffer.from(ts + body), privateKey).toString('hex'),
        'x-signature-timestamp': ts,
      };
    },
  };
}

/** A command core written for the test: replies per command, records what it was asked. */
export class TestHandler implements CommandHandler {
  readonly requests: CommandRequest[] = [];
  readonly autocompletes: AutocompleteRequest[] = [];
  replies = new Map<string, (request: CommandRequest) => Promise<CommandReply>>();
  choices: Choice[] = [];

  async execute(request: CommandRequest): Promise<CommandReply> {
    this.requests.push(request);
    const reply = this.replies.get(request.command);
    return reply ? reply(request) : { outcome: 'ok', lines: [`ran ${request.command}`] };
  }

  async autocomplete(request: AutocompleteRequest): Promise<Choice[]> {
    this.autocompletes.push(request);
    return this.choices;
  }
}

/** A promise the test resolves by hand: lets a handler be "slow" without any timing. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** A logger whose JSON lines the test can read. */
export function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/**
 * Delivers a raw interaction to a Client as the gateway's INTERACTION_CREATE handler does. The
 * action is private in discord.js's typings; this is the only place that reaches it.
 */
export function injectInteraction(client: Client, raw: APIChatInputApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction): void {
  (client as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } }).actions.InteractionCreate.handle(raw);
}
