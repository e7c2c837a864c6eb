/**
 * Registers the `/wirewatch` command. PUT is a bulk overwrite of the application's commands in
 * that scope: per guild (instant, for development) or global. Run on demand, not at every start.
 */
import { Routes, type REST } from 'discord.js';
import { commandDefinition } from './commands-definition.js';

export interface RegisterCommandsOptions {
  /** A REST client with the bot token set. */
  rest: REST;
  applicationId: string;
  /** Register in this guild only; omitted: globally. */
  guildId?: string;
}

export async function registerCommands(options: RegisterCommandsOptions): Promise<void> {
  const { rest, applicationId, guildId } = options;
  const route = guildId === undefined ? Routes.applicationCommands(applicationId) : Routes.applicationGuildCommands(applicationId, guildId);
  await rest.put(route, { body: [commandDefinition] });
}
