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
import { runCommand } from './run-command.js';
import { pollCommand } from './poll-command.js';
import { matchCommand } from './match-command.js';
import { clusterCommand } from './cluster-command.js';
import { checkCommand } from './check-command.js';
import { discordCommand } from './discord-command.js';
import { deliveriesCommand } from './deliveries-command.js';

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
  const options = COMMAND_OPTIONS[command];
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
    switch (command) {
      case 'run':
        return await runCommand(context);
      case 'poll':
        return await pollCommand(context);
      case 'match':
        return await matchCommand(context);
      case 'cluster':
        return await clusterCommand(context);
      case 'discord':
        return await discordCommand(context);
      case 'deliveries':
        return await deliveriesCommand(context);
      default:
        return await checkCommand(context);
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
