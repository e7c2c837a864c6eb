import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../../src/commands/types.js';
import { commandDefinition } from '../../../src/chat/discord/commands-definition.js';
import { canManageChannels, toAutocompleteRequest, toCommandRequest } from '../../../src/chat/discord/interactions-mapping.js';
import { renderReply } from '../../../src/chat/discord/interactions-reply.js';
import { toDiscordChoices } from '../../../src/chat/discord/interactions-dispatch.js';
import { autocompleteInteraction, CHANNEL_ID, commandInteraction, GUILD_ID, USER_ID } from './fixtures.js';

describe('toCommandRequest', () => {
  it('maps a group subcommand with its options by name', () => {
    const mapped = toCommandRequest(commandInteraction(['watch', 'add'], { watchlist: 'cartel_leaders', term: 'El Mencho' }));
    expect(mapped).toEqual({
      ok: true,
      request: {
        platform: 'discord',
        tenant: `discord:${GUILD_ID}`,
        channel: `discord:${GUILD_ID}:${CHANNEL_ID}`,
        actor: { userId: USER_ID, canManage: true, managePermission: 'the Manage Channels permission' },
        command: 'watch add',
        options: { watchlist: 'cartel_leaders', term: 'El Mencho' },
      },
    });
  });

  it.each([
    [['subscribe'], { watchlists: 'tariffs,extradition', feeds: 'insightcrime' }, 'subscribe'],
    [['unsubscribe'], {}, 'unsubscribe'],
    [['status'], {}, 'status'],
    [['feeds', 'remove'], { feed: 'insightcrime' }, 'feeds remove'],
    [['watch', 'test'], { text: 'México extradita a "El Mayo"' }, 'watch test'],
  ] as const)('%j → %s', (path, options, command) => {
    const mapped = toCommandRequest(commandInteraction(path, options));
    expect(mapped.ok && mapped.request.command).toBe(command);
    expect(mapped.ok && mapped.request.options).toEqual(options);
  });

  it('a member without Manage Channels cannot manage', () => {
    const mapped = toCommandRequest(commandInteraction(['subscribe'], { watchlists: 'tariffs' }, { permissions: PermissionFlagsBits.SendMessages }));
    expect(mapped.ok && mapped.request.actor.canManage).toBe(false);
  });

  it.each([
    ['Manage Channels', String(PermissionFlagsBits.ManageChannels), true],
    ['Administrator implies it', String(PermissionFlagsBits.Administrator), true],
    ['other permissions', String(PermissionFlagsBits.ManageMessages | PermissionFlagsBits.KickMembers), false],
    ['none', '0', false],
    ['not a bitfield', 'everything', false],
    ['missing', null, false],
  ])('canManageChannels: %s', (_name, bits, expected) => {
    expect(canManageChannels(bits)).toBe(expected);
  });

  it('a DM is refused with an ephemeral reply', () => {
    const mapped = toCommandRequest(commandInteraction(['status'], {}, { dm: true }));
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(renderReply(mapped.reply)).toEqual({ content: 'This command works in a server channel.', flags: 64, allowed_mentions: { parse: [] } });
  });

  it.each([
    ['an unknown subcommand', ['purge'], '/wirewatch purge'],
    ['an unknown group subcommand', ['watch', 'rename'], '/wirewatch watch rename'],
  ])('%s gets a clear reply', (_name, path, shown) => {
    const mapped = toCommandRequest(commandInteraction(path));
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.reply.outcome).toBe('user_error');
    expect(renderReply(mapped.reply).content).toBe(`Unknown command \`${shown}\`. Try \`/wirewatch help\`.`);
  });

  it('a command of another name is not ours', () => {
    const mapped = toCommandRequest(commandInteraction(['status'], {}, { commandName: 'news' }));
    expect(mapped.ok).toBe(false);
  });
});

describe('toAutocompleteRequest', () => {
  it('names the focused option and what is typed', () => {
    expect(toAutocompleteRequest(autocompleteInteraction(['watch', 'remove'], 'watchlist', 'car'))).toEqual({
      tenant: `discord:${GUILD_ID}`,
      channel: `discord:${GUILD_ID}:${CHANNEL_ID}`,
      command: 'watch remove',
      option: 'watchlist',
      typed: 'car',
    });
  });
});

describe('commandDefinition', () => {
  type Node = { name: string; type: number; autocomplete?: boolean; required?: boolean; options?: Node[] };
  const commands = (): string[] =>
    (commandDefinition.options as Node[]).flatMap((o) => (o.type === 2 ? (o.options ?? []).map((s) => `${o.name} ${s.name}`) : [o.name]));
  const optionsOf = (path: string): Node[] => {
    const [a, b] = path.split(' ');
    const first = (commandDefinition.options as Node[]).find((o) => o.name === a)!;
    return (b === undefined ? first.options : first.options!.find((s) => s.name === b)!.options) ?? [];
  };

  it('is one guild-only /wirewatch command for Manage Channels, with every core command', () => {
    expect(commandDefinition.name).toBe('wirewatch');
    expect(commandDefinition.contexts).toEqual([0]);
    expect(commandDefinition.default_member_permissions).toBe('16');
    expect(commands().sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it.each([
    ['subscribe', 'watchlists!, feeds, followups'],
    ['unsubscribe', 'watchlists'],
    ['status', ''],
    ['help', ''],
    ['watch add', 'watchlist!*, term!'],
    ['watch remove', 'watchlist!*, term!'],
    ['watch create', 'id!, query!'],
    ['watch list', 'watchlist*'],
    ['watch test', 'text!'],
    ['feeds add', 'url!, name'],
    ['feeds remove', 'feed!*'],
    ['feeds list', ''],
  ])('%s takes %s (! required, * autocomplete)', (path, expected) => {
    const shown = optionsOf(path).map((o) => `${o.name}${o.required ? '!' : ''}${o.autocomplete ? '*' : ''}`);
    expect(shown.join(', ')).toBe(expected);
    for (const o of optionsOf(path)) expect(o.type).toBe(3);
  });
});

describe('toDiscordChoices', () => {
  it('keeps at most 25, drops values Discord would refuse, shortens long names without splitting a character', () => {
    const long = `${'x'.repeat(98)}😀tail`;
    const choices = toDiscordChoices([
      { name: 'ok', value: 'ok' },
      { name: 'too long a value', value: 'v'.repeat(101) },
      { name: '', value: 'empty_name' },
      { name: long, value: 'long_name' },
      ...Array.from({ length: 30 }, (_, i) => ({ name: `n${i}`, value: `v${i}` })),
    ]);
    expect(choices).toHaveLength(25);
    expect(choices.slice(0, 3)).toEqual([
      { name: 'ok', value: 'ok' },
      { name: 'empty_name', value: 'empty_name' },
      { name: `${'x'.repeat(98)}…`, value: 'long_name' },
    ]);
  });
});
