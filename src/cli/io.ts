import type { Readable, Writable } from 'node:stream';

/** What a command may touch: passed in, so tests can run main() in-process with their own streams. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  /** Folder holding package.json and config/default.yaml. */
  packageRoot: string;
  /** Installs SIGINT/SIGTERM handlers for `run`; returns a function removing them. */
  onShutdownSignal(handler: (signal: string) => void): () => void;
}

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** The store cannot be opened, read or written (sysexits' EX_IOERR). */
  store: 74,
  config: 78,
} as const;
