/**
 * The module boundaries, checked on every test run (MonitoRSS enforces the same with
 * eslint-plugin-boundaries): the domain imports no chat SDK and no orchestration, chat SDKs
 * stay in their adapters, and only the entry point and the config module read process.env.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => {
  const text = readFileSync(path, 'utf8');
  const staticImports = [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  // Modules loaded on demand (`await import('…')`) obey the same boundaries as static imports.
  const dynamicImports = [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  return { path: relative(SRC, path), text, imports: [...staticImports, ...dynamicImports] };
});

/** Capability folders and what each may import from the others. */
const ALLOWED: Record<string, string[]> = {
  feeds: [],
  watch: [],
  events: ['watch'],
  alerts: ['feeds', 'watch'],
  store: ['watch', 'events'],
  delivery: ['alerts', 'feeds', 'watch', 'store', 'outbox'],
  outbox: [],
  // Implements the store's KeyedLock port across processes; the store knows nothing of it.
  coordination: ['store'],
  pipeline: ['feeds', 'watch', 'alerts', 'delivery', 'store', 'outbox'],
  config: ['watch', 'feeds'],
  commands: ['feeds', 'watch', 'store', 'alerts', 'outbox'],
  http: [],
  metrics: ['feeds', 'watch', 'outbox', 'delivery', 'alerts', 'pipeline'],
  chat: ['commands', 'alerts', 'delivery', 'feeds', 'watch', 'http'],
  app: ['config', 'store', 'feeds', 'watch', 'delivery', 'pipeline', 'alerts', 'commands', 'chat', 'http', 'outbox', 'coordination', 'metrics', 'events'],
  cli: ['config', 'app', 'pipeline', 'feeds', 'watch', 'events', 'store', 'alerts', 'delivery', 'commands', 'chat', 'http', 'outbox', 'coordination'],
};
const SHARED = new Set(['errors.ts', 'log.ts', 'clock.ts', 'hash.ts', 'redact.ts', 'redis-connection.ts', 'sort-small.ts']);

function folderOf(path: string): string | null {
  const [first, ...rest] = path.split('/');
  return rest.length > 0 ? first! : null;
}

describe('architecture', () => {
  it.each(files.map((f) => [f.path, f] as const))('%s imports only what its capability may', (_path, file) => {
    const own = folderOf(file.path);
    if (own === null) return;
    for (const spec of file.imports.filter((s) => s.startsWith('.'))) {
      const target = relative(SRC, resolve(SRC, file.path, '..', spec)).replace(/\.js$/, '.ts');
      if (SHARED.has(target)) continue;
      const folder = folderOf(target);
      if (folder === null || folder === own) continue;
      expect(ALLOWED[own] ?? [], `${file.path} imports ${spec}`).toContain(folder);
    }
  });

  it('checks the modules imported on demand too', () => {
    // The runtime loads each chat adapter only when its token is set: those imports are dynamic.
    const runtime = files.find((f) => f.path === 'app/runtime.ts');
    expect(runtime?.imports).toContain('../chat/discord/index.js');
    expect(runtime?.imports).toContain('../chat/slack/index.js');
  });

  it('keeps chat SDKs inside their adapters', () => {
    for (const file of files) {
      for (const spec of file.imports) {
        if (spec === 'discord.js' || spec.startsWith('@discordjs/')) expect(file.path).toMatch(/^(delivery|chat)\/discord\//);
        if (spec.startsWith('@slack/')) expect(file.path).toMatch(/^(delivery|chat)\/slack\//);
      }
    }
  });

  it('reads process.env only in the entry point and the config module', () => {
    const readers = files.filter((f) => /process\.env/.test(f.text)).map((f) => f.path);
    for (const path of readers) expect(['cli.ts'].includes(path) || path.startsWith('config/'), path).toBe(true);
  });

  it('keeps every module under 600 lines', () => {
    for (const file of files) expect(file.text.split('\n').length, file.path).toBeLessThanOrEqual(600);
  });
});
