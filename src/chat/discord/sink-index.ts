// The Discord alert sink's public surface (to be merged into the Discord adapter's index).
export { createDiscordSink, classifyDiscordError, parseDiscordChannelKey, discordChannelKey, type DiscordSinkOptions, type DiscordChannelTarget } from './sink.js';
export { renderAlertMessage, escapeFeedText, truncateText, alertNonce, alertColour, EMBED_LIMITS, ALERT_COLOURS, NONCE_LENGTH, type RenderAlertOptions, type DiscordAlertMessage } from './render-alert.js';
export { createDiscordRest, type DiscordRestOptions } from './rest.js';
