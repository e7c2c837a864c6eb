/**
 * What every command receives from the command line's entry point. Its own module, so commands
 * depend on it and not on main.ts (which imports the commands).
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../log.js';
import type { CliIo } from './io.js';

export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  io: CliIo;
  values: ParsedValues;
  /** Words after the command that are not options (`discord register`). */
  positionals: readonly string[];
  /** Loads and validates configuration (throws config_invalid). */
  loadConfig: (configFile?: string) => Readonly<Config>;
  createLogger: (config: Readonly<Config>) => Logger;
}
