/**
 * Preloaded with `node --import <this file>?out=<file>`: writes the URL of every module the
 * process loads to <file>, one per line, so a test can tell which packages a command pulls in.
 * ES modules are seen by a resolve hook (hooks run on their own thread, hence the second file);
 * CommonJS modules that other CommonJS modules require never reach that hook, so at exit the
 * require cache is written too.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import process from 'node:process';
import { pathToFileURL, URL } from 'node:url';

const out = new URL(import.meta.url).searchParams.get('out');
if (!out) throw new Error('record-loads.mjs: add ?out=<file> to its URL');

register('./record-loads-hooks.mjs', import.meta.url, { data: { out } });

const require = createRequire(import.meta.url);
process.on('exit', () => {
  const required = Object.keys(require.cache).map((path) => `${pathToFileURL(path).href}\n`);
  appendFileSync(out, required.join(''));
});
