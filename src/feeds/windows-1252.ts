/**
 * What windows-1252 bytes 0x80–0x9F mean (the WHATWG index); the five it leaves undefined map to
 * themselves. Used both ways: decoding such bytes, and undoing UTF-8 that was read as windows-1252.
 */
export const WINDOWS_1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

const BYTE_OF_CODE_POINT = new Map<number, number>(
  Array.from(WINDOWS_1252_HIGH, (char, index) => [char.charCodeAt(0), 0x80 + index]),
);

/** The windows-1252 byte for a character, or undefined when the code page has none. */
export function windows1252Byte(code: number): number | undefined {
  if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
  return BYTE_OF_CODE_POINT.get(code);
}
