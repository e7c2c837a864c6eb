/** Slack: the `/wirewatch` slash command over Bolt 5, arriving on our HTTP server or over Socket Mode. */
export { SLASH_COMMAND, SYNTAX, parseCommandText, unescapeSlackText, tokenize, type ParsedCommand } from './command-text.js';
export { renderSlackReply, renderText, renderLine, escapeMrkdwn, MAX_TEXT, type SlackReplyMessage } from './reply.js';
export {
  createAdminCheck,
  isWorkspaceManager,
  usersInfoLookup,
  SLACK_MANAGE_PERMISSION,
  DEFAULT_ADMIN_CACHE_MS,
  type AdminCheck,
  type AdminCheckOptions,
  type LookupUser,
  type SlackUserFacts,
} from './admins.js';
export {
  attachCommandListener,
  mapSlashCommand,
  DEFAULT_DEFER_AFTER_MS,
  type AttachedListener,
  type CommandListenerOptions,
  type MappedCommand,
  type SlashCommandFacts,
} from './command-listener.js';
export { RouteReceiver, EVENTS_PATH, ackResponse, parseBody, type RouteReceiverOptions } from './receiver.js';
export { boltLogger } from './bolt-logger.js';
export {
  createSlackPlatform,
  createSlackCommandApp,
  commandClientOptions,
  type SlackPlatformSettings,
  type SlackPlatformDeps,
  type SlackCommandApp,
} from './platform.js';
