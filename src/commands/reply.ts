/** Small builders for replies, and the one rule for which errors a chat user may read. */
import { asWirewatchError, WirewatchError, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { CommandReply, Inline, ReplyLine } from './types.js';

export const ok = (...lines: ReplyLine[]): CommandReply => ({ outcome: 'ok', lines });

export const code = (text: string): Inline => ({ code: text });
export const bold = (text: string): Inline => ({ bold: text });

/** A mistake in what the person typed: they read the message and can fix it. */
export function invalid(message: string, details?: Record<string, unknown>): WirewatchError {
  return new WirewatchError('command_invalid', message, details ? { details } : undefined);
}

/**
 * Errors whose message is written for the person who typed the command: what was wrong and
 * how to fix it. Everything else is internal: logged with its code, and the person is told only
 * the code to give the operator.
 */
const USER_FACING = new Set<ErrorCode>([
  'command_invalid',
  'command_refused',
  'query_syntax',
  'query_limit',
  'watchlist_invalid',
  'feed_bad_url',
  'feed_blocked_address',
  'feed_dns',
]);

export function replyForError(error: unknown, logger: Logger): CommandReply {
  const coded = asWirewatchError(error);
  if (USER_FACING.has(coded.code)) {
    return { outcome: coded.code === 'command_refused' ? 'refused' : 'user_error', code: coded.code, lines: [coded.message] };
  }
  logger.error({ code: coded.code, err: coded }, 'command failed');
  return {
    outcome: 'internal_error',
    code: coded.code,
    lines: [['Something went wrong on our side. The operator’s logs have the details under code ', code(coded.code), '.']],
  };
}
