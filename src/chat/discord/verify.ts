/**
 * Discord signs every HTTP interaction with the application's Ed25519 key over
 * `timestamp + rawBody`. A request that fails here gets 401; Discord probes the endpoint with bad
 * signatures on purpose and removes endpoints that accept them.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { WirewatchError } from '../../errors.js';

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** How far a signed timestamp may be from now, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The key from the developer portal: 64 hex characters, the raw Ed25519 public key. */
export function parsePublicKey(hex: string): KeyObject {
  const trimmed = hex.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    throw new WirewatchError('config_invalid', 'DISCORD_PUBLIC_KEY must be 64 hexadecimal characters (the public key shown in the developer portal)');
  }
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(trimmed, 'hex')]), format: 'der', type: 'spki' });
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature' };

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  body: Buffer;
}

export function verifyInteraction(publicKey: KeyObject, request: SignedRequest, nowMs: number): VerifyResult {
  const { signature, timestamp, body } = request;
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(nowMs - Number(timestamp) * 1000) > MAX_CLOCK_SKEW_MS) return { ok: false, reason: 'stale_timestamp' };
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, reason: 'bad_signature' };
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, signed, publicKey, Buffer.from(signature, 'hex')) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
