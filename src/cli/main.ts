/**
 * The command line: `wirewatch run | poll | match | cluster | check | deliveries | discord register`. Results go to stdout, logs and
 * messages to stderr. Exit codes: 0 ok, 1 a feed or command failed, 2 usage, 74 store, 78 configuration.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, packageVersion } from '../config/index.js';
import { WirewatchError, type ErrorCode } from '../errors.js';
import { createLogger } from '../log.js';
import { EXIT, type CliIo } from './io.js';
import type { CommandContext, ParsedValues } from './context.js';
import { COMMAND_USAGE, USAGE } from './usage.js';

const STORE_FAILURES = new Set<ErrorCode>(['store_unavailable', 'store_write_failed', 'store_url_invalid']);

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } };

const COMMAND_OPTIONS: Record<string, Options> = {
  run: {},
  poll: {
    once: { type: 'boolean' },
    feed: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  match: { config: { type: 'string' }, explain: { type: 'boolean' } },
  cluster: { config: { type: 'string' }, explain: { type: 'boolean' } },
  check: { offline: { type: 'boolean' } },
  discord: { guild: { type: 'string' } },
  deliveries: { channel: { type: 'string' }, id: { type: 'string', multiple: true }, all: { type: 'boolean' }, json: { type: 'boolean' } },
};

/** Commands that take a subcommand word (`discord register`). */
const TAKES_POSITIONALS = new Set(['discord', 'deliveries']);

function usageError(io: CliIo, message: string, command?: string): number {
  const usage = command ? COMMAND_USAGE[command] : 'wirewatch run | poll | match | cluster | check | deliveries | discord register  (wirewatch --help)';
  io.stderr.write(`wirewatch: ${message}. Usage: ${usage}\n`);
  return EXIT.usage;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) return usageError(io, 'no command given');
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (command === '--version') {
    io.stdout.write(`${packageVersion(io.packageRoot)}\n`);
    return EXIT.ok;
  }
  // Own keys only: "constructor" or "toString" are not commands, whatever Object.prototype holds.
  const options = Object.hasOwn(COMMAND_OPTIONS, command) ? COMMAND_OPTIONS[command] : undefined;
  if (!options) return usageError(io, `unknown command "${command}"`);

  let values: ParsedValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: { ...COMMON, ...options }, strict: true, allowPositionals: TAKES_POSITIONALS.has(command) }));
  } catch (error) {
    return usageError(io, (error as Error).message.split('\n')[0]!.replace(/\.$/, ''), command);
  }
  if (values['help']) {
    io.stdout.write(`${COMMAND_USAGE[command]}\n`);
    return EXIT.ok;
  }
  if (values['version']) {
    io.stdout.write(`${packageVersion(io.packageRoot)}\n`);
    return EXIT.ok;
  }

  const context: CommandContext = {
    io,
    values,
    positionals,
    loadConfig: (configFile) =>
      loadConfig({ env: io.env, packageRoot: io.packageRoot, ...(configFile ? { configFile } : {}) }),
    createLogger: (config) =>
      createLogger({
        level: config.log.level,
        ...(config.log.format === 'auto' ? {} : { pretty: config.log.format === 'pretty' }),
      }),
  };
  try {
    // Each command's module is imported when that command runs: `match` never loads the service's
    // store, fetcher and chat SDKs, which `run` needs.
    switch (command) {
      case 'run':
        return await (await import('./run-command.js')).runCommand(context);
      case 'poll':
        return await (await import('./poll-command.js')).pollCommand(context);
      case 'match':
        return await (await import('./match-command.js')).matchCommand(context);
      case 'cluster':
        return await (await import('./cluster-command.js')).clusterCommand(context);
      case 'discord':
        return await (await import('./discord-command.js')).discordCommand(context);
      case 'deliveries':
        return await (await import('./deliveries-command.js')).deliveriesCommand(context);
      default:
        return await (await import('./check-command.js')).checkCommand(context);
    }
  } catch (error) {
    if (error instanceof WirewatchError && error.code === 'config_invalid') {
      io.stderr.write(`wirewatch: ${error.message}\n`);
      return EXIT.config;
    }
    if (error instanceof WirewatchError && error.code === 'cli_usage') return usageError(io, error.message, command);
    if (error instanceof WirewatchError && STORE_FAILURES.has(error.code)) {
      io.stderr.write(`wirewatch: ${error.message}\n`);
      return EXIT.store;
    }
    if (error instanceof WirewatchError) {
      io.stderr.write(`wirewatch: ${error.message} (${error.code})\n`);
      return EXIT.failure;
    }
    throw error;
  }
}
