/**
 * The Slack alert sink: each alert is one chat.postMessage in the channel its key names
 * (`slack:<team id>:<channel id>`), at most one message per second per channel (a queue per
 * channel, each post 1 s after the previous one was answered; channels do not wait for each
 * other). A failure becomes a DeliveryError classified by
 * the WebClient's error type, HTTP status and Slack's documented `error` code — never by message
 * text:
 *   429 (WebAPIRateLimitedError), `ratelimited`                      → rate_limited, Retry-After
 *   channel_not_found, not_in_channel, is_archived, invalid_auth,
 *   account_inactive, token_revoked, missing_scope, restricted_action… → permanent, with the reason
 *   5xx after the client's retries, timeouts, network errors,
 *   internal_error, fatal_error, service_unavailable, request_timeout  → transient
 *   any other platform error (invalid_blocks, msg_too_long,
 *   msg_blocks_too_long, …): our message, not the channel, is wrong.  A minimal version of the alert
 *   is posted instead; if Slack refuses that too, the failure is transient, so the channel keeps
 *   its other alerts and this one is tried again later.
 */
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, type WebClient } from '@slack/web-api';
import { isRollUp, type OutboxPayload } from '../../alerts/rollup.js';
import { isEventEdit, type EventEdit, type SentMessage } from '../../alerts/event-thread.js';
import type { Clock } from '../../clock.js';
import { DeliveryError, type AlertSink } from '../../delivery/sink.js';
import type { Logger } from '../../log.js';
import { printableExcerpt } from '../../safe-text.js';
import { createChannelPacer, type Sleep } from './pacing.js';
import { renderAlertMessage, type RenderAlertOptions, type SlackAlertMessage } from './render-alert.js';
import { renderRollUpMessage } from './render-rollup.js';

/** An alert's blocks, or a roll-up's. */
function render(payload: Exclude<OutboxPayload, EventEdit>, options: RenderAlertOptions = {}): SlackAlertMessage {
  return isRollUp(payload) ? renderRollUpMessage(payload, options) : renderAlertMessage(payload, options);
}

export interface SlackChannelTarget {
  teamId: string;
  channelId: string;
}

/** Workspace (T…) or Enterprise Grid org (E…) ids; public (C…), private (G…) and DM (D…) channel ids. */
const TEAM_ID = /^[TE][A-Z0-9]{2,30}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,30}$/;

/** `slack:<team id>:<channel id>` → its ids; null for anything else. */
export function parseSlackChannelKey(key: string): SlackChannelTarget | null {
  const [platform, teamId, channelId, ...rest] = key.split(':');
  if (platform !== 'slack' || rest.length > 0 || !teamId || !channelId) return null;
  if (!TEAM_ID.test(teamId) || !CHANNEL_ID.test(channelId)) return null;
  return { teamId, channelId };
}

export function slackChannelKey(target: SlackChannelTarget): string {
  return `slack:${target.teamId}:${target.channelId}`;
}

/** Slack `error` codes that mean the bot cannot post in this channel until someone changes something. */
export const SLACK_PERMANENT_ERRORS: ReadonlyMap<string, string> = new Map([
  ['channel_not_found', 'the channel does not exist or the bot cannot see it (channel_not_found)'],
  ['not_in_channel', 'the bot is not a member of this channel: invite it with /invite @wirewatch (not_in_channel)'],
  ['is_archived', 'the channel is archived (is_archived)'],
  ['invalid_auth', 'the bot token is not valid (invalid_auth)'],
  ['not_authed', 'no bot token was sent (not_authed)'],
  ['account_inactive', 'the bot or its workspace has been deactivated (account_inactive)'],
  ['token_revoked', 'the bot token has been revoked: the app was uninstalled (token_revoked)'],
  ['token_expired', 'the bot token has expired (token_expired)'],
  ['missing_scope', 'the app lacks the chat:write scope: reinstall it from its manifest (missing_scope)'],
  ['no_permission', 'the bot may not post here (no_permission)'],
  ['access_denied', 'the bot may not post here (access_denied)'],
  ['restricted_action', 'the workspace does not allow the bot to post in this channel (restricted_action)'],
  ['restricted_action_read_only_channel', 'the channel is read-only (restricted_action_read_only_channel)'],
  ['restricted_action_thread_only_channel', 'the channel takes thread replies only (restricted_action_thread_only_channel)'],
  ['restricted_action_non_threadable_channel', 'the workspace does not allow the bot to post in this channel (restricted_action_non_threadable_channel)'],
  ['team_access_not_granted', 'the app is not granted access to this workspace (team_access_not_granted)'],
  ['ekm_access_denied', 'the workspace administrators have suspended posting (ekm_access_denied)'],
  ['not_allowed_token_type', 'the token is not a bot token (not_allowed_token_type)'],
  ['org_login_required', 'the workspace is being migrated to an Enterprise org (org_login_required)'],
  ['enterprise_is_restricted', 'the method is not allowed in this Enterprise org (enterprise_is_restricted)'],
  ['messages_tab_disabled', 'messages to this app are disabled (messages_tab_disabled)'],
]);

/** Slack's own trouble: try again later. */
const SLACK_TRANSIENT_ERRORS: ReadonlySet<string> = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
  'message_limit_exceeded',
  'accesslimited',
]);

const SLACK_RATE_LIMIT_ERRORS: ReadonlySet<string> = new Set(['ratelimited', 'rate_limited']);

export interface SlackSinkOptions {
  client: WebClient;
  logger: Logger;
  /** For the per-channel pacing; the system clock and real timers by default. */
  clock?: Clock;
  sleep?: Sleep;
  /** Least time between two posts to one channel; default 1000 ms (Slack's documented rate). */
  channelIntervalMs?: number;
}

export function createSlackSink(options: SlackSinkOptions): AlertSink {
  const { client, logger } = options;
  const pacer = createChannelPacer({
    intervalMs: options.channelIntervalMs ?? 1000,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });

  async function post(channelId: string, message: SlackAlertMessage): Promise<string | null> {
    const result = await client.chat.postMessage({ channel: channelId, ...message });
    return typeof result.ts === 'string' ? result.ts : null;
  }

  return {
    name: 'slack',
    deliver: async (alert: OutboxPayload): Promise<SentMessage | void> => {
      // Edits of an event's first alert: not posted by this sink yet.
      if (isEventEdit(alert)) return;
      const target = parseSlackChannelKey(alert.channel);
      if (!target) {
        throw new DeliveryError('permanent', `"${printableExcerpt(alert.channel, 80)}" is not a Slack channel (expected slack:<team id>:<channel id>)`, {
          details: { channel: alert.channel },
        });
      }
      const log = logger.child({ channel_id: target.channelId, team_id: target.teamId, story_id: isRollUp(alert) ? alert.id : alert.story.id });
      let sent: SentMessage | undefined;
      await pacer.run(target.channelId, async (paced) => {
        try {
          const ts = await paced(() => post(target.channelId, render(alert)));
          log.info({ message_ts: ts }, 'alert posted to Slack');
          if (ts) sent = { ref: ts };
        } catch (error) {
          const code = ourMessageRefused(error);
          if (code === null) throw classifySlackError(error, log);
          log.error({ slack_error: code, slack_detail: responseMessages(error) }, 'Slack refused the alert message as invalid; posting a minimal version');
          try {
            const ts = await paced(() => post(target.channelId, render(alert, { minimal: true })));
            log.warn({ message_ts: ts }, 'minimal alert posted to Slack');
            if (ts) sent = { ref: ts };
          } catch (second) {
            throw classifySlackError(second, log);
          }
        }
      });
      return sent;
    },
  };
}

/** The `error` code when Slack refused the message itself (not the channel, the token or its own state); else null. */
function ourMessageRefused(error: unknown): string | null {
  if (!(error instanceof WebAPIPlatformError)) return null;
  const code = error.data.error;
  if (SLACK_PERMANENT_ERRORS.has(code) || SLACK_TRANSIENT_ERRORS.has(code) || SLACK_RATE_LIMIT_ERRORS.has(code)) return null;
  return code;
}

/** Slack's explanation of an invalid_blocks and the like (`response_metadata.messages`), bounded. */
function responseMessages(error: unknown): string[] {
  if (!(error instanceof WebAPIPlatformError)) return [];
  const messages = error.data.response_metadata?.messages;
  return Array.isArray(messages) ? messages.slice(0, 5).map((m) => printableExcerpt(String(m), 300)) : [];
}

/** What a failed post means for the channel, by type, status and Slack error code. Logs it with those keys. */
export function classifySlackError(error: unknown, log: Logger): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof WebAPIRateLimitedError) {
    log.warn({ retry_after_s: error.retryAfter }, 'Slack rate limit (429)');
    return new DeliveryError('rate_limited', `Slack asked to wait ${error.retryAfter} s`, {
      cause: error,
      retryAfterMs: error.retryAfter * 1000,
      details: { retry_after_s: error.retryAfter },
    });
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const details = { slack_error: code };
    if (SLACK_RATE_LIMIT_ERRORS.has(code)) {
      const after = error.data.response_metadata?.retryAfter;
      log.warn({ slack_error: code, retry_after_s: after ?? null }, 'Slack rate limit');
      return new DeliveryError('rate_limited', `Slack refused the alert: ${code}`, {
        cause: error,
        retryAfterMs: typeof after === 'number' ? after * 1000 : null,
        details,
      });
    }
    const reason = SLACK_PERMANENT_ERRORS.get(code);
    if (reason) {
      log.warn({ slack_error: code }, 'Slack refused the alert for good');
      return new DeliveryError('permanent', `Cannot post alerts here: ${reason}`, { cause: error, details });
    }
    log.error({ slack_error: code, slack_detail: responseMessages(error) }, 'Slack refused the alert');
    return new DeliveryError('transient', `Slack refused the alert (${printableExcerpt(code, 80)})`, { cause: error, details });
  }
  if (error instanceof WebAPIHTTPError) {
    log.warn({ slack_status: error.statusCode }, 'Slack failed to take the alert');
    return new DeliveryError('transient', `Slack answered HTTP ${error.statusCode}`, { cause: error, details: { status: error.statusCode } });
  }
  if (error instanceof WebAPIRequestError) {
    const name = error.original.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    log.warn({ err: error.original, timed_out: timedOut }, 'could not reach Slack');
    return new DeliveryError('transient', timedOut ? 'Slack did not answer in time' : 'Slack could not be reached', { cause: error, details: { error: name } });
  }
  const name = error instanceof Error ? error.name : 'Error';
  log.warn({ err: error }, 'posting to Slack failed');
  return new DeliveryError('transient', 'posting to Slack failed', { cause: error, details: { error: name } });
}
