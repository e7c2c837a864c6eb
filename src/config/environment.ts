/**
 * Deployment settings and secrets, from environment variables. This is the one place that
 * knows their names; `.env.example` documents each. Every bad value is reported, not just the
 * first.
 */
import { z } from 'zod';
import { validateDetailed } from 'node-cron';
import { parseByteSize, parseDuration } from './durations.js';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const value = parseDuration(raw);
      if (value === null) {
        ctx.addIssue({ code: 'custom', message: `"${raw}" is not a duration (examples: 30s, 5m, 2h, 2d)` });
        return z.NEVER;
      }
      return value;
    });

const positiveInt = (fallback: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(fallback);

const byteSize = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const value = parseByteSize(raw);
      if (value === null || value < 1024) {
        ctx.addIssue({ code: 'custom', message: `"${raw}" is not a size of at least 1KB (examples: 5MB, 512KB)` });
        return z.NEVER;
      }
      return value;
    });

/** Booleans are spelled out: z.coerce.boolean() would read "false" as true. */
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((raw) => (raw === undefined ? fallback : ['true', '1', 'yes'].includes(raw)));

const cronExpression = z
  .string()
  .default('*/5 * * * *')
  .superRefine((raw, ctx) => {
    const result = validateDetailed(raw);
    if (!result.valid) {
      const reasons = result.errors.map((error) => `${error.field}: ${error.message}`).join('; ');
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a cron expression (${reasons || 'unreadable'})` });
    }
  });

const storeUrl = z
  .string()
  .default('sqlite://./data/wirewatch.sqlite')
  .refine((raw) => /^(sqlite|redis|rediss|memory):\/\//.test(raw), {
    message: 'must start with sqlite://, redis://, rediss:// or memory://',
  });

export const environmentSchema = z.object({
  WIREWATCH_CONFIG: z.string().min(1).optional(),
  STORE_URL: storeUrl,
  POLL_SCHEDULE: cronExpression,
  MAX_ITEM_AGE: duration('2d'),
  SEEN_TTL: duration('30d'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  ALLOW_PRIVATE_FEEDS: flag(false),
  FETCH_TIMEOUT: duration('20s'),
  FETCH_CONNECT_TIMEOUT: duration('10s'),
  FETCH_MAX_BYTES: byteSize('5MB'),
  FETCH_CONCURRENCY: positiveInt(16, 256),
  FETCH_PER_HOST_CONCURRENCY: positiveInt(2, 32),
  FEED_FAILING_AFTER: positiveInt(5, 1000),
  FEED_BACKOFF_BASE: duration('5m'),
  FEED_BACKOFF_MAX: duration('6h'),
  CONTACT_URL: z.url({ message: 'must be a URL people can reach you at' }).default('https://github.com/wirewatch/wirewatch'),
  SHUTDOWN_TIMEOUT: duration('8s'),
});

export type Environment = z.output<typeof environmentSchema>;
