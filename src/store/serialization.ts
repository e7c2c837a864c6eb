/**
 * keyv's own storage format, written and read at the speed of JSON. keyv's default serializer
 * walks every value in JavaScript, and its deserializer parses with a reviver called on every
 * value: for a seen-record of a hundred items, most of the cost of storing it. Its format is JSON
 * with two escapes: a string value that starts with ':' is stored as '::…', a Buffer as
 * ':base64:…'. Text in which no string starts with ':' is plain JSON either way, so it goes
 * through JSON.stringify / JSON.parse; anything else takes keyv's own functions. Stores written
 * before read the same, and stores written now read the same with keyv's defaults.
 *
 * wirewatch stores no Buffers (records are plain data), so none reaches the fast path.
 */
import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';

/**
 * A string (key or value) starting with ':', in JSON text: a structural quote (after '[', ',' or
 * ':'; a quote inside a string is escaped, so never follows those directly) then ':'. It can
 * match where no escape is needed (a key that starts with ':'); then the slow path is taken, which
 * is still correct.
 */
const STRING_STARTING_WITH_COLON = /[[,:]":/;

export function serializeRecord(data: unknown): string {
  const text = JSON.stringify(data) as string | undefined;
  if (text === undefined || STRING_STARTING_WITH_COLON.test(text)) return defaultSerialize(data);
  return text;
}

export function deserializeRecord<T>(text: string): T {
  return (STRING_STARTING_WITH_COLON.test(text) ? defaultDeserialize(text) : JSON.parse(text)) as T;
}
