/**
 * The `/wirewatch` listener, the same whichever way the command arrived (our HTTP route or Socket
 * Mode): text → the core's request, the admin check for commands that change things, the core,
 * and the reply — acknowledged inline when the core answers within the defer window (Slack wants
 * an ack within 3 s), else an empty ack now and the reply through `response_url` when it is ready.
 */
import { randomBytes } from 'node:crypto';
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { MANAGING_COMMANDS, type CommandHandler, type CommandReply, type CommandRequest } from '../../commands/types.js';
import { asWirewatchError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { SLACK_MANAGE_PERMISSION, type AdminCheck } from './admins.js';
import { parseCommandText, SLASH_COMMAND } from './command-text.js';
import { renderSlackReply } from './reply.js';

/** Past this the ack goes out empty and the reply follows through response_url. */
export const DEFAULT_DEFER_AFTER_MS = 2000;

export interface CommandListenerOptions {
  commands: CommandHandler;
  admins: AdminCheck;
  logger: Logger;
  deferAfterMs?: number;
  /** The code an internal error is reported under (default: random, e.g. "internal-9f3a61c2"). */
  incidentCode?: (errorCode: string) => string;
}

export interface AttachedListener {
  /** Resolves when every late reply has been sent (or has failed and been logged). */
  idle(): Promise<void>;
}

/** The payload fields the mapping reads. */
export type SlashCommandFacts = Pick<SlashCommand, 'team_id' | 'channel_id' | 'user_id' | 'text'>;

export type MappedCommand = { ok: true; request: Omit<CommandRequest, 'actor'> & { userId: string } } | { ok: false; reply: CommandReply };

const NO_CHANNEL: CommandReply = { outcome: 'refused', code: 'not_in_channel', lines: ['This command works in a channel of a workspace.'] };

/** A slash command payload as the core's request (its actor still to be decided), or the reply refusing it. */
export function mapSlashCommand(payload: SlashCommandFacts): MappedCommand {
  const teamId = payload.team_id?.trim();
  const channelId = payload.channel_id?.trim();
  if (!teamId || !channelId) return { ok: false, reply: NO_CHANNEL };
  const parsed = parseCommandText(payload.text ?? '');
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    request: {
      platform: 'slack',
      tenant: `slack:${teamId}`,
      channel: `slack:${teamId}:${channelId}`,
      userId: payload.user_id,
      command: parsed.command,
      options: parsed.options,
    },
  };
}

function internalErrorReply(incident: string): CommandReply {
  return { outcome: 'internal_error', code: incident, lines: [["Something went wrong; the operator's logs have code ", { code: incident }, '.']] };
}

export function attachCommandListener(app: App, options: CommandListenerOptions): AttachedListener {
  const { logger, admins, commands } = options;
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const incidentCode = options.incidentCode ?? ((code: string) => `${code}-${randomBytes(4).toString('hex')}`);
  const pending = new Set<Promise<void>>();

  /** The admin check and the core; never rejects. */
  async function run(mapped: Extract<MappedCommand, { ok: true }>['request'], keys: Record<string, string>): Promise<CommandReply> {
    try {
      const { userId, ...rest } = mapped;
      const teamId = mapped.tenant.slice('slack:'.length);
      const canManage = MANAGING_COMMANDS.has(mapped.command) ? await admins.canManage(teamId, userId) : false;
      return await commands.execute({ ...rest, actor: { userId, canManage, managePermission: SLACK_MANAGE_PERMISSION } });
    } catch (error) {
      const coded = asWirewatchError(error);
      const incident = incidentCode(coded.code);
      logger.error({ ...keys, code: coded.code, incident, err: coded }, 'command failed');
      return internalErrorReply(incident);
    }
  }

  function replyLater(respond: RespondFn, reply: Promise<CommandReply>, keys: Record<string, string>): void {
    const sent = reply
      .then(async (r) => {
        await respond({ ...renderSlackReply(r), replace_original: false });
        logger.info({ ...keys, outcome: r.outcome, deferred: true }, 'command answered');
      })
      .catch((error: unknown) => {
        const coded = asWirewatchError(error, 'slack_reply_failed');
        logger.error({ ...keys, code: 'slack_reply_failed', err: coded }, 'could not send a late reply through response_url');
      })
      .finally(() => pending.delete(sent));
    pending.add(sent);
  }

  app.command(SLASH_COMMAND, async ({ command: payload, ack, respond }) => {
    const keys = { team_id: payload.team_id ?? '', channel_id: payload.channel_id ?? '', user_id: payload.user_id ?? '' };
    const mapped = mapSlashCommand(payload);
    if (!mapped.ok) {
      logger.info({ ...keys, code: mapped.reply.code }, 'command refused before the core');
      await ack(renderSlackReply(mapped.reply));
      return;
    }
    const logKeys = { ...keys, command: mapped.request.command };
    const reply = run(mapped.request, logKeys);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deferAfterMs);
    });
    const first = await Promise.race([reply, late]);
    clearTimeout(timer);
    if (first !== 'late') {
      await ack(renderSlackReply(first));
      logger.info({ ...logKeys, outcome: first.outcome, deferred: false }, 'command answered');
      return;
    }
    await ack();
    replyLater(respond, reply, logKeys);
  });

  return {
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
