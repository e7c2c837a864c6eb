/**
 * `wirewatch discord register [--guild ID]`: creates (or replaces) the /wirewatch slash command —
 * in one server, where it appears at once (development), or globally. Run once per deployment
 * and after upgrades that change the command, not at every start.
 */
import { createDiscordRest, registerCommands } from '../chat/discord/index.js';
import { WirewatchError } from '../errors.js';
import { EXIT } from './io.js';
import type { CommandContext } from './context.js';

export async function discordCommand({ io, values, positionals, loadConfig, createLogger }: CommandContext): Promise<number> {
  if (positionals[0] !== 'register' || positionals.length !== 1) {
    throw new WirewatchError('cli_usage', positionals[0] ? `unknown discord subcommand "${positionals.join(' ')}"` : 'name a discord subcommand');
  }
  const config = loadConfig();
  const logger = createLogger(config);
  if (!config.discord) {
    throw new WirewatchError('config_invalid', 'invalid configuration:\n  environment DISCORD_TOKEN: is needed to register the command (with DISCORD_APPLICATION_ID)');
  }
  const guildId = typeof values['guild'] === 'string' ? values['guild'] : undefined;
  if (guildId !== undefined && !/^\d{17,20}$/.test(guildId)) throw new WirewatchError('cli_usage', `--guild "${guildId}" is not a server id (17 to 20 digits)`);
  const rest = createDiscordRest({ token: config.discord.token, apiUrl: config.discord.apiUrl });
  try {
    await registerCommands({ rest, applicationId: config.discord.applicationId, ...(guildId ? { guildId } : {}) });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    logger.error({ err: error, status }, 'command registration failed');
    io.stderr.write(`wirewatch: Discord refused the registration${typeof status === 'number' ? ` (HTTP ${status})` : ''}: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
  io.stdout.write(
    guildId
      ? `Registered /wirewatch in server ${guildId}; it is available there now.\n`
      : 'Registered /wirewatch globally; Discord may take a while to show it in every server.\n',
  );
  return EXIT.ok;
}
