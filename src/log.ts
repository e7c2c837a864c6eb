import { createRequire } from 'node:module';
import { pino, type Logger, type DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';
import { escapeControlsInJson, visibleControlsInJson } from './safe-text.js';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Keys whose values are secrets wherever they appear in a log object. Chat tokens and webhook
 * URLs are credentials; a feed URL with user:password is redacted by the fetcher before logging.
 */
const REDACTED_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'webhook_url',
  '*.webhook_url',
  'signing_secret',
  '*.signing_secret',
  'password',
  '*.password',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable lines instead of JSON (default: when the destination is a TTY). */
  pretty?: boolean;
  /** Where lines go; stderr by default so stdout stays free for results. */
  destination?: DestinationStream;
}

/**
 * pino-pretty is loaded only when lines go to a terminal: loading it costs more than the rest of
 * logging, and the service, its container and every piped command log JSON.
 */
function prettyToStderr(): DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' });
}

/** One pino logger for the process; modules take it (or a child) as a parameter. */
export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  const destination =
    options.destination ??
    (usePretty ? prettyToStderr() : pino.destination({ fd: 2, sync: true }));
  return pino(
    {
      level: options.level,
      base: { service: 'wirewatch' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Log lines quote feed text (error reasons, causes). JSON escapes C0 controls but not C1 or
      // bidi ones; pino-pretty decodes every escape again for the terminal, so there they are
      // turned into visible text.
      hooks: { streamWrite: usePretty && options.destination === undefined ? visibleControlsInJson : escapeControlsInJson },
    },
    destination,
  );
}

/** A logger that drops everything; for tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
