/**
 * The resolve hook of record-loads.mjs: appends each resolved module URL to the file it was
 * given. Appending synchronously keeps the file complete however the process ends.
 */
import { appendFileSync } from 'node:fs';

/** @type {string} */
let out = '';

/** @param {{ out: string }} data */
export function initialize(data) {
  out = data.out;
}

/**
 * @param {string} specifier
 * @param {object} context
 * @param {(specifier: string, context: object) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(out, `${resolved.url}\n`);
  return resolved;
}
