/**
 * `wirewatch check`: is this deployment healthy? Validates the configuration, opens the store,
 * proves it takes writes, tries every configured feed once (recording nothing) and prints a
 * table. Exit 74 if the store cannot be written, else 1 if any feed failed.
 */
import { openRuntime } from '../app/runtime.js';
import { asWirewatchError } from '../errors.js';
import { assertWritable } from '../store/index.js';
import { fetchStories } from '../pipeline/poll-feed.js';
import { EXIT } from './io.js';
import type { CommandContext } from './context.js';

interface Row {
  feed: string;
  status: string;
  stories: string;
  time: string;
  detail: string;
}

function table(rows: Row[]): string {
  const header: Row = { feed: 'FEED', status: 'STATUS', stories: 'STORIES', time: 'TIME', detail: 'DETAIL' };
  const all = [header, ...rows];
  const width = (key: keyof Row) => all.reduce((widest, row) => Math.max(widest, row[key].length), 0);
  const keys: (keyof Row)[] = ['feed', 'status', 'stories', 'time'];
  return all
    .map((row) => `${keys.map((key) => row[key].padEnd(width(key))).join('  ')}  ${row.detail}`.trimEnd())
    .join('\n');
}

export async function checkCommand({ io, loadConfig, createLogger }: CommandContext): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config);
  const runtime = await openRuntime(config, { logger, stdout: io.stdout, outputFormat: 'text' });
  const storeProblem = await assertWritable(runtime.store, runtime.clock.now()).then(
    () => null,
    (error: unknown) => asWirewatchError(error),
  );
  io.stdout.write(
    `config ${config.configFile}: ${config.feeds.length} feed(s), ${config.watchlists.length} watchlist(s)\n` +
      `store ${runtime.store.kind} (${runtime.store.description}): ${storeProblem ? `${storeProblem.code}: ${storeProblem.message}` : 'ok, writable'}\n\n`,
  );
  try {
    const states = await runtime.repositories.feedStates.getMany(config.feeds.map((feed) => feed.url));
    const rows = await Promise.all(
      config.feeds.map(async (feed, index): Promise<Row> => {
        const started = runtime.clock.now();
        const elapsed = () => `${((runtime.clock.now() - started) / 1000).toFixed(1)}s`;
        const state = states[index];
        const history = state?.failing ? ` (failing since ${state.consecutiveFailures} polls: ${state.lastError?.code})` : '';
        try {
          const fetched = await fetchStories({ feed, trusted: true, subscribers: [] }, null, runtime.pollContext);
          const stories = fetched.kind === 'stories' ? String(fetched.stories.length) : '-';
          const repairs = fetched.kind === 'stories' && fetched.repairs.length ? `repaired: ${fetched.repairs.join(', ')}` : '';
          return { feed: feed.id, status: 'ok', stories, time: elapsed(), detail: `${repairs}${history}`.trim() };
        } catch (error) {
          const coded = asWirewatchError(error);
          return { feed: feed.id, status: 'failed', stories: '-', time: elapsed(), detail: `${coded.code}: ${coded.message}${history}` };
        }
      }),
    );
    io.stdout.write(`${table(rows)}\n`);
    const failed = rows.filter((row) => row.status === 'failed').length;
    io.stdout.write(`\n${rows.length - failed} of ${rows.length} feed(s) ok\n`);
    if (storeProblem) return EXIT.store;
    return failed > 0 ? EXIT.failure : EXIT.ok;
  } finally {
    await runtime.close();
  }
}
