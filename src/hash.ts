import { hash } from 'node:crypto';

/**
 * sha1 as hex: ids and keys, never security. One helper so every id is made the same way.
 * crypto.hash is the one-shot form (no Hash object per call): a poll hashes every item of every
 * changed feed, twice.
 */
export function sha1Hex(data: string | Uint8Array): string {
  return hash('sha1', data, 'hex');
}
