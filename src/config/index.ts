/**
 * The one place configuration is read: environment (deployment settings, secrets) and the
 * config file (feeds, watchlists). Validated once at start-up; every problem is listed in one
 * error, and the rest of the program receives a frozen, typed Config.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WirewatchError } from '../errors.js';
import { environmentSchema, type Environment } from './environment.js';
import { formatPath, loadConfigFile, type FeedDefinition } from './file.js';
import type { EntityDefinition, WatchlistDefinition } from '../watch/definition.js';
import { feedIdFromUrl, type FeedSource } from '../feeds/feed-source.js';

export { feedIdFromUrl };

export { parseDuration, parseByteSize } from './durations.js';

export interface Config {
  configFile: string;
  feeds: FeedSource[];
  watchlists: WatchlistDefinition[];
  /** The shared entity library. */
  entities: EntityDefinition[];
  store: { url: string };
  /** `leaseTtlMs`: how long a replica's hold on the poll outlives its last renewal (a replica that dies mid-cycle). */
  poll: { schedule: string; maxItemAgeMs: number; seenTtlMs: number; deliveryTtlMs: number; leaseTtlMs: number };
  fetch: {
    userAgent: string;
    timeoutMs: number;
    connectTimeoutMs: number;
    maxBytes: number;
    maxRedirects: number;
    concurrency: number;
    perHostConcurrency: number;
    allowPrivate: boolean;
    failingAfter: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
  };
  log: { level: Environment['LOG_LEVEL']; format: Environment['LOG_FORMAT'] };
  shutdownTimeoutMs: number;
  /**
   * Sending queued alerts: attempts before an alert is dead, and the backoff between them;
   * `burstLimit`: alerts a channel gets one by one per poll cycle before the rest are rolled up.
   */
  /** `claimTtlMs`: how long a claimed alert stays with one worker before another may take it (a replica that died). */
  delivery: { maxAttempts: number; baseBackoffMs: number; maxBackoffMs: number; burstLimit: number; claimTtlMs: number };
  /** Story grouping: a story joins an open event whose latest story is at most `windowMs` older. */
  events: { windowMs: number };
  http: { port: number; host: string };
  /** Null when no DISCORD_TOKEN is set. */
  discord: DiscordSettings | null;
  /** Null when no SLACK_BOT_TOKEN is set. */
  slack: SlackSettings | null;
}

export interface SlackSettings {
  botToken: string;
  /** Set: Socket Mode (no public URL); unset: HTTP mode on POST /slack/events. */
  appToken: string | null;
  /** Verifies HTTP-mode requests; Socket Mode does not need it. */
  signingSecret: string | null;
  /** The Web API base URL, ending in "/". */
  apiUrl: string;
  /** Users who may change things besides the workspace's admins and owners. */
  adminUsers: string[];
}

export interface DiscordSettings {
  token: string;
  applicationId: string;
  /** Set: interactions arrive as signed HTTP POSTs (no gateway); unset: over the gateway. */
  publicKey: string | null;
  /** The REST base URL (a REST proxy, or a fake in tests). */
  apiUrl: string;
}

/** A feed id people can read in logs: host plus path, slugged. */
function withIds(feeds: FeedDefinition[]): FeedSource[] {
  const used = new Set(feeds.map((feed) => feed.id).filter((id): id is string => Boolean(id)));
  return feeds.map((feed) => {
    let id = feed.id;
    if (!id) {
      const base = feedIdFromUrl(feed.url);
      id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
    }
    return { id, url: feed.url, name: feed.name ?? null, language: feed.language ?? null };
  });
}

/** The version in package.json: the one source for --version and the User-Agent. */
export function packageVersion(packageRoot: string): string {
  return (JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface LoadConfigOptions {
  env: Record<string, string | undefined>;
  /** Where the shipped config/default.yaml lives (the package root). */
  packageRoot: string;
  /** Overrides WIREWATCH_CONFIG (the CLI's --config). */
  configFile?: string;
}

/** Throws WirewatchError('config_invalid') whose message lists every problem, one per line. */
export function loadConfig(options: LoadConfigOptions): Readonly<Config> {
  // An empty value in a .env file means "not set", not "the empty string".
  const env = Object.fromEntries(Object.entries(options.env).filter(([, value]) => value !== undefined && value !== ''));
  const problems: string[] = [];

  const environment = environmentSchema.safeParse(env);
  if (!environment.success) {
    for (const issue of environment.error.issues) problems.push(`environment ${formatPath(issue.path)}: ${issue.message}`);
  }

  const configFile = resolve(
    options.configFile ?? env['WIREWATCH_CONFIG'] ?? resolve(options.packageRoot, 'config/default.yaml'),
  );
  const file = loadConfigFile(configFile);
  if (!file.ok) {
    for (const problem of file.problems) {
      const where = [problem.path, problem.line === null ? null : `line ${problem.line}`].filter(Boolean).join(', ');
      problems.push(`${configFile}${where ? ` (${where})` : ''}: ${problem.message}`);
    }
  }

  if (!environment.success || !file.ok) {
    throw new WirewatchError('config_invalid', `invalid configuration:\n  ${problems.join('\n  ')}`, {
      details: { problems },
    });
  }
  const e = environment.data;
  return Object.freeze({
    configFile,
    feeds: withIds(file.value.feeds),
    watchlists: file.value.watchlists,
    entities: file.value.entities,
    store: { url: e.STORE_URL },
    poll: { schedule: e.POLL_SCHEDULE, maxItemAgeMs: e.MAX_ITEM_AGE, seenTtlMs: e.SEEN_TTL, deliveryTtlMs: e.DELIVERY_TTL, leaseTtlMs: e.POLL_LEASE_TTL },
    fetch: {
      userAgent: `wirewatch/${packageVersion(options.packageRoot)} (+${e.CONTACT_URL})`,
      timeoutMs: e.FETCH_TIMEOUT,
      connectTimeoutMs: e.FETCH_CONNECT_TIMEOUT,
      maxBytes: e.FETCH_MAX_BYTES,
      maxRedirects: 5,
      concurrency: e.FETCH_CONCURRENCY,
      perHostConcurrency: e.FETCH_PER_HOST_CONCURRENCY,
      allowPrivate: e.ALLOW_PRIVATE_FEEDS,
      failingAfter: e.FEED_FAILING_AFTER,
      backoffBaseMs: e.FEED_BACKOFF_BASE,
      backoffMaxMs: e.FEED_BACKOFF_MAX,
    },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT,
    delivery: { maxAttempts: e.MAX_DELIVERY_ATTEMPTS, baseBackoffMs: e.DELIVERY_BACKOFF_BASE, maxBackoffMs: e.DELIVERY_BACKOFF_MAX, burstLimit: e.BURST_LIMIT, claimTtlMs: e.DELIVERY_CLAIM_TTL },
    events: { windowMs: e.EVENT_WINDOW },
    http: { port: e.HTTP_PORT, host: e.HTTP_HOST },
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
        ? { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, publicKey: e.DISCORD_PUBLIC_KEY ?? null, apiUrl: e.DISCORD_API_URL }
        : null,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          appToken: e.SLACK_APP_TOKEN ?? null,
          signingSecret: e.SLACK_SIGNING_SECRET ?? null,
          apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
          adminUsers: e.SLACK_ADMIN_USERS,
        }
      : null,
  });
}
