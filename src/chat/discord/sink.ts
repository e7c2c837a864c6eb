/**
 * The Discord alert sink: each alert is one message in the channel its key names
 * (`discord:<guild id>:<channel id>`), posted through @discordjs/rest, whose queue honours
 * Discord's rate limits. One alert per event: a follow-up goes into a thread started from the
 * event's first alert, or is a reply to it where threads are refused (follow-up.ts); an edit
 * re-renders the first alert with the outlets that reported the event (PATCH of that message).
 * Every message and edit sends `allowed_mentions: { parse: [] }`.
 *
 * A failure becomes a DeliveryError classified by the error's type, HTTP status and Discord code —
 * never by message text (errors.ts): 403, 404 → permanent; 5xx, timeouts, network errors →
 * transient; a rate limit longer than the client may wait → rate_limited. A 400 (Invalid Form
 * Body) means our message, not the channel, is wrong: a minimal version is posted instead; if
 * Discord refuses that too, the failure is transient, so the channel keeps its other alerts and
 * this one is tried again later.
 */
import { Routes, type REST } from 'discord.js';
import { isRollUp, type OutboxPayload } from '../../alerts/rollup.js';
import { isEventEdit, isFollowUp, type EventEdit, type SentMessage } from '../../alerts/event-thread.js';
import { DeliveryError, type AlertSink } from '../../delivery/sink.js';
import type { Logger } from '../../log.js';
import { printableExcerpt } from '../../safe-text.js';
import { classifyDiscordError, discordCode, isInvalidBody, isUnknownMessage } from './errors.js';
import { postFollowUp, type PostMessage, type RenderMessage } from './follow-up.js';
import { renderAlertMessage, type DiscordAlertMessage, type RenderAlertOptions } from './render-alert.js';
import { renderFirstAlertEdit } from './render-event.js';
import { renderRollUpMessage } from './render-rollup.js';

export { classifyDiscordError } from './errors.js';

/** An alert's embed, or a roll-up's. */
function render(payload: Exclude<OutboxPayload, EventEdit>, options: RenderAlertOptions = {}): DiscordAlertMessage {
  return isRollUp(payload) ? renderRollUpMessage(payload, options) : renderAlertMessage(payload, options);
}

export interface DiscordChannelTarget {
  guildId: string;
  channelId: string;
}

const SNOWFLAKE = /^\d{17,20}$/;

/** `discord:<guild id>:<channel id>` → its ids; null for anything else. */
export function parseDiscordChannelKey(key: string): DiscordChannelTarget | null {
  const [platform, guildId, channelId, ...rest] = key.split(':');
  if (platform !== 'discord' || rest.length > 0 || !guildId || !channelId) return null;
  if (!SNOWFLAKE.test(guildId) || !SNOWFLAKE.test(channelId)) return null;
  return { guildId, channelId };
}

export function discordChannelKey(target: DiscordChannelTarget): string {
  return `discord:${target.guildId}:${target.channelId}`;
}

export interface DiscordSinkOptions {
  rest: REST;
  logger: Logger;
}

export function createDiscordSink(options: DiscordSinkOptions): AlertSink {
  const { rest, logger } = options;

  async function postOnce(channelId: string, body: DiscordAlertMessage): Promise<string | null> {
    const message = (await rest.post(Routes.channelMessages(channelId), { body })) as { id?: unknown } | null;
    return typeof message?.id === 'string' ? message.id : null;
  }

  /** The full message, or the minimal one when Discord refuses the full one as invalid; errors thrown as they came. */
  function poster(log: Logger): PostMessage {
    return async (channelId: string, render: RenderMessage) => {
      try {
        return await postOnce(channelId, render(false));
      } catch (error) {
        if (!isInvalidBody(error)) throw error;
        log.error({ discord_status: error.status, discord_code: error.code, discord_error: error.rawError }, 'Discord refused the alert message as invalid; posting a minimal version');
        const messageId = await postOnce(channelId, render(true));
        log.warn({ message_id: messageId }, 'minimal alert posted to Discord');
        return messageId;
      }
    };
  }

  async function send(channelId: string, payload: Exclude<OutboxPayload, EventEdit>, log: Logger): Promise<SentMessage | undefined> {
    if (!isRollUp(payload) && isFollowUp(payload)) return postFollowUp({ rest, post: poster(log), log, channelId }, payload);
    const messageId = await poster(log)(channelId, (minimal) => render(payload, { minimal }));
    log.info({ message_id: messageId }, 'alert posted to Discord');
    return messageId ? { ref: messageId } : undefined;
  }

  /** The first alert of an event, edited to say how many outlets reported it. */
  async function edit(channelId: string, payload: EventEdit, log: Logger): Promise<SentMessage> {
    const patch = (minimal: boolean) => rest.patch(Routes.channelMessage(channelId, payload.firstRef), { body: renderFirstAlertEdit(payload, { minimal }) });
    try {
      await patch(false);
    } catch (error) {
      if (!isInvalidBody(error)) throw error;
      log.error({ discord_status: error.status, discord_code: error.code, discord_error: error.rawError }, 'Discord refused the edit as invalid; editing with a minimal version');
      await patch(true);
    }
    log.info({ message_id: payload.firstRef, event_id: payload.eventId, outlets: payload.outlets.length }, 'first alert of the event edited with its outlets');
    return { ref: payload.firstRef };
  }

  return {
    name: 'discord',
    deliver: async (payload: OutboxPayload) => {
      const target = parseDiscordChannelKey(payload.channel);
      if (!target) {
        throw new DeliveryError('permanent', `"${printableExcerpt(payload.channel, 80)}" is not a Discord channel (expected discord:<server id>:<channel id>)`, {
          details: { channel: payload.channel },
        });
      }
      const storyId = isEventEdit(payload) ? payload.id : isRollUp(payload) ? payload.id : payload.story.id;
      const log = logger.child({ channel_id: target.channelId, guild_id: target.guildId, story_id: storyId });
      try {
        return isEventEdit(payload) ? await edit(target.channelId, payload, log) : await send(target.channelId, payload, log);
      } catch (error) {
        if (isEventEdit(payload) && isUnknownMessage(error)) {
          log.warn({ message_id: payload.firstRef, event_id: payload.eventId }, 'the first alert of the event was deleted; it cannot be edited');
          throw new DeliveryError('permanent', 'The first alert of the event no longer exists (Unknown Message)', { cause: error, details: { discord_code: discordCode(error) } });
        }
        throw classifyDiscordError(error, log);
      }
    },
  };
}
