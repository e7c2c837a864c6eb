/** Human-friendly settings: "2d", "30 days", "5m", "10s" for durations; "5MB", "512KB" for sizes. */
import ms from 'ms';

export function parseDuration(raw: string): number | null {
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed); // bare numbers are milliseconds, like ms() itself
  const value = ms(trimmed as ms.StringValue);
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };

export function parseByteSize(raw: string): number | null {
  const match = raw.trim().toLowerCase().match(/^(\d+(?:\.\d+)?)\s*(b|kb?|mb?|gb?)?$/);
  if (!match) return null;
  const bytes = Number(match[1]) * (SIZE_UNITS[match[2] ?? 'b'] ?? 1);
  return Number.isFinite(bytes) ? Math.round(bytes) : null;
}

/** The shortest readable form of a duration, for messages: 1000 → "1s", 86400000 → "1d". */
export function formatMs(value: number): string {
  return value === 0 ? '0s' : ms(value);
}
