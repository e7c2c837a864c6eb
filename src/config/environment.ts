/**
 * Deployment settings and secrets, from environment variables. This is the one place that
 * knows their names; `.env.example` documents each. Every bad value is reported, not just the
 * first.
 */
import { z } from 'zod';
import { validateDetailed } from 'node-cron';
import { formatMs, parseByteSize, parseDuration } from './durations.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Settings used as timers (fetch and shutdown timeouts) stay at 10 minutes or less: Node's timers
// overflow past 2^31−1 ms (~24.8 days) and then fire at once, which failed every fetch.

/** A duration with its range: a value outside it is refused at start-up, not at the first fetch. */
const duration = (fallback: string, range: { min: number; max: number }) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const value = parseDuration(raw);
      if (value === null) {
        ctx.addIssue({ code: 'custom', message: `"${raw}" is not a duration (examples: 30s, 5m, 2h, 2d)` });
        return z.NEVER;
      }
      if (value < range.min || value > range.max) {
        ctx.addIssue({ code: 'custom', message: `"${raw}" is out of range: must be between ${formatMs(range.min)} and ${formatMs(range.max)}` });
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

const KB = 1024;
const MB = 1024 * KB;

const byteSize = (fallback: string, range: { min: number; max: number }) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const value = parseByteSize(raw);
      if (value === null) {
        ctx.addIssue({ code: 'custom', message: `"${raw}" is not a size (examples: 5MB, 512KB)` });
        return z.NEVER;
      }
      if (value < range.min || value > range.max) {
        ctx.addIssue({ code: 'custom', message: `"${raw}" is out of range: must be between ${range.min / KB}KB and ${range.max / MB}MB` });
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

export const environmentSchema = z
  .object({
    WIREWATCH_CONFIG: z.string().min(1).optional(),
    STORE_URL: storeUrl,
    POLL_SCHEDULE: cronExpression,
    MAX_ITEM_AGE: duration('2d', { min: MINUTE, max: 365 * DAY }),
    SEEN_TTL: duration('30d', { min: HOUR, max: 365 * DAY }),
    DELIVERY_TTL: duration('30d', { min: HOUR, max: 365 * DAY }),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
    ALLOW_PRIVATE_FEEDS: flag(false),
    FETCH_TIMEOUT: duration('20s', { min: SECOND, max: 10 * MINUTE }),
    FETCH_CONNECT_TIMEOUT: duration('10s', { min: SECOND, max: 10 * MINUTE }),
    FETCH_MAX_BYTES: byteSize('5MB', { min: KB, max: 256 * MB }),
    FETCH_CONCURRENCY: positiveInt(16, 256),
    FETCH_PER_HOST_CONCURRENCY: positiveInt(2, 32),
    FEED_FAILING_AFTER: positiveInt(5, 1000),
    FEED_BACKOFF_BASE: duration('5m', { min: SECOND, max: DAY }),
    FEED_BACKOFF_MAX: duration('6h', { min: MINUTE, max: 30 * DAY }),
    CONTACT_URL: z.url({ message: 'must be a URL people can reach you at' }).default('https://github.com/wirewatch/wirewatch'),
    SHUTDOWN_TIMEOUT: duration('8s', { min: 0, max: 10 * MINUTE }),
    MAX_DELIVERY_ATTEMPTS: positiveInt(8, 100),
    DELIVERY_BACKOFF_BASE: duration('30s', { min: SECOND, max: HOUR }),
    DELIVERY_BACKOFF_MAX: duration('1h', { min: MINUTE, max: DAY }),
    BURST_LIMIT: positiveInt(10, 100),
    POLL_LEASE_TTL: duration('30s', { min: SECOND, max: 10 * MINUTE }),
    DELIVERY_CLAIM_TTL: duration('5m', { min: 5 * SECOND, max: HOUR }),
    EVENT_WINDOW: duration('72h', { min: HOUR, max: 30 * DAY }),
    HTTP_PORT: z.coerce.number({ message: 'must be a port number' }).int('must be a port number').min(0).max(65535, 'must be a port number').default(8080),
    HTTP_HOST: z.string().min(1).default('0.0.0.0'),
    DISCORD_TOKEN: z.string().min(1).optional(),
    DISCORD_APPLICATION_ID: z.string().regex(/^\d{17,20}$/, 'the application id: 17 to 20 digits').optional(),
    DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'the application public key: 64 hex characters').optional(),
    DISCORD_API_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://discord.com/api' }).default('https://discord.com/api'),
    SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'a bot token, starting xoxb-').optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'an app-level token, starting xapp-').optional(),
    SLACK_API_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://slack.com/api/' }).default('https://slack.com/api/'),
    SLACK_ADMIN_USERS: z
      .string()
      .default('')
      .transform((raw) => raw.split(/[\s,]+/).filter(Boolean))
      .refine((ids) => ids.every((id) => /^[UW][A-Z0-9]{2,}$/.test(id)), { message: 'Slack user ids (U…), separated by commas or spaces' }),
  })
  .superRefine((e, ctx) => {
    // Settings that only make sense together; each problem names the setting to change.
    const order = (smaller: keyof typeof e, larger: keyof typeof e, why: string) => {
      const [a, b] = [e[smaller], e[larger]];
      // A setting that already failed its own check is not compared.
      if (typeof a === 'number' && typeof b === 'number' && a > b) ctx.addIssue({ code: 'custom', path: [smaller], message: `must not exceed ${larger} (${why})` });
    };
    order('FETCH_CONNECT_TIMEOUT', 'FETCH_TIMEOUT', 'the connect time is part of the total');
    order('FEED_BACKOFF_BASE', 'FEED_BACKOFF_MAX', 'the first wait is the shortest');
    order('DELIVERY_BACKOFF_BASE', 'DELIVERY_BACKOFF_MAX', 'the first wait is the shortest');
    order('MAX_ITEM_AGE', 'SEEN_TTL', 'a story forgotten while still young enough to alert would alert again');
    order('MAX_ITEM_AGE', 'DELIVERY_TTL', 'a delivery forgotten while its story could still alert could be posted again');
    if (e.DISCORD_TOKEN && !e.DISCORD_APPLICATION_ID) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'is needed with DISCORD_TOKEN (the application id from the developer portal)' });
    }
    if (e.SLACK_BOT_TOKEN && !e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'is needed with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)' });
    }
    if ((e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET) && !e.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is needed with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET (alerts are posted with the bot token)' });
    }
    if (e.DISCORD_PUBLIC_KEY && !e.DISCORD_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_TOKEN'], message: 'is needed with DISCORD_PUBLIC_KEY (alerts are posted with the bot token)' });
    }
  });

export type Environment = z.output<typeof environmentSchema>;
