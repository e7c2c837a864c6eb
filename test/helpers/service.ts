/**
 * Driving `wirewatch run` as a child process: its JSON log lines, waiting for something to
 * happen (bounded, with the log tail in the failure), and counting finished poll cycles.
 */
import type { CliRun } from './cli.js';

export interface ServiceLog {
  lines(): Record<string, unknown>[];
  tail(): string;
  /** Poll cycles finished so far. */
  cycles(): number;
}

export function captureServiceLog(run: CliRun): ServiceLog {
  let stderr = '';
  run.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const lines = () =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, tail: () => stderr.slice(-4000), cycles: () => lines().filter((line) => line['msg'] === 'poll cycle finished').length };
}

/** Polls `probe` every 50 ms until it returns something truthy; fails after `timeoutMs` with the service's log tail. */
export async function until<T>(what: string, probe: () => T | undefined | null | false, log: ServiceLog, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- service log ---\n${log.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The port the service's HTTP server bound (HTTP_PORT=0 picks a free one), read from its log. */
export async function httpPortOf(log: ServiceLog): Promise<number> {
  const line = await until('the HTTP server', () => log.lines().find((l) => l['msg'] === 'HTTP server listening'), log);
  return line['port'] as number;
}

/**
 * The environment of `wirewatch run` posting to a fake Discord over REST only (HTTP interactions
 * mode: no gateway connection; the tests send no command), loopback feeds allowed, the HTTP
 * server on a free loopback port. `extra` adds or overrides settings.
 */
export function discordRunEnv(options: { config: string; storeUrl: string; discordUrl: string; schedule?: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WIREWATCH_CONFIG: options.config,
    STORE_URL: options.storeUrl,
    POLL_SCHEDULE: options.schedule ?? '*/1 * * * * *',
    DISCORD_TOKEN: 'test-bot-token',
    DISCORD_APPLICATION_ID: '1187654321098765432',
    DISCORD_PUBLIC_KEY: 'ab'.repeat(32),
    DISCORD_API_URL: options.discordUrl,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    ALLOW_PRIVATE_FEEDS: 'true',
    ...extra,
  };
}
