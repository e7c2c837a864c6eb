/**
 * Coded errors. Every failure that can reach a person or a log line carries a stable `code`;
 * callers branch on the code or the class, never on the message text.
 */

export type ErrorCode =
  // configuration and command line
  | 'config_invalid'
  | 'cli_usage'
  // feed fetching and parsing: one code per reason a feed's cycle can end
  | 'feed_bad_url'
  | 'feed_blocked_address'
  | 'feed_dns'
  | 'feed_network'
  | 'feed_timeout'
  | 'feed_http_status'
  | 'feed_too_large'
  | 'feed_too_many_redirects'
  | 'feed_redirect_loop'
  | 'feed_not_a_feed'
  | 'feed_parse_error'
  | 'feed_decode_error'
  // watchlists and queries
  | 'query_syntax'
  | 'query_limit'
  | 'watchlist_invalid'
  // chat commands: what a person typed was wrong (command_invalid) or is not theirs to do (command_refused)
  | 'command_invalid'
  | 'command_refused'
  // delivery to a chat platform: how a send failed decides what happens next
  | 'delivery_transient'
  | 'delivery_rate_limited'
  | 'delivery_permanent'
  // the service's own HTTP server, and chat platform connections
  | 'http_unavailable'
  | 'chat_login_failed'
  // storage
  | 'store_unavailable'
  | 'store_write_failed'
  | 'store_url_invalid'
  // coordination between replicas: a keyed lock not had in time, a lease another replica took over
  | 'lock_timeout'
  | 'lease_lost'
  // chat platforms
  | 'discord_reply_failed'
  | 'slack_reply_failed'
  | 'slack_lookup_failed'
  // anything else, wrapped by asWirewatchError
  | 'internal';

export class WirewatchError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WirewatchError';
    this.code = code;
    this.details = options?.details;
  }
}

/** Wraps anything thrown into a coded error, keeping the original as `cause`. */
export function asWirewatchError(error: unknown, code: ErrorCode = 'internal'): WirewatchError {
  if (error instanceof WirewatchError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WirewatchError(code, message, { cause: error });
}
