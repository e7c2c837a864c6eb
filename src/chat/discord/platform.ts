/**
 * Discord, composed from the settings: the alert sink (REST), and slash commands arriving either
 * as signed HTTP POSTs (DISCORD_PUBLIC_KEY set: a route on the HTTP server, no gateway) or over
 * the gateway (a discord.js Client with the Guilds intent only).
 */
import { Client } from 'discord.js';
import type { Logger } from '../../log.js';
import type { Clock } from '../../clock.js';
import type { CommandHandler } from '../../commands/index.js';
import { WirewatchError } from '../../errors.js';
import type { ChatPlatform } from '../platform.js';
import { createDiscordRest } from './rest.js';
import { createDiscordSink } from './sink.js';
import { discordInteractionsRoute } from './interactions-http.js';
import { attachGatewayHandler, GATEWAY_INTENTS } from './gateway.js';

/** The Discord settings the adapter needs (the config module's DISCORD_* variables). */
export interface DiscordPlatformSettings {
  token: string;
  /** Set: slash commands arrive as signed HTTP POSTs; null: over the gateway. */
  publicKey: string | null;
  apiUrl: string;
}

export function createDiscordPlatform(settings: DiscordPlatformSettings, deps: { commands: CommandHandler; logger: Logger; clock: Clock }): ChatPlatform {
  const logger = deps.logger.child({ platform: 'discord' });
  const rest = createDiscordRest({ token: settings.token, apiUrl: settings.apiUrl });
  const sink = createDiscordSink({ rest, logger });
  if (settings.publicKey) {
    const route = discordInteractionsRoute({ publicKey: settings.publicKey, rest, clock: deps.clock, handler: deps.commands, logger });
    let started = false;
    return {
      prefix: 'discord:',
      sink,
      routes: [route],
      start: () => {
        started = true;
        return Promise.resolve();
      },
      stop: () => {
        started = false;
        return route.idle();
      },
      connected: () => started,
    };
  }
  const client = new Client({ intents: [...GATEWAY_INTENTS], rest: { api: settings.apiUrl } });
  const attached = attachGatewayHandler(client, { handler: deps.commands, logger });
  return {
    prefix: 'discord:',
    sink,
    routes: [],
    start: async () => {
      try {
        await client.login(settings.token);
      } catch (error) {
        await client.destroy();
        throw new WirewatchError('chat_login_failed', `could not connect to the Discord gateway: ${(error as Error).message}`, { cause: error });
      }
      logger.info('connected to the Discord gateway');
    },
    stop: async () => {
      attached.detach();
      await attached.idle();
      await client.destroy();
    },
    connected: () => client.isReady(),
  };
}
