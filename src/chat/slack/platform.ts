/**
 * Slack's slash command, composed from the settings on Bolt 5: in HTTP mode (no SLACK_APP_TOKEN)
 * requests arrive on POST /slack/events of the service's own HTTP server through RouteReceiver;
 * in Socket Mode (SLACK_APP_TOKEN set) over Bolt's SocketModeReceiver. The listener is the same.
 * The alert sink is built elsewhere and handed in.
 */
import { App, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Clock } from '../../clock.js';
import type { CommandHandler } from '../../commands/types.js';
import type { AlertSink } from '../../delivery/sink.js';
import { WirewatchError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { ChatPlatform } from '../platform.js';
import { createAdminCheck, usersInfoLookup } from './admins.js';
import { boltLogger } from './bolt-logger.js';
import { attachCommandListener, type AttachedListener } from './command-listener.js';
import { RouteReceiver } from './receiver.js';

/** The Slack settings the adapter needs (the config module's SLACK_* variables). */
export interface SlackPlatformSettings {
  botToken: string;
  /** Set: Socket Mode; null: HTTP mode on POST /slack/events. */
  appToken: string | null;
  /** Required in HTTP mode. */
  signingSecret: string | null;
  /** The Web API base URL, ending in "/". */
  apiUrl: string;
  adminUsers: readonly string[];
}

export interface SlackPlatformDeps {
  commands: CommandHandler;
  logger: Logger;
  clock: Clock;
  sink: AlertSink;
  /** How long to wait for the core before acknowledging empty and replying through response_url (default 2 s). */
  deferAfterMs?: number;
  /** Web API timeout per request (default 5 s); users.info must fit in Slack's 3 s ack or the reply is deferred. */
  apiTimeoutMs?: number;
}

export interface SlackCommandApp {
  app: App;
  listener: AttachedListener;
}

/** Bounded client settings: a short timeout, few retries, no waiting out rate limits during a command. */
export function commandClientOptions(apiUrl: string, timeoutMs = 5000): WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    timeout: timeoutMs,
    retryConfig: { retries: 2, factor: 2, minTimeout: 100, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
  };
}

/**
 * The Bolt app with the `/wirewatch` listener over any receiver. Initialisation is deferred:
 * `app.init()` checks the bot token with auth.test, then `app.start()` starts the receiver.
 */
export function createSlackCommandApp(
  settings: Pick<SlackPlatformSettings, 'botToken' | 'apiUrl' | 'adminUsers'>,
  receiver: Receiver,
  deps: Omit<SlackPlatformDeps, 'sink'>,
): SlackCommandApp {
  const app = new App({
    token: settings.botToken,
    receiver,
    deferInitialization: true,
    convoStore: false,
    logger: boltLogger(deps.logger),
    clientOptions: commandClientOptions(settings.apiUrl, deps.apiTimeoutMs),
  });
  const admins = createAdminCheck({ adminUsers: settings.adminUsers, lookup: usersInfoLookup(app.client), clock: deps.clock, logger: deps.logger });
  const listener = attachCommandListener(app, {
    commands: deps.commands,
    admins,
    logger: deps.logger,
    ...(deps.deferAfterMs === undefined ? {} : { deferAfterMs: deps.deferAfterMs }),
  });
  return { app, listener };
}

export function createSlackPlatform(settings: SlackPlatformSettings, deps: SlackPlatformDeps): ChatPlatform {
  const logger = deps.logger.child({ platform: 'slack' });
  const inner = { ...deps, logger };
  let receiver: Receiver;
  let routeReceiver: RouteReceiver | null = null;
  if (settings.appToken) {
    receiver = new SocketModeReceiver({
      appToken: settings.appToken,
      logger: boltLogger(logger),
      installerOptions: { clientOptions: { slackApiUrl: settings.apiUrl } },
    });
  } else {
    if (!settings.signingSecret) {
      throw new WirewatchError('config_invalid', 'SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN is set (Socket Mode)');
    }
    routeReceiver = new RouteReceiver({ signingSecret: settings.signingSecret, clock: deps.clock, logger });
    receiver = routeReceiver;
  }
  const { app, listener } = createSlackCommandApp(settings, receiver, inner);
  const mode = settings.appToken ? 'socket' : 'http';
  let started = false;
  // Socket Mode: up between the socket's "connected" and a "reconnecting"/"disconnected".
  let socketUp = false;
  if (receiver instanceof SocketModeReceiver) {
    receiver.client.on('connected', () => (socketUp = true));
    receiver.client.on('reconnecting', () => (socketUp = false));
    receiver.client.on('disconnected', () => (socketUp = false));
  }
  return {
    prefix: 'slack:',
    sink: deps.sink,
    routes: routeReceiver ? [routeReceiver.route] : [],
    start: async () => {
      try {
        await app.init();
        await app.start();
      } catch (error) {
        await receiver.stop().catch(() => undefined);
        throw new WirewatchError('chat_login_failed', `could not connect to Slack: ${(error as Error).message}`, { cause: error });
      }
      started = true;
      logger.info({ mode }, mode === 'socket' ? 'connected to Slack (Socket Mode)' : 'taking Slack commands on POST /slack/events');
    },
    stop: async () => {
      if (started) await app.stop();
      started = false;
      await listener.idle();
    },
    connected: () => started && (mode === 'http' || socketUp),
  };
}
