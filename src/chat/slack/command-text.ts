/**
 * `/wirewatch …` as Slack sends it (one line of text, `should_escape` formatting) → the command
 * core's command and options, with the same names as Discord's options. Pure.
 *
 * Words are split on whitespace; a quoted argument ("…", “…”, „…“, «…») keeps its spaces. The
 * last argument of `watch add/remove` (term), `watch create` (query), `watch test` (text) and
 * `feeds add` (name) is the rest of the line as typed: terms and queries go to the core's query
 * parser untouched, because there quotes mean a phrase; text and name lose one pair of enclosing
 * quotes. Every argument may also be written Discord-style with its option name (`watchlist:x`,
 * `term:…`), so the core's help text works as typed.
 */
import { COMMAND_NAMES, type CommandName, type CommandReply, type Inline } from '../../commands/types.js';

export const SLASH_COMMAND = '/wirewatch';

type Kind =
  /** One word (or one quoted argument). */
  | 'word'
  /** Every remaining word not taken by a flag, joined by a space (id lists). */
  | 'words'
  /** The rest of the line as typed. */
  | 'rest'
  /** The rest of the line, without one pair of enclosing quotes. */
  | 'unquoted-rest';

interface Param {
  name: string;
  kind: Kind;
  required: boolean;
}

interface Syntax {
  params: readonly Param[];
  /** Optional `name:value` arguments anywhere on the line. */
  flags?: readonly string[];
  usage: string;
}

const p = (name: string, kind: Kind, required = true): Param => ({ name, kind, required });

export const SYNTAX: Readonly<Record<CommandName, Syntax>> = {
  subscribe: { params: [p('watchlists', 'words')], flags: ['feeds', 'followups'], usage: 'subscribe <watchlist ids…> [feeds:<feed ids>] [followups:on|off]' },
  unsubscribe: { params: [p('watchlists', 'words', false)], usage: 'unsubscribe [watchlist ids…]' },
  'watch add': { params: [p('watchlist', 'word'), p('term', 'rest')], usage: 'watch add <watchlist> <term or query>' },
  'watch remove': { params: [p('watchlist', 'word'), p('term', 'rest')], usage: 'watch remove <watchlist> <term>' },
  'watch create': { params: [p('id', 'word'), p('query', 'rest')], usage: 'watch create <id> <query>' },
  'watch list': { params: [p('watchlist', 'word', false)], usage: 'watch list [watchlist]' },
  'watch test': { params: [p('text', 'unquoted-rest')], usage: 'watch test <text>' },
  'feeds add': { params: [p('url', 'word'), p('name', 'unquoted-rest', false)], usage: 'feeds add <url> [name]' },
  'feeds remove': { params: [p('feed', 'word')], usage: 'feeds remove <feed id or url>' },
  'feeds list': { params: [], usage: 'feeds list' },
  status: { params: [], usage: 'status' },
  help: { params: [], usage: 'help' },
};

export type ParsedCommand = { ok: true; command: CommandName; options: Record<string, string> } | { ok: false; reply: CommandReply };

// ---------------------------------------------------------------------------------------------
// Slack's escaping

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
const decodeEntities = (s: string): string => s.replace(/&(amp|lt|gt);/g, (_m, name: string) => ENTITIES[name]!);

/** One `<…>` of Slack's formatting as the text a person typed. */
function unescapeAngle(inner: string): string {
  const bar = inner.indexOf('|');
  const target = decodeEntities(bar < 0 ? inner : inner.slice(0, bar));
  const label = bar < 0 ? null : decodeEntities(inner.slice(bar + 1));
  // <@U123|name> user, <#C123|name> channel, <!subteam^S1|@team> group, <!here> special mention
  if (target.startsWith('@')) return label === null ? target : `@${label.replace(/^@/, '')}`;
  if (target.startsWith('#')) return label === null ? target : `#${label.replace(/^#/, '')}`;
  if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0] ?? ''}`;
  // <https://x|x> and <https://x>: the link's address (Slack may have added http:// to "x.com")
  return target;
}

/** Slack's `should_escape` formatting undone: links and mentions as text, `&amp;` `&lt;` `&gt;` decoded. */
export function unescapeSlackText(text: string): string {
  return text.replace(/<([^<>]*)>|&(amp|lt|gt);/g, (_m, inner: string | undefined, entity: string | undefined) =>
    inner !== undefined ? unescapeAngle(inner) : ENTITIES[entity!]!,
  );
}

// ---------------------------------------------------------------------------------------------
// Words

const QUOTE_PAIRS: Readonly<Record<string, string>> = { '"': '"', '“': '”', '”': '”', '„': '“', '«': '»' };

interface Token {
  /** The word, without its quotes. */
  value: string;
  /** Where it starts in the line (at its opening quote, if any). */
  start: number;
  quoted: boolean;
}

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const start = i;
    const close = QUOTE_PAIRS[line[i]!];
    if (close !== undefined) {
      const end = line.indexOf(close, i + 1);
      if (end > i) {
        tokens.push({ value: line.slice(i + 1, end), start, quoted: true });
        i = end + 1;
        continue;
      }
    }
    while (i < line.length && !/\s/.test(line[i]!)) i++;
    tokens.push({ value: line.slice(start, i), start, quoted: false });
  }
  return tokens;
}

/** `text` without one pair of quotes around all of it. */
function withoutEnclosingQuotes(text: string): string {
  const close = QUOTE_PAIRS[text[0] ?? ''];
  if (close === undefined || text.length < 2 || !text.endsWith(close)) return text;
  const inner = text.slice(1, -1);
  return inner.includes(close) ? text : inner;
}

/** `value` without a leading `name:` (the Discord-style spelling of the same argument). */
function withoutName(value: string, name: string): string {
  return value.toLowerCase().startsWith(`${name}:`) ? value.slice(name.length + 1).trimStart() : value;
}

// ---------------------------------------------------------------------------------------------
// Errors

const GROUPS: Readonly<Record<string, readonly CommandName[]>> = {
  watch: ['watch add', 'watch remove', 'watch create', 'watch list', 'watch test'],
  feeds: ['feeds add', 'feeds remove', 'feeds list'],
};
const TOP_LEVEL = 'subscribe | unsubscribe | watch | feeds | status | help';

function usageLine(usages: readonly string[]): Inline[] {
  return ['Usage: ', ...usages.flatMap((u, i): Inline[] => [...(i > 0 ? [' · '] : []), { code: `${SLASH_COMMAND} ${u}` }])];
}

function invalidCommand(message: string, usages: readonly string[]): ParsedCommand {
  return { ok: false, reply: { outcome: 'user_error', code: 'command_invalid', lines: [message, usageLine(usages)] } };
}

// ---------------------------------------------------------------------------------------------
// Parsing

const KNOWN = new Set<string>(COMMAND_NAMES);

/** The command core's command and options for the text after `/wirewatch`, or the reply explaining what is wrong. */
export function parseCommandText(raw: string): ParsedCommand {
  const line = unescapeSlackText(raw).trim();
  const tokens = tokenize(line);
  const first = tokens[0]?.value.toLowerCase();
  if (first === undefined) return { ok: true, command: 'help', options: {} };
  let command: CommandName;
  let consumed: number;
  // Own keys only: "/wirewatch constructor" names no group, whatever Object.prototype holds.
  const group = Object.hasOwn(GROUPS, first) ? GROUPS[first] : undefined;
  if (group) {
    const second = tokens[1]?.value.toLowerCase();
    const name = `${first} ${second ?? ''}`;
    if (second === undefined || !KNOWN.has(name)) {
      const what = second === undefined ? `${first} needs a subcommand.` : `Unknown subcommand "${first} ${tokens[1]!.value}".`;
      return invalidCommand(what, group.map((c) => SYNTAX[c].usage));
    }
    command = name as CommandName;
    consumed = 2;
  } else if (KNOWN.has(first)) {
    command = first as CommandName;
    consumed = 1;
  } else {
    return invalidCommand(`Unknown subcommand "${tokens[0]!.value}"; ${SLASH_COMMAND} help lists them.`, [`<${TOP_LEVEL}> …`]);
  }
  return parseArguments(command, line, tokens.slice(consumed));
}

function parseArguments(command: CommandName, line: string, tokens: Token[]): ParsedCommand {
  const syntax = SYNTAX[command];
  const fail = (message: string) => invalidCommand(message, [syntax.usage]);
  const options: Record<string, string> = {};
  let rest = tokens;

  // Flags (`feeds:wire,afp` or `feeds: wire`) may stand anywhere among the words.
  for (const flag of syntax.flags ?? []) {
    const at = rest.findIndex((t) => !t.quoted && t.value.toLowerCase().startsWith(`${flag}:`));
    if (at < 0) continue;
    const inline = rest[at]!.value.slice(flag.length + 1);
    const next = rest[at + 1];
    const value = inline.length > 0 ? inline : (next?.value ?? '');
    if (value.trim().length === 0) return fail(`${flag}: needs a value.`);
    options[flag] = value;
    rest = [...rest.slice(0, at), ...rest.slice(at + (inline.length > 0 ? 1 : 2))];
  }

  for (const param of syntax.params) {
    const next = rest[0];
    if (next === undefined) {
      if (param.required) return fail(`${command} needs ${article(param.name)} ${param.name}.`);
      continue;
    }
    if (param.kind === 'word') {
      const value = next.quoted ? next.value : withoutName(next.value, param.name);
      if (value.length === 0) return fail(`${command} needs ${article(param.name)} ${param.name}.`);
      options[param.name] = value;
      rest = rest.slice(1);
    } else if (param.kind === 'words') {
      const value = rest.map((t) => (t.quoted ? t.value : withoutName(t.value, param.name))).join(' ').trim();
      if (value.length > 0) options[param.name] = value;
      else if (param.required) return fail(`${command} needs ${article(param.name)} ${param.name}.`);
      rest = [];
    } else {
      let value = withoutName(line.slice(next.start).trim(), param.name);
      if (param.kind === 'unquoted-rest') value = withoutEnclosingQuotes(value).trim();
      if (value.length > 0) options[param.name] = value;
      else if (param.required) return fail(`${command} needs ${article(param.name)} ${param.name}.`);
      rest = [];
    }
  }
  const extra = rest[0];
  if (extra !== undefined) return fail(`${command} does not take "${extra.value}".`);
  return { ok: true, command, options };
}

function article(name: string): string {
  if (name.endsWith('s')) return 'one or more';
  return /^[aeiou]/.test(name) ? 'an' : 'a';
}
