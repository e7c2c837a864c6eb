/**
 * Turns a feed response body (bytes) into text: inflates gzip bytes a server sent without a
 * Content-Encoding header, then picks the character encoding from the strongest evidence there is.
 *
 * Order of evidence: a byte-order mark, the HTTP Content-Type charset, the XML declaration's
 * encoding, then sniffing. The BOM goes first (a deliberate change from header-first): it is
 * unambiguous, and a header or declaration that contradicts it is always the thing that is wrong.
 * Declared labels are distrusted when the bytes disprove them (see `checkDeclared`).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { analyse } from 'chardet';
import { WirewatchError } from '../errors.js';
import type { DecodedBody } from './types.js';
import { WINDOWS_1252_HIGH } from './windows-1252.js';

export const DEFAULT_MAX_INFLATED_BYTES = 5 * 1024 * 1024;

export interface DecodeOptions {
  /** Cap on the inflated size of gzip bytes; above it the body is refused with 'feed_too_large'. */
  maxBytes?: number;
}

type Choice = Pick<DecodedBody, 'encoding' | 'encodingSource'>;

export function decodeFeedBody(bytes: Uint8Array, contentType: string | null, options: DecodeOptions = {}): DecodedBody {
  const inflated = isGzip(bytes);
  const body = inflated ? inflate(bytes, options.maxBytes ?? DEFAULT_MAX_INFLATED_BYTES) : bytes;
  const choice = chooseEncoding(body, contentType);
  // ignoreBOM: false makes TextDecoder drop a BOM matching the encoding; the replace catches any other.
  let text = new TextDecoder(choice.encoding).decode(body).replace(/^\uFEFF/, '');
  if (choice.encoding === 'windows-1252') text = fixWindows1252(text);
  return { text, encoding: choice.encoding, encodingSource: choice.encodingSource, inflated };
}

/**
 * Node 20.18.3+ decodes windows-1252 (and so latin1/iso-8859-1/ascii) through a Latin-1 fast
 * path that turns 0x80–0x9F into C1 control characters instead of € ‚ “ ” – — … (nodejs/node#60888).
 * Mapping those code points afterwards gives the WHATWG result whether or not the runtime is fixed.
 */
function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009F]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80] ?? char);
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function inflate(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    // Z_SYNC_FLUSH as the final flush returns what a truncated download holds instead of failing,
    // and the lenient parser can still use a cut-off document.
    return gunzipSync(bytes, { maxOutputLength: maxBytes, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new WirewatchError('feed_too_large', `gzip body inflates to more than ${maxBytes} bytes`, { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new WirewatchError('feed_decode_error', `gzip body could not be inflated: ${reason}`, { cause: error });
  }
}

/** What the bytes themselves say, each worked out at most once per body (a full UTF-8 check reads all of it). */
interface ByteFacts {
  bytes: Uint8Array;
  validUtf8(): boolean;
  nonAscii(): boolean;
}

function byteFacts(bytes: Uint8Array): ByteFacts {
  let valid: boolean | undefined;
  let nonAscii: boolean | undefined;
  return {
    bytes,
    // Node's validators read the bytes without decoding them: a fatal TextDecoder built the whole
    // text only to say whether it could.
    validUtf8: () => (valid ??= isUtf8(bytes)),
    nonAscii: () => (nonAscii ??= !isAscii(bytes)),
  };
}

function chooseEncoding(bytes: Uint8Array, contentType: string | null): Choice {
  const bom = bomEncoding(bytes);
  if (bom) return { encoding: bom, encodingSource: 'bom' };
  const facts = byteFacts(bytes);
  const fromHeader = checkDeclared(headerCharset(contentType), facts);
  if (fromHeader) return { encoding: fromHeader, encodingSource: 'http-header' };
  const fromDeclaration = checkDeclared(declaredEncoding(bytes), facts);
  if (fromDeclaration) return { encoding: fromDeclaration, encodingSource: 'xml-declaration' };
  return sniff(facts);
}

function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

function headerCharset(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

/** The encoding pseudo-attribute of an XML declaration in the first KB (read as ASCII, which every candidate label shares). */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  const match = /<\?xml\s[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)\s*["']/.exec(head);
  return match?.[1] ?? null;
}

/**
 * A declared label is only used when the bytes do not disprove it:
 * - unknown labels (and WHATWG's 'replacement' decoder) are ignored;
 * - declared UTF-8 that is not valid UTF-8 goes to sniffing (usually Latin-1 mislabelled);
 * - a legacy single/multi-byte label on bytes that are valid UTF-8 *with* non-ASCII content is
 *   overruled by UTF-8: legacy text almost never forms valid multi-byte UTF-8 by accident,
 *   while servers and CMSs very often keep an old "iso-8859-1" label on UTF-8 output;
 * - UTF-16 without a BOM is only believed when the bytes have the NULs UTF-16 ASCII text has
 *   (a declaration we could read as ASCII cannot be UTF-16).
 */
function checkDeclared(label: string | null, facts: ByteFacts): string | null {
  const encoding = label === null ? null : canonicalEncoding(label);
  if (encoding === null) return null;
  if (encoding === 'utf-8') return facts.validUtf8() ? 'utf-8' : null;
  if (encoding.startsWith('utf-16')) return facts.bytes[0] === 0 || facts.bytes[1] === 0 ? encoding : null;
  if (facts.nonAscii() && facts.validUtf8()) return null;
  return encoding;
}

/** Aliases seen on real feeds that WHATWG does not list; everything else TextDecoder resolves itself. */
const EXTRA_ALIASES: ReadonlyArray<[RegExp, string]> = [
  [/^(?:win|windows|cp|x-cp)[-_]?(125\d)$/, 'windows-$1'],
  [/^iso[-_ ]?8859[-_ ]?(\d{1,2})(?::\d+)?$/, 'iso-8859-$1'],
  [/^latin[-_ ]1$/, 'windows-1252'],
  [/^shift[-_ ]jis$/, 'shift_jis'],
  [/^utf[-_ ]?8$/, 'utf-8'],
  [/^(?:tis-?620|iso-8859-11|cp874)$/, 'windows-874'],
];

/** The WHATWG name for a label (latin1/iso-8859-1 → windows-1252 etc.), or null when TextDecoder cannot decode it. */
export function canonicalEncoding(label: string): string | null {
  let name = label.trim().toLowerCase();
  for (const [pattern, replacement] of EXTRA_ALIASES) {
    if (pattern.test(name)) {
      name = name.replace(pattern, replacement);
      break;
    }
  }
  try {
    const encoding = new TextDecoder(name).encoding;
    return encoding === 'replacement' ? null : encoding;
  } catch {
    return null;
  }
}

function sniff(facts: ByteFacts): Choice {
  const { bytes } = facts;
  // XML spec appendix F: "<?" in UTF-16 without a BOM.
  if (bytes[0] === 0x3c && bytes[1] === 0 && bytes[2] === 0x3f && bytes[3] === 0) return { encoding: 'utf-16le', encodingSource: 'sniffed' };
  if (bytes[0] === 0 && bytes[1] === 0x3c && bytes[2] === 0 && bytes[3] === 0x3f) return { encoding: 'utf-16be', encodingSource: 'sniffed' };
  if (!facts.nonAscii()) return { encoding: 'utf-8', encodingSource: 'default' };
  if (facts.validUtf8() || isMostlyUtf8(bytes)) return { encoding: 'utf-8', encodingSource: 'sniffed' };
  // chardet reads every byte through ~30 recognisers (about 1 s for 1.6 MB); a prefix is enough evidence.
  for (const match of analyse(bytes.subarray(0, SNIFF_SAMPLE_BYTES))) {
    const encoding = canonicalEncoding(match.name);
    // chardet's UTF-8 guess on invalid bytes would only produce U+FFFD; try its next guess.
    if (encoding !== null && encoding !== 'utf-8') return { encoding, encodingSource: 'sniffed' };
  }
  return { encoding: 'utf-8', encodingSource: 'default' };
}

const SNIFF_SAMPLE_BYTES = 256 * 1024;

/**
 * UTF-8 with a few corrupt bytes (a truncated character, one pasted Latin-1 quote) is still UTF-8:
 * when at least 90% of the non-ASCII characters decode cleanly, decoding lossily as UTF-8 keeps
 * far more text than reinterpreting the whole document in a legacy code page would.
 */
function isMostlyUtf8(bytes: Uint8Array): boolean {
  const text = new TextDecoder('utf-8').decode(bytes);
  let nonAscii = 0;
  let replaced = 0;
  for (const char of text) {
    if (char === '\uFFFD') replaced += 1;
    else if (char.charCodeAt(0) >= 0x80) nonAscii += 1;
  }
  return nonAscii >= 9 * replaced;
}
