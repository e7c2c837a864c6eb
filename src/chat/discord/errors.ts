/**
 * What Discord's refusals mean, by the error's type, HTTP status and Discord code — never by
 * message text. `classifyDiscordError` turns a failed request into a DeliveryError for the worker:
 *   403, 404, Missing Access / Missing Permissions / Unknown Channel  → permanent
 *   5xx after the client's retries, timeouts, network errors, 401     → transient
 *   a rate limit longer than the client may wait (RateLimitError)      → rate_limited
 *   400: our message is wrong, not the channel                         → transient
 * The predicates below sort the refusals a follow-up can meet on its way into a thread: the ones
 * about threads (refused here, gone, closed) are answered by the sink with another way in, and
 * never reach the classification.
 */
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import { DeliveryError } from '../../delivery/sink.js';
import type { Logger } from '../../log.js';

/** Discord codes that mean the bot cannot post in this channel until someone changes something. */
const CHANNEL_GONE: ReadonlyMap<number, string> = new Map([
  [RESTJSONErrorCodes.MissingAccess, 'the bot cannot see this channel (Missing Access)'],
  [RESTJSONErrorCodes.MissingPermissions, 'the bot may not post here: it needs View Channel, Send Messages and Embed Links (Missing Permissions)'],
  [RESTJSONErrorCodes.UnknownChannel, 'the channel no longer exists (Unknown Channel)'],
  [RESTJSONErrorCodes.UnknownGuild, 'the bot is no longer in this server (Unknown Guild)'],
]);

/**
 * Starting a thread from the first alert refused because threads cannot or may not be started
 * there (besides any 403): an announcement or voice text channel, the server's active-thread cap,
 * the first message deleted. Follow-ups become replies.
 */
const THREADS_REFUSED: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType,
  RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel,
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.MaximumActiveThreads,
  RESTJSONErrorCodes.MaximumActiveAnnouncementThreads,
]);

/** Posting in a thread that is still there but closed to the bot (besides any 403). */
const THREAD_CLOSED: ReadonlySet<number> = new Set([RESTJSONErrorCodes.InvalidActionOnArchivedThread, RESTJSONErrorCodes.ThreadLocked]);

/** A reply refused because the bot may not read the channel's history: posted without the reference. */
const REPLY_REFUSED: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.CannotReplyWithoutPermissionToReadMessageHistory,
  RESTJSONErrorCodes.CannotReferenceAMessageWithoutPermissionToReadMessageHistory,
]);

/** 400s that speak of the channel or thread, not of the message body. */
const NOT_ABOUT_THE_BODY: ReadonlySet<number> = new Set([...THREADS_REFUSED, ...THREAD_CLOSED, ...REPLY_REFUSED, RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage]);

/** Discord's JSON error code, or null (not a Discord API error, or a code-less one). */
export function discordCode(error: unknown): number | null {
  return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : null;
}

/** 400 about our message (Invalid Form Body and the like): a minimal version may still go through. */
export function isInvalidBody(error: unknown): error is DiscordAPIError {
  return error instanceof DiscordAPIError && error.status === 400 && !NOT_ABOUT_THE_BODY.has(discordCode(error) ?? -1);
}

/** "A thread has already been created for this message": it has the message's id. */
export function isThreadAlreadyCreated(error: unknown): boolean {
  return discordCode(error) === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage;
}

/** Starting a thread refused: not allowed or not permitted here. */
export function isThreadsRefused(error: unknown): error is DiscordAPIError {
  return error instanceof DiscordAPIError && (error.status === 403 || THREADS_REFUSED.has(discordCode(error) ?? -1));
}

/** Posting in a known thread answered Unknown Channel: the thread was deleted. */
export function isThreadGone(error: unknown): boolean {
  return discordCode(error) === RESTJSONErrorCodes.UnknownChannel;
}

/** Posting in a known thread refused: archived and locked, or the bot may not post in threads. */
export function isThreadClosed(error: unknown): boolean {
  return error instanceof DiscordAPIError && (error.status === 403 || THREAD_CLOSED.has(discordCode(error) ?? -1));
}

export function isReplyRefused(error: unknown): boolean {
  return REPLY_REFUSED.has(discordCode(error) ?? -1);
}

/** The first alert's message was deleted: an edit of it can never succeed. */
export function isUnknownMessage(error: unknown): boolean {
  return discordCode(error) === RESTJSONErrorCodes.UnknownMessage;
}

/** What a failed post means for the channel, by type, status and code. Logs it with those keys. */
export function classifyDiscordError(error: unknown, log: Logger): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof RateLimitError) {
    log.warn({ retry_after_ms: error.retryAfter, scope: error.scope, global: error.global }, 'Discord rate limit longer than the client waits');
    return new DeliveryError('rate_limited', `Discord asked to wait ${Math.ceil(error.retryAfter / 1000)} s`, {
      cause: error,
      retryAfterMs: error.retryAfter,
      details: { scope: error.scope, global: error.global },
    });
  }
  if (error instanceof DiscordAPIError) {
    const code = discordCode(error);
    const details = { status: error.status, discord_code: error.code };
    const known = code === null ? undefined : CHANNEL_GONE.get(code);
    if (known || error.status === 403 || error.status === 404) {
      const said = known ?? `Discord answered ${error.status}${code !== null ? ` (code ${code})` : ''}`;
      log.warn({ discord_status: error.status, discord_code: error.code }, 'Discord refused the alert for good');
      return new DeliveryError('permanent', `Cannot post alerts here: ${said}`, { cause: error, details });
    }
    log.error({ discord_status: error.status, discord_code: error.code, discord_error: error.rawError }, 'Discord refused the alert');
    return new DeliveryError('transient', `Discord refused the alert (HTTP ${error.status}${code !== null ? `, code ${code}` : ''})`, { cause: error, details });
  }
  if (error instanceof HTTPError) {
    log.warn({ discord_status: error.status }, 'Discord failed to take the alert');
    return new DeliveryError('transient', `Discord answered ${error.status}`, { cause: error, details: { status: error.status } });
  }
  const name = error instanceof Error ? error.name : 'Error';
  log.warn({ err: error }, 'could not reach Discord');
  return new DeliveryError('transient', name === 'AbortError' ? 'Discord did not answer in time' : 'Discord could not be reached', {
    cause: error,
    details: { error: name },
  });
}
