/**
 * The platform-neutral command core's surface: what a chat adapter hands in (a CommandRequest
 * built from a Discord interaction or a Slack slash command) and what it gets back (a
 * CommandReply it renders in its own markup). No chat SDK is imported here or anywhere under
 * src/commands/.
 */

export type Platform = 'discord' | 'slack';

/** The commands, by their full name: a group and its subcommand are joined by a space. */
export const COMMAND_NAMES = [
  'subscribe',
  'unsubscribe',
  'watch add',
  'watch remove',
  'watch create',
  'watch list',
  'watch test',
  'feeds add',
  'feeds remove',
  'feeds list',
  'status',
  'help',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

/** Commands that change what a channel receives or what its tenant owns: managers only. */
export const MANAGING_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'subscribe',
  'unsubscribe',
  'watch add',
  'watch remove',
  'watch create',
  'feeds add',
  'feeds remove',
]);

export interface CommandActor {
  /** The platform's user id, for logs. */
  userId: string;
  /** Whether the platform says this person manages the channel (Discord: Manage Channels). */
  canManage: boolean;
  /** What changing things needs on this platform, as refusals say it: "the Manage Channels permission". */
  managePermission: string;
}

export interface CommandRequest {
  platform: Platform;
  /** Who owns watchlists and feeds: "discord:<guild id>", "slack:<team id>". */
  tenant: string;
  /** Where alerts go: "discord:<guild id>:<channel id>", "slack:<team id>:<channel id>". */
  channel: string;
  actor: CommandActor;
  command: CommandName;
  /** Option values as typed, by the option names of the README (watchlists, feeds, term, url…). */
  options: Readonly<Record<string, string>>;
}

/**
 * A reply line is plain text and marked spans; adapters escape the plain text for their
 * platform (so nothing a user typed can ping or forge a link) and render the spans.
 */
export type Inline = string | { code: string } | { bold: string } | { link: string; label: string };
export type ReplyLine = string | readonly Inline[];

export type ReplyOutcome = 'ok' | 'refused' | 'user_error' | 'internal_error';

export interface CommandReply {
  outcome: ReplyOutcome;
  /** The error code for refusals and errors (logged; shown for internal errors). */
  code?: string;
  lines: readonly ReplyLine[];
}

/** One suggestion for an option being typed (Discord autocomplete: at most 25, value ≤ 100 chars). */
export interface Choice {
  name: string;
  value: string;
}

export interface AutocompleteRequest {
  tenant: string;
  channel: string;
  command: CommandName;
  /** The option being typed and what is typed so far. */
  option: string;
  typed: string;
}

/** What a chat adapter drives: the core's two entry points. */
export interface CommandHandler {
  execute(request: CommandRequest): Promise<CommandReply>;
  autocomplete(request: AutocompleteRequest): Promise<Choice[]>;
}
