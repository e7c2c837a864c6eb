/** Discord: slash commands (definition, registration, the two ways interactions arrive) and alerts as embeds. */
export { COMMAND_NAME, commandDefinition } from './commands-definition.js';
export { registerCommands, type RegisterCommandsOptions } from './commands-register.js';
export { toCommandRequest, toAutocompleteRequest, type Mapped } from './interactions-mapping.js';
export { renderReply, type DiscordReplyMessage } from './interactions-reply.js';
export { DEFAULT_DEFER_AFTER_MS, type DispatchOptions } from './interactions-dispatch.js';
export { discordInteractionsRoute, INTERACTIONS_PATH, type DiscordInteractionsRoute, type InteractionsRouteOptions } from './interactions-http.js';
export { attachGatewayHandler, GATEWAY_INTENTS } from './gateway.js';
export { parsePublicKey } from './verify.js';
export { createDiscordSink, classifyDiscordError, parseDiscordChannelKey, discordChannelKey, type DiscordSinkOptions, type DiscordChannelTarget } from './sink.js';
export { renderAlertMessage, type DiscordAlertMessage } from './render-alert.js';
export { createDiscordRest, type DiscordRestOptions } from './rest.js';
export { createDiscordPlatform, type DiscordPlatformSettings } from './platform.js';
