/** One JSON line of stdin read against a schema: the value, or a one-line reason it cannot be read. */
import type { z } from 'zod';

export function parseJsonLine<T extends z.ZodType>(line: string, schema: T): { ok: true; value: z.output<T> } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, error: `${where}${issue?.message ?? 'not a story object'}` };
  }
  return { ok: true, value: parsed.data };
}
