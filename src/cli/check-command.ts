/**
 * `wirewatch check`: is this deployment healthy? Validates the configuration, opens the store,
 * proves it takes writes, tries every configured feed once (recording nothing) and prints a
 * table. Exit 74 if the store cannot be written, else 1 if any feed failed.
 *
 * `--offline` stops before the fetches: the self-test of an image or a deployment where reaching
 * the feeds is not wanted (CI, a machine without internet). It lists the feeds it would try.
 */
import { openRuntime, type Runtime } from '../app/runtime.js';
import type { Config } from '../config/index.js';
import { asWirewatchError, type WirewatchError } from '../errors.js';
import { redactUrl } from '../redact.js';
import { assertWritable } from '../store/index.js';
import { fetchStories } from '../pipeline/poll-feed.js';
import { EXIT } from './io.js';
import type { CommandContext } from './context.js';

/** Columns padded to the widest cell; the last column is not padded. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => all.reduce((widest, row) => Math.max(widest, (row[column] ?? '').length), 0));
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function fetchRows(config: Readonly<Config>, runtime: Runtime): Promise<{ rows: string[][]; failed: number }> {
  const states = await runtime.repositories.feedStates.getMany(config.feeds.map((feed) => feed.url));
  let failed = 0;
  const rows = await Promise.all(
    config.feeds.map(async (feed, index): Promise<string[]> => {
      const started = runtime.clock.now();
      const elapsed = () => `${((runtime.clock.now() - started) / 1000).toFixed(1)}s`;
      const state = states[index];
      const history = state?.failing ? ` (failing since ${state.consecutiveFailures} polls: ${state.lastError?.code})` : '';
      try {
        const fetched = await fetchStories({ feed, trusted: true, subscribers: [] }, null, runtime.pollContext);
        const stories = fetched.kind === 'stories' ? String(fetched.feed.stories(fetched.feed.items).length) : '-';
        const repairs = fetched.kind === 'stories' && fetched.repairs.length ? `repaired: ${fetched.repairs.join(', ')}` : '';
        return [feed.id, 'ok', stories, elapsed(), `${repairs}${history}`.trim()];
      } catch (error) {
        failed += 1;
        const coded = asWirewatchError(error);
        return [feed.id, 'failed', '-', elapsed(), `${coded.code}: ${coded.message}${history}`];
      }
    }),
  );
  return { rows, failed };
}

export async function checkCommand({ io, values, loadConfig, createLogger }: CommandContext): Promise<number> {
  const offline = values['offline'] === true;
  const config = loadConfig();
  const logger = createLogger(config);
  const runtime = await openRuntime(config, { logger, stdout: io.stdout, outputFormat: 'text' });
  try {
    const storeProblem: WirewatchError | null = await assertWritable(runtime.store, runtime.clock.now()).then(
      () => null,
      (error: unknown) => asWirewatchError(error),
    );
    io.stdout.write(
      `config ${config.configFile}: ${config.feeds.length} feed(s), ${config.watchlists.length} watchlist(s)\n` +
        `store ${runtime.store.kind} (${runtime.store.description}): ${storeProblem ? `${storeProblem.code}: ${storeProblem.message}` : 'ok, writable'}\n\n`,
    );
    if (offline) {
      if (config.feeds.length > 0) io.stdout.write(`${table(['FEED', 'URL'], config.feeds.map((feed) => [feed.id, redactUrl(feed.url)]))}\n\n`);
      io.stdout.write(`${config.feeds.length} feed(s) configured; not fetched (--offline)\n`);
      return storeProblem ? EXIT.store : EXIT.ok;
    }
    const { rows, failed } = await fetchRows(config, runtime);
    io.stdout.write(`${table(['FEED', 'STATUS', 'STORIES', 'TIME', 'DETAIL'], rows)}\n`);
    io.stdout.write(`\n${rows.length - failed} of ${rows.length} feed(s) ok\n`);
    if (storeProblem) return EXIT.store;
    return failed > 0 ? EXIT.failure : EXIT.ok;
  } finally {
    await runtime.close();
  }
}
