/**
 * Text from outside (feeds, users' JSON, servers) on its way to a terminal or a chat. Control
 * characters drive terminals: ESC and the C1 CSI/OSC start sequences that clear the screen, set
 * the window title or hide links. Bidi overrides and isolates reorder the rest of a line, so a
 * title or link can read differently from what it is. They arrive raw or, more often, as character
 * references (`&#27;`, `&#x9b;`) that only become real once decoded, so this runs after decoding.
 */

/** C0 controls but tab and newline, DEL, C1 controls. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidi embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI). LRM/RLM carry no state and stay. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_OR_BIDI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same set, not global: `test` on a global RegExp would carry lastIndex from one call to the next. */
const HAS_CONTROL_OR_BIDI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The text without control characters (tab and newline kept) and without bidi controls. */
export function withoutControls(text: string): string {
  // Nearly all text has none: one search, instead of two replacements, answers that.
  if (!HAS_CONTROL_OR_BIDI.test(text)) return text;
  return text.replace(CONTROLS, '').replace(BIDI_CONTROLS, '');
}

/** One bounded line of printable text, for quoting outside input in messages. */
export function printableExcerpt(text: string, maxChars: number): string {
  const line = withoutControls(text).replace(/[\t\n]+/g, ' ').replace(/\uFFFD/g, '?');
  return line.length <= maxChars ? line : `${line.slice(0, maxChars)}…`;
}

/**
 * A JSON document with every control and bidi character escaped as \uXXXX: JSON.stringify
 * escapes C0 controls but leaves DEL, C1 and bidi controls raw. Such characters can only sit inside
 * string literals, so escaping them keeps the JSON valid and its values unchanged.
 */
export function escapeControlsInJson(json: string): string {
  return json.replace(CONTROLS_OR_BIDI, unicodeEscape);
}

/** A backslash-u escape of a control or bidi character, preceded by an even run of backslashes (so not itself escaped text). */
const JSON_CONTROL_ESCAPE = /(?<!\\)((?:\\\\)*)\\(u00[01][0-9a-fA-F]|u007[fF]|u00[89][0-9a-fA-F]|u202[a-eA-E]|u206[6-9]|[bfr])/g;

/**
 * For JSON on its way to a pretty-printer that decodes it for a terminal: control and bidi
 * characters, raw or escaped, become the visible text of their escape (`\u001b`), so the printed
 * line shows what was there instead of acting on it.
 */
export function visibleControlsInJson(json: string): string {
  return escapeControlsInJson(json).replace(JSON_CONTROL_ESCAPE, (_match, backslashes: string, escape: string) => `${backslashes}\\\\${escape}`);
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
