/**
 * The Discord alert sink: each alert is one message in the channel its key names
 * (`discord:<guild id>:<channel id>`), posted through @discordjs/rest, whose queue honours
 * Discord's rate limits. A failure becomes a DeliveryError classified by the error's type, HTTP
 * status and Discord code — never by message text:
 *   403, 404, Missing Access / Missing Permissions / Unknown Channel  → permanent
 *   5xx after the client's retries, timeouts, network errors, 401     → transient
 *   a rate limit longer than the client may wait (RateLimitError)      → rate_limited
 *   400 (Invalid Form Body): our message, not the channel, is wrong. A minimal version of the
 *   alert is posted instead; if Discord refuses that too, the failure is transient, so the
 *   channel keeps its other alerts and this one is tried again later.
 */
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes, Routes, type REST } from 'discord.js';
import { isRollUp, type OutboxPayload } from '../../alerts/rollup.js';
import { isEventEdit, type EventEdit } from '../../alerts/event-thread.js';
import { DeliveryError, type AlertSink } from '../../delivery/sink.js';
import type { Logger } from '../../log.js';
import { printableExcerpt } from '../../safe-text.js';
import { renderAlertMessage, type DiscordAlertMessage, type RenderAlertOptions } from './render-alert.js';
import { renderRollUpMessage } from './render-rollup.js';

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

/** Discord codes that mean the bot cannot post in this channel until someone changes something. */
const CHANNEL_GONE: ReadonlyMap<number, string> = new Map([
  [RESTJSONErrorCodes.MissingAccess, 'the bot cannot see this channel (Missing Access)'],
  [RESTJSONErrorCodes.MissingPermissions, 'the bot may not post here: it needs View Channel, Send Messages and Embed Links (Missing Permissions)'],
  [RESTJSONErrorCodes.UnknownChannel, 'the channel no longer exists (Unknown Channel)'],
  [RESTJSONErrorCodes.UnknownGuild, 'the bot is no longer in this server (Unknown Guild)'],
]);

export interface DiscordSinkOptions {
  rest: REST;
  logger: Logger;
}

export function createDiscordSink(options: DiscordSinkOptions): AlertSink {
  const { rest, logger } = options;

  async function post(channelId: string, body: DiscordAlertMessage): Promise<string | null> {
    const message = (await rest.post(Routes.channelMessages(channelId), { body })) as { id?: unknown } | null;
    return typeof message?.id === 'string' ? message.id : null;
  }

  return {
    name: 'discord',
    deliver: async (alert: OutboxPayload) => {
      // Edits of an event's first alert: not posted by this sink yet.
      if (isEventEdit(alert)) return;
      const target = parseDiscordChannelKey(alert.channel);
      if (!target) {
        throw new DeliveryError('permanent', `"${printableExcerpt(alert.channel, 80)}" is not a Discord channel (expected discord:<server id>:<channel id>)`, {
          details: { channel: alert.channel },
        });
      }
      const log = logger.child({ channel_id: target.channelId, guild_id: target.guildId, story_id: isRollUp(alert) ? alert.id : alert.story.id });
      try {
        const messageId = await post(target.channelId, render(alert));
        log.info({ message_id: messageId }, 'alert posted to Discord');
        return messageId ? { ref: messageId } : undefined;
      } catch (error) {
        if (!isInvalidBody(error)) throw classifyDiscordError(error, log);
        log.error(
          { discord_status: error.status, discord_code: error.code, discord_error: error.rawError },
          'Discord refused the alert message as invalid; posting a minimal version',
        );
        try {
          const messageId = await post(target.channelId, render(alert, { minimal: true }));
          log.warn({ message_id: messageId }, 'minimal alert posted to Discord');
          return messageId ? { ref: messageId } : undefined;
        } catch (second) {
          throw classifyDiscordError(second, log);
        }
      }
    },
  };
}

function isInvalidBody(error: unknown): error is DiscordAPIError {
  return error instanceof DiscordAPIError && error.status === 400;
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
    const code = typeof error.code === 'number' ? error.code : null;
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
