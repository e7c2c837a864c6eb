/**
 * POST /discord/interactions: Discord's HTTP delivery of slash commands (used when
 * DISCORD_PUBLIC_KEY is set; interactions then stop arriving over the gateway). Every request is
 * signature-checked; the answer goes back inline within Discord's 3 s: the reply itself when the
 * core is quick, else "thinking…" (deferred), followed by an edit of the original response.
 */
import type { KeyObject } from 'node:crypto';
import {
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  Routes,
  type APIApplicationCommandAutocompleteInteraction,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIInteractionResponse,
  type REST,
} from 'discord.js';
import type { Clock } from '../../clock.js';
import type { CommandReply } from '../../commands/types.js';
import type { HttpRequest, HttpResponse, HttpRoute } from '../../http/server.js';
import { interactionLogKeys, restFailureKeys, runAutocomplete, runCommand, type DispatchOptions } from './interactions-dispatch.js';
import { factsFromApi, requestFromFacts, autocompleteFromFacts } from './interactions-mapping.js';
import { EPHEMERAL_FLAG, renderReply } from './interactions-reply.js';
import { parsePublicKey, verifyInteraction } from './verify.js';

export const INTERACTIONS_PATH = '/discord/interactions';

export interface InteractionsRouteOptions extends DispatchOptions {
  /** DISCORD_PUBLIC_KEY: 64 hex characters, or a key already parsed. */
  publicKey: string | KeyObject;
  /** For editing deferred replies (webhook calls need no bot token). */
  rest: REST;
  clock: Clock;
}

export interface DiscordInteractionsRoute extends HttpRoute {
  /** Resolves when every deferred reply has been sent (or has failed and been logged). */
  idle(): Promise<void>;
}

const UNSUPPORTED: CommandReply = { outcome: 'user_error', code: 'unsupported_interaction', lines: ['wirewatch only answers its slash command.'] };

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function respond(response: APIInteractionResponse): HttpResponse {
  return json(200, response);
}

function message(reply: CommandReply): HttpResponse {
  return respond({ type: InteractionResponseType.ChannelMessageWithSource, data: renderReply(reply) });
}

export function discordInteractionsRoute(options: InteractionsRouteOptions): DiscordInteractionsRoute {
  const publicKey = typeof options.publicKey === 'string' ? parsePublicKey(options.publicKey) : options.publicKey;
  const { logger, rest, clock } = options;
  const pending = new Set<Promise<void>>();

  function editOriginal(raw: APIChatInputApplicationCommandInteraction, keys: Record<string, string>, reply: Promise<CommandReply>): void {
    const sent = reply
      .then(async (r) => {
        const { content, allowed_mentions } = renderReply(r);
        await rest.patch(Routes.webhookMessage(raw.application_id, raw.token, '@original'), { body: { content, allowed_mentions }, auth: false });
        logger.info({ ...keys, outcome: r.outcome, deferred: true }, 'command answered');
      })
      .catch((error: unknown) => {
        logger.error({ ...keys, code: 'discord_reply_failed', ...restFailureKeys(error) }, 'could not edit a deferred reply');
      })
      .finally(() => pending.delete(sent));
    pending.add(sent);
  }

  async function command(raw: APIChatInputApplicationCommandInteraction): Promise<HttpResponse> {
    const mapped = requestFromFacts(factsFromApi(raw));
    if (!mapped.ok) {
      logger.info({ interaction_id: raw.id, guild_id: raw.guild_id, channel_id: raw.channel?.id, code: mapped.reply.code }, 'command refused before the core');
      return message(mapped.reply);
    }
    const keys = interactionLogKeys(mapped.request, raw.id);
    const outcome = await runCommand(options, mapped.request, raw.id);
    if (outcome.ready) {
      logger.info({ ...keys, outcome: outcome.reply.outcome, deferred: false }, 'command answered');
      return message(outcome.reply);
    }
    editOriginal(raw, keys, outcome.reply);
    return respond({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: EPHEMERAL_FLAG } });
  }

  async function autocomplete(raw: APIApplicationCommandAutocompleteInteraction): Promise<HttpResponse> {
    const request = autocompleteFromFacts(factsFromApi(raw));
    const choices = request === null ? [] : await runAutocomplete(options, request, raw.id);
    return respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
  }

  async function handle(request: HttpRequest): Promise<HttpResponse> {
    const verified = verifyInteraction(
      publicKey,
      { signature: request.headers['x-signature-ed25519'], timestamp: request.headers['x-signature-timestamp'], body: request.body },
      clock.now(),
    );
    if (!verified.ok) {
      logger.info({ reason: verified.reason }, 'Discord interaction refused: signature check failed');
      return { status: 401, body: 'invalid request signature' };
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(request.body.toString('utf8')) as APIInteraction;
    } catch {
      return { status: 400, body: 'body is not JSON' };
    }
    switch (interaction.type) {
      case InteractionType.Ping:
        return respond({ type: InteractionResponseType.Pong });
      case InteractionType.ApplicationCommand:
        if (interaction.data.type !== ApplicationCommandType.ChatInput) return message(UNSUPPORTED);
        return command(interaction as APIChatInputApplicationCommandInteraction);
      case InteractionType.ApplicationCommandAutocomplete:
        return autocomplete(interaction);
      default:
        return message(UNSUPPORTED);
    }
  }

  return {
    method: 'POST',
    path: INTERACTIONS_PATH,
    handle,
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
