/**
 * A follow-up on Discord: a later outlet's story of an event goes into a thread started from the
 * event's first alert. Where that cannot be, it is a reply to the first alert instead, and the
 * event's later follow-ups go straight to replies:
 *
 *   no thread yet                 start one from the first alert, post in it
 *     … "already created" 160004  the thread exists and has the message's id: post in it
 *     … refused (any 403, 50024 wrong channel type, 50008, 10008 first alert deleted,
 *       160006/160007 too many active threads)                       → reply
 *   a thread known                post in it
 *     … Unknown Channel 10003     the thread was deleted: start a new one as above; a reply when
 *                                 Discord hands back the same dead thread
 *     … archived and locked 50083, locked 160005, any 403           → reply
 *   replies                       reply
 *     … refused for want of Read Message History (160002, 160009): posted without the reference
 *
 * A refusal that is about the channel itself (Unknown Channel on the channel, Missing Access on
 * the reply) is thrown as it came, for the sink to classify like an alert's: such a channel is
 * paused. A thread in trouble never is.
 */
import { Routes, type REST } from 'discord.js';
import type { Alert } from '../../alerts/alert.js';
import type { SentMessage, ThreadTarget } from '../../alerts/event-thread.js';
import type { Logger } from '../../log.js';
import { discordCode, isReplyRefused, isThreadAlreadyCreated, isThreadClosed, isThreadGone, isThreadsRefused } from './errors.js';
import type { DiscordAlertMessage } from './render-alert.js';
import { renderFollowUpMessage, renderThreadStart } from './render-event.js';

/** `threadRef` once threads were refused in the channel for this event. */
export const REPLIES = 'replies';

/** A message body, full or minimal (posted when Discord refuses the full one as invalid). */
export type RenderMessage = (minimal: boolean) => DiscordAlertMessage;

/** Posts a message (the minimal version if the full one is refused as invalid); the message's id. */
export type PostMessage = (channelId: string, render: RenderMessage) => Promise<string | null>;

export interface FollowUpContext {
  rest: REST;
  post: PostMessage;
  log: Logger;
  /** The channel the event's first alert is in. */
  channelId: string;
}

type FollowUp = Alert & { thread: ThreadTarget };

export async function postFollowUp(context: FollowUpContext, alert: FollowUp): Promise<SentMessage> {
  const { threadRef } = alert.thread;
  if (threadRef === REPLIES) return reply(context, alert);
  if (threadRef === null) return startThreadAndPost(context, alert, null);
  try {
    return await postInThread(context, threadRef, alert);
  } catch (error) {
    if (isThreadGone(error)) {
      context.log.warn({ thread_id: threadRef, discord_code: discordCode(error) }, 'the event’s thread was deleted; starting a new one');
      return startThreadAndPost(context, alert, threadRef);
    }
    if (isThreadClosed(error)) {
      context.log.warn({ thread_id: threadRef, discord_code: discordCode(error) }, 'the event’s thread is closed to the bot; replying to the first alert instead');
      return reply(context, alert);
    }
    throw error;
  }
}

/** A thread from the first alert (or the one it already has), and the follow-up in it; `dead`: a thread that just answered Unknown Channel. */
async function startThreadAndPost(context: FollowUpContext, alert: FollowUp, dead: string | null): Promise<SentMessage> {
  const { firstRef } = alert.thread;
  let threadId: string;
  let existing = false;
  try {
    const thread = (await context.rest.post(Routes.threads(context.channelId, firstRef), { body: renderThreadStart(alert) })) as { id?: unknown } | null;
    // A thread started from a message has the message's id.
    threadId = typeof thread?.id === 'string' ? thread.id : firstRef;
    context.log.info({ thread_id: threadId, message_id: firstRef }, 'thread started from the first alert of the event');
  } catch (error) {
    if (isThreadAlreadyCreated(error)) {
      threadId = firstRef;
      existing = true;
    } else if (isThreadsRefused(error)) {
      context.log.warn({ message_id: firstRef, discord_status: error.status, discord_code: discordCode(error) }, 'cannot start a thread here; replying to the first alert instead');
      return reply(context, alert);
    } else throw error;
  }
  // Discord handed back the thread that just refused the post (a new one would have answered 201).
  if (existing && threadId === dead) return reply(context, alert);
  try {
    return await postInThread(context, threadId, alert);
  } catch (error) {
    if (!isThreadGone(error) && !isThreadClosed(error)) throw error;
    context.log.warn({ thread_id: threadId, discord_code: discordCode(error) }, 'cannot post in the event’s thread; replying to the first alert instead');
    return reply(context, alert);
  }
}

async function postInThread(context: FollowUpContext, threadId: string, alert: FollowUp): Promise<SentMessage> {
  const messageId = await context.post(threadId, (minimal) => renderFollowUpMessage(alert, { minimal }));
  context.log.info({ thread_id: threadId, message_id: messageId }, 'follow-up posted in the event’s thread');
  // Discord always answers with the message; only the thread is read back for a follow-up.
  return { ref: messageId ?? threadId, threadRef: threadId };
}

/** The follow-up as a reply to the first alert (a plain message if the first alert is gone or may not be referenced). */
async function reply(context: FollowUpContext, alert: FollowUp): Promise<SentMessage> {
  const reference = { message_id: alert.thread.firstRef, fail_if_not_exists: false };
  let messageId: string | null;
  try {
    messageId = await context.post(context.channelId, (minimal) => ({ ...renderFollowUpMessage(alert, { minimal }), message_reference: reference }));
  } catch (error) {
    if (!isReplyRefused(error)) throw error;
    context.log.warn({ discord_code: discordCode(error) }, 'may not reply without Read Message History; posting the follow-up without the reference');
    messageId = await context.post(context.channelId, (minimal) => renderFollowUpMessage(alert, { minimal }));
  }
  context.log.info({ message_id: messageId, reply_to: alert.thread.firstRef }, 'follow-up posted as a reply to the first alert');
  return { ref: messageId ?? context.channelId, threadRef: REPLIES };
}
