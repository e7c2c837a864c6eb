/**
 * Gateway delivery of slash commands (the default when DISCORD_PUBLIC_KEY is not set): a
 * discord.js Client, logged in elsewhere, hands interactions to the command core here. Same
 * behaviour as the HTTP endpoint: the reply at once when the core is quick, else a deferred
 * ephemeral reply edited later; suggestions for autocomplete.
 */
import {
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type CommandInteractionOption,
  type Interaction,
} from 'discord.js';
import type { CommandReply } from '../../commands/types.js';
import { interactionLogKeys, restFailureKeys, runAutocomplete, runCommand, type DispatchOptions } from './interactions-dispatch.js';
import { autocompleteFromFacts, requestFromFacts, type InvocationFacts, type OptionNode } from './interactions-mapping.js';
import { renderReply } from './interactions-reply.js';

/** The only intent wirewatch needs: interactions arrive with it, and it asks for no privileged one. */
export const GATEWAY_INTENTS = [GatewayIntentBits.Guilds] as const;

function optionNode(option: CommandInteractionOption): OptionNode {
  return {
    name: option.name,
    type: option.type,
    value: option.value ?? undefined,
    focused: option.focused,
    options: option.options?.map(optionNode),
  };
}

function factsOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): InvocationFacts {
  return {
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    permissions: interaction.memberPermissions?.bitfield.toString() ?? null,
    commandName: interaction.commandName,
    options: interaction.options.data.map(optionNode),
  };
}

function replyBody(reply: CommandReply) {
  const { content } = renderReply(reply);
  return { content, allowedMentions: { parse: [] } };
}

async function onCommand(options: DispatchOptions, interaction: ChatInputCommandInteraction): Promise<void> {
  const { logger } = options;
  const mapped = requestFromFacts(factsOf(interaction));
  if (!mapped.ok) {
    logger.info({ interaction_id: interaction.id, guild_id: interaction.guildId, channel_id: interaction.channelId, code: mapped.reply.code }, 'command refused before the core');
    await interaction.reply({ ...replyBody(mapped.reply), flags: MessageFlags.Ephemeral });
    return;
  }
  const keys = interactionLogKeys(mapped.request, interaction.id);
  const outcome = await runCommand(options, mapped.request, interaction.id);
  if (outcome.ready) {
    await interaction.reply({ ...replyBody(outcome.reply), flags: MessageFlags.Ephemeral });
    logger.info({ ...keys, outcome: outcome.reply.outcome, deferred: false }, 'command answered');
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const reply = await outcome.reply;
  await interaction.editReply(replyBody(reply));
  logger.info({ ...keys, outcome: reply.outcome, deferred: true }, 'command answered');
}

async function onAutocomplete(options: DispatchOptions, interaction: AutocompleteInteraction): Promise<void> {
  const request = autocompleteFromFacts(factsOf(interaction));
  await interaction.respond(request === null ? [] : await runAutocomplete(options, request, interaction.id));
}

/**
 * Answers slash commands and autocomplete arriving on `client`. Returns a function that stops
 * listening, and `idle()`, which resolves once every interaction received so far is answered.
 */
export function attachGatewayHandler(client: Client, options: DispatchOptions): { detach(): void; idle(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  const listener = (interaction: Interaction) => {
    let work: Promise<void>;
    if (interaction.isChatInputCommand()) work = onCommand(options, interaction);
    else if (interaction.isAutocomplete()) work = onAutocomplete(options, interaction);
    else return;
    const tracked = work
      .catch((error: unknown) => {
        options.logger.error(
          { interaction_id: interaction.id, guild_id: interaction.guildId, channel_id: interaction.channelId, code: 'discord_reply_failed', ...restFailureKeys(error) },
          'could not answer an interaction',
        );
      })
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  client.on(Events.InteractionCreate, listener);
  return {
    detach: () => {
      client.off(Events.InteractionCreate, listener);
    },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
