/**
 * Feed dates as published: RFC 822 (RSS), ISO 8601 (Atom, dc:date), sometimes a bare Unix
 * epoch. Returns epoch milliseconds, or null when the string is not a usable date.
 */

/** A date this far in the future is a publisher's mistake, not a publication time. */
const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;
/** Before the web had feeds; a date this old is a placeholder. */
const EARLIEST = Date.UTC(1995, 0, 1);

export function parseFeedDate(raw: string | null | undefined, now: number): number | null {
  const text = raw?.trim();
  if (!text) return null;
  let ms: number;
  if (/^\d{9,10}$/.test(text)) ms = Number(text) * 1000;
  else if (/^\d{12,13}$/.test(text)) ms = Number(text);
  else ms = Date.parse(text.replace(/\s+(UT|Z)$/i, ' GMT'));
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > now + MAX_FUTURE_SKEW_MS) return null;
  return ms;
}
