/**
 * The Slack alert sink: each alert is one chat.postMessage in the channel its key names
 * (`slack:<team id>:<channel id>`); a follow-up of an event is a reply under the event's first
 * alert (`thread_ts`, `reply_broadcast: false`), and an edit is a chat.update of the first alert
 * with the outlet count. At most one message — post, reply or edit — per second per channel (a
 * queue per channel, each request 1 s after the previous one was answered; channels do not wait
 * for each other). A failure becomes a DeliveryError classified by
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
 * A reply whose parent is gone (thread_not_found, message_not_found) is posted in the channel as
 * an alert instead. An edit refused with message_not_found, cant_update_message or
 * edit_window_closed is permanent: the worker drops it and never pauses a channel for an edit.
 */
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, type WebClient } from '@slack/web-api';
import { isRollUp, type OutboxPayload } from '../../alerts/rollup.js';
import type { Alert } from '../../alerts/alert.js';
import { isEventEdit, isFollowUp, type EventEdit, type SentMessage, type ThreadTarget } from '../../alerts/event-thread.js';
import type { Clock } from '../../clock.js';
import { DeliveryError, type AlertSink } from '../../delivery/sink.js';
import type { Logger } from '../../log.js';
import { printableExcerpt } from '../../safe-text.js';
import { createChannelPacer, type Paced, type Sleep } from './pacing.js';
import { renderAlertMessage, type RenderAlertOptions, type SlackAlertMessage } from './render-alert.js';
import { renderEventEditMessage, renderFollowUpMessage } from './render-event.js';
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

  async function post(channelId: string, message: SlackAlertMessage, reply?: { thread_ts: string; reply_broadcast: false }): Promise<string | null> {
    const result = await client.chat.postMessage({ channel: channelId, ...message, ...reply });
    return typeof result.ts === 'string' ? result.ts : null;
  }

  /** chat.update takes no unfurl settings; `parse: none` as in posts (chat.update's own default is `client`). */
  async function update(channelId: string, ts: string, message: SlackAlertMessage): Promise<void> {
    const { text, blocks, parse } = message;
    await client.chat.update({ channel: channelId, ts, text, blocks, parse });
  }

  /** An alert or a roll-up, as a message of its own in the channel. */
  function postAlert(target: SlackChannelTarget, payload: Exclude<OutboxPayload, EventEdit>, log: Logger): Promise<SentMessage | undefined> {
    return pacer.run(target.channelId, async (paced) => {
      try {
        return posted(await sendOrMinimal(paced, (o) => post(target.channelId, render(payload, o)), log), log);
      } catch (error) {
        throw classifySlackError(error, log);
      }
    });
  }

  /**
   * A later story of an event: a reply under the first alert (`thread_ts`), not broadcast to the
   * channel. When the first alert is gone (deleted: thread_not_found, message_not_found) the story
   * is posted as an alert of its own in the channel instead — the full alert, since there is no
   * first one left to read it under — and the channel is not paused for it.
   */
  function postFollowUp(target: SlackChannelTarget, alert: Alert & { thread: ThreadTarget }, log: Logger): Promise<SentMessage | undefined> {
    const parent = alert.thread.firstRef;
    const reply = { thread_ts: parent, reply_broadcast: false } as const;
    return pacer.run(target.channelId, async (paced) => {
      try {
        const sent = await sendOrMinimal(paced, (o) => post(target.channelId, renderFollowUpMessage(alert, o), reply), log);
        log.info({ message_ts: sent.ts, thread_ts: parent, minimal: sent.minimal }, 'follow-up posted to Slack under the event’s first alert');
        return sent.ts ? { ref: sent.ts } : undefined;
      } catch (error) {
        const gone = parentGone(error);
        if (gone === null) throw classifySlackError(error, log);
        log.warn({ slack_error: gone, thread_ts: parent }, 'the event’s first alert is gone from Slack; posting the follow-up as an alert in the channel');
        try {
          const alone = posted(await sendOrMinimal(paced, (o) => post(target.channelId, renderAlertMessage(alert, o)), log), log);
          // This message is the event's first alert from now on: later follow-ups and edits go to it.
          return alone ? { ...alone, rerooted: true } : undefined;
        } catch (second) {
          throw classifySlackError(second, log);
        }
      }
    });
  }

  /** The event's first alert edited with the outlet count (chat.update of its `ts`), paced like a post. */
  function editFirstAlert(target: SlackChannelTarget, edit: EventEdit, log: Logger): Promise<void> {
    const send = async (o: RenderAlertOptions): Promise<string> => {
      await update(target.channelId, edit.firstRef, renderEventEditMessage(edit, o));
      return edit.firstRef;
    };
    return pacer.run(target.channelId, async (paced) => {
      try {
        const sent = await sendOrMinimal(paced, send, log);
        log.info({ message_ts: edit.firstRef, outlets: edit.outlets.length, minimal: sent.minimal }, 'first alert of the event edited in Slack with its outlet count');
      } catch (error) {
        throw classifySlackEditError(error, log);
      }
    });
  }

  return {
    name: 'slack',
    deliver: async (payload: OutboxPayload): Promise<SentMessage | void> => {
      const target = parseSlackChannelKey(payload.channel);
      if (!target) {
        throw new DeliveryError('permanent', `"${printableExcerpt(payload.channel, 80)}" is not a Slack channel (expected slack:<team id>:<channel id>)`, {
          details: { channel: payload.channel },
        });
      }
      const keys = { channel_id: target.channelId, team_id: target.teamId };
      if (isEventEdit(payload)) return editFirstAlert(target, payload, logger.child({ ...keys, story_id: payload.id, event_id: payload.eventId }));
      if (isRollUp(payload)) return postAlert(target, payload, logger.child({ ...keys, story_id: payload.id }));
      const log = logger.child({ ...keys, story_id: payload.story.id, ...(payload.event ? { event_id: payload.event.id } : {}) });
      return isFollowUp(payload) ? postFollowUp(target, payload, log) : postAlert(target, payload, log);
    },
  };
}

interface Sent {
  ts: string | null;
  /** The minimal version went, after Slack refused the full one as invalid. */
  minimal: boolean;
}

/**
 * Sends the full message and, when Slack refuses it as invalid (our message, not the channel, is
 * wrong), the minimal one; each paced. What fails is thrown as the WebClient threw it, for the
 * caller to classify.
 */
async function sendOrMinimal(paced: Paced, send: (options: RenderAlertOptions) => Promise<string | null>, log: Logger): Promise<Sent> {
  try {
    return { ts: await paced(() => send({})), minimal: false };
  } catch (error) {
    const code = ourMessageRefused(error);
    if (code === null) throw error;
    log.error({ slack_error: code, slack_detail: responseMessages(error) }, 'Slack refused the alert message as invalid; sending a minimal version');
    return { ts: await paced(() => send({ minimal: true })), minimal: true };
  }
}

function posted(sent: Sent, log: Logger): SentMessage | undefined {
  if (sent.minimal) log.warn({ message_ts: sent.ts }, 'minimal alert posted to Slack');
  else log.info({ message_ts: sent.ts }, 'alert posted to Slack');
  return sent.ts ? { ref: sent.ts } : undefined;
}

/** Slack `error` codes saying a reply's parent message is not there (deleted, or never in this channel). */
const SLACK_PARENT_GONE_ERRORS: ReadonlySet<string> = new Set(['thread_not_found', 'message_not_found']);

/** Slack `error` codes of chat.update that mean this message will never take the edit. */
export const SLACK_EDIT_REFUSED_ERRORS: ReadonlyMap<string, string> = new Map([
  ['message_not_found', 'the message is gone (message_not_found)'],
  ['cant_update_message', 'the bot may not edit this message (cant_update_message)'],
  ['edit_window_closed', 'the workspace no longer allows editing this message (edit_window_closed)'],
]);

/** The parent-gone code of a failed reply, else null. */
function parentGone(error: unknown): string | null {
  return error instanceof WebAPIPlatformError && SLACK_PARENT_GONE_ERRORS.has(error.data.error) ? error.data.error : null;
}

/**
 * A failed edit: the edit-only refusals are permanent (the worker then drops the edit, leaving the
 * first alert as it is, and never pauses the channel for an edit); the rest as for posts.
 */
export function classifySlackEditError(error: unknown, log: Logger): DeliveryError {
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const reason = SLACK_EDIT_REFUSED_ERRORS.get(code);
    if (reason) {
      log.warn({ slack_error: code }, 'Slack refused the edit of the first alert for good');
      return new DeliveryError('permanent', `Cannot edit the event’s first alert: ${reason}`, { cause: error, details: { slack_error: code } });
    }
  }
  return classifySlackError(error, log);
}

/** The `error` code when Slack refused the message itself (not the channel, the token, a missing parent or its own state); else null. */
function ourMessageRefused(error: unknown): string | null {
  if (!(error instanceof WebAPIPlatformError)) return null;
  const code = error.data.error;
  if (SLACK_PERMANENT_ERRORS.has(code) || SLACK_TRANSIENT_ERRORS.has(code) || SLACK_RATE_LIMIT_ERRORS.has(code)) return null;
  if (SLACK_PARENT_GONE_ERRORS.has(code) || SLACK_EDIT_REFUSED_ERRORS.has(code)) return null;
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
