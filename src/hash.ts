import { createHash } from 'node:crypto';

/** sha1 as hex: ids and keys, never security. One helper so every id is made the same way. */
export function sha1Hex(data: string | Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}
