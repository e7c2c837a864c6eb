/**
 * The one slash command, `/wirewatch`, as the JSON Discord registers. Option names are the
 * command core's option names (src/commands/types.ts), so mapping an interaction is by name.
 * Guild-only; hidden by default from members without Manage Channels (the core checks again at
 * run time, since server admins can change who sees a command).
 */
import {
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

export const COMMAND_NAME = 'wirewatch';

export const commandDefinition: RESTPostAPIChatInputApplicationCommandsJSONBody = new SlashCommandBuilder()
  .setName(COMMAND_NAME)
  .setDescription('News alerts for this channel')
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageChannels)
  .addSubcommand((s) =>
    s
      .setName('subscribe')
      .setDescription('Send alerts from watchlists to this channel')
      .addStringOption((o) => o.setName('watchlists').setDescription('Watchlist ids, comma-separated').setRequired(true))
      .addStringOption((o) => o.setName('feeds').setDescription('Only these feeds (ids, comma-separated)'))
      .addStringOption((o) =>
        o
          .setName('followups')
          .setDescription("Later outlets' stories of an event: in a thread under its alert (on), or only counted (off)")
          .addChoices({ name: 'on', value: 'on' }, { name: 'off', value: 'off' }),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('unsubscribe')
      .setDescription('Stop alerts in this channel')
      .addStringOption((o) => o.setName('watchlists').setDescription('Only these watchlists (default: all)')),
  )
  .addSubcommand((s) => s.setName('status').setDescription("This channel's subscriptions and feed health"))
  .addSubcommand((s) => s.setName('help').setDescription('How to use wirewatch'))
  .addSubcommandGroup((g) =>
    g
      .setName('watch')
      .setDescription('Watchlists')
      .addSubcommand((s) =>
        s
          .setName('add')
          .setDescription('Add a term to a watchlist')
          .addStringOption((o) => o.setName('watchlist').setDescription('Watchlist id').setRequired(true).setAutocomplete(true))
          .addStringOption((o) => o.setName('term').setDescription('Word or phrase to match').setRequired(true)),
      )
      .addSubcommand((s) =>
        s
          .setName('remove')
          .setDescription('Remove a term from a watchlist')
          .addStringOption((o) => o.setName('watchlist').setDescription('Watchlist id').setRequired(true).setAutocomplete(true))
          .addStringOption((o) => o.setName('term').setDescription('The term to remove').setRequired(true)),
      )
      .addSubcommand((s) =>
        s
          .setName('create')
          .setDescription('Create a watchlist from a query')
          .addStringOption((o) => o.setName('id').setDescription('New watchlist id').setRequired(true))
          .addStringOption((o) => o.setName('query').setDescription('Query, e.g. tariff* NEAR/5 Mexico').setRequired(true)),
      )
      .addSubcommand((s) =>
        s
          .setName('list')
          .setDescription('List watchlists, or one in detail')
          .addStringOption((o) => o.setName('watchlist').setDescription('Watchlist id').setAutocomplete(true)),
      )
      .addSubcommand((s) =>
        s
          .setName('test')
          .setDescription('Show which watchlists a text would match')
          .addStringOption((o) => o.setName('text').setDescription('A headline or sentence').setRequired(true)),
      ),
  )
  .addSubcommandGroup((g) =>
    g
      .setName('feeds')
      .setDescription('Feeds')
      .addSubcommand((s) =>
        s
          .setName('add')
          .setDescription('Add an RSS or Atom feed')
          .addStringOption((o) => o.setName('url').setDescription('Feed URL').setRequired(true))
          .addStringOption((o) => o.setName('name').setDescription('Name shown in alerts')),
      )
      .addSubcommand((s) =>
        s
          .setName('remove')
          .setDescription('Remove a feed')
          .addStringOption((o) => o.setName('feed').setDescription('Feed id').setRequired(true).setAutocomplete(true)),
      )
      .addSubcommand((s) => s.setName('list').setDescription('List feeds')),
  )
  .toJSON();
