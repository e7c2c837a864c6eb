/**
 * Runs the built CLI with record-loads.mjs preloaded and says which npm packages the process
 * loaded: the names under node_modules of every module URL it recorded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli, type CliOptions, type CliResult } from './cli.js';

const RECORDER = pathToFileURL(resolve(import.meta.dirname, 'record-loads.mjs'));

/** file:///…/node_modules/@scope/name/lib/x.js → @scope/name; the last node_modules wins (nested copies). */
export function packageOf(url: string): string | null {
  const match = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return match ? match[1]! : null;
}

export async function runCliRecordingLoads(args: string[], options: CliOptions = {}): Promise<CliResult & { packages: Set<string>; modules: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-loads-'));
  try {
    const out = join(dir, 'loaded.txt');
    const recorder = new URL(RECORDER);
    recorder.searchParams.set('out', out);
    const result = await runCli(args, { ...options, nodeArgs: [...(options.nodeArgs ?? []), '--import', recorder.href] });
    const urls = readFileSync(out, 'utf8').split('\n').filter(Boolean);
    return { ...result, modules: urls, packages: new Set(urls.map(packageOf).filter((name): name is string => name !== null)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
