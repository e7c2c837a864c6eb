/**
 * Bolt's and the Web API client's log lines through our pino logger. Their debug lines are
 * dropped: they can quote request bodies, and some Web API calls carry a token in the body.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { inspect } from 'node:util';
import type { Logger } from '../../log.js';

function split(parts: unknown[]): { err?: Error; msg: string } {
  const err = parts.find((p): p is Error => p instanceof Error);
  const msg = parts
    .filter((p) => p !== err)
    .map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 2, breakLength: Infinity })))
    .join(' ');
  return err === undefined ? { msg } : { err, msg };
}

export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const log = (method: 'info' | 'warn' | 'error', parts: unknown[]) => {
    const { err, msg } = split(parts);
    if (err === undefined) logger[method]({ source: 'slack-sdk' }, msg);
    else logger[method]({ source: 'slack-sdk', err }, msg);
  };
  return {
    debug: () => undefined,
    info: (...parts: unknown[]) => log('info', parts),
    warn: (...parts: unknown[]) => log('warn', parts),
    error: (...parts: unknown[]) => log('error', parts),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
