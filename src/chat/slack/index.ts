/** Slack: the `/wirewatch` slash command over Bolt 5, arriving on our HTTP server or over Socket Mode. */
export { SLASH_COMMAND, SYNTAX, parseCommandText, unescapeSlackText, tokenize, type ParsedCommand } from './command-text.js';
export { renderSlackReply, renderText, renderLine, MAX_TEXT, type SlackReplyMessage } from './reply.js';
export { escapeSlackText } from './escape.js';
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
// The alert side: rendering, the paced sink, and the WebClient it posts with.
export { createSlackSink, classifySlackError, classifySlackEditError, parseSlackChannelKey, slackChannelKey, SLACK_PERMANENT_ERRORS, SLACK_EDIT_REFUSED_ERRORS } from './sink.js';
export type { SlackChannelTarget, SlackSinkOptions } from './sink.js';
export { createSlackWebClient, SLACK_CLIENT_DEFAULTS } from './web-client.js';
export type { SlackWebClientOptions } from './web-client.js';
export { renderAlertMessage as renderSlackAlert, escapeMrkdwn, SLACK_LIMITS } from './render-alert.js';
export type { SlackAlertMessage, RenderAlertOptions as SlackRenderAlertOptions } from './render-alert.js';
export { renderFollowUpMessage as renderSlackFollowUp, renderEventEditMessage as renderSlackEventEdit } from './render-event.js';
export { createChannelPacer } from './pacing.js';
export type { ChannelPacer, ChannelPacerOptions, Paced, Sleep } from './pacing.js';
