/** The Slack alert side: rendering, the paced sink, and the WebClient it posts with. */
export { createSlackSink, classifySlackError, parseSlackChannelKey, slackChannelKey, SLACK_PERMANENT_ERRORS } from './sink.js';
export type { SlackChannelTarget, SlackSinkOptions } from './sink.js';
export { createSlackWebClient, SLACK_CLIENT_DEFAULTS } from './web-client.js';
export type { SlackWebClientOptions } from './web-client.js';
export { renderAlertMessage, escapeSlackText, escapeMrkdwn, SLACK_LIMITS } from './render-alert.js';
export type { SlackAlertMessage, RenderAlertOptions as SlackRenderAlertOptions } from './render-alert.js';
export { createChannelPacer } from './pacing.js';
export type { ChannelPacer, ChannelPacerOptions, Paced, Sleep } from './pacing.js';
