/**
 * `wirewatch deliveries list|retry|drop [--channel KEY] [--id ID]… [--all]`: the operator's view
 * of the outbox. `list` prints what waits and what is dead (JSON lines with --json); `retry` sends
 * dead alerts again (from the next delivery round); `drop` deletes dead alerts.
 */
import { openOutbox } from '../outbox/index.js';
import type { OutboxEntry } from '../outbox/types.js';
import { WirewatchError } from '../errors.js';
import { systemClock } from '../clock.js';
import { withoutControls } from '../safe-text.js';
import { EXIT } from './io.js';
import type { CommandContext } from './context.js';

const when = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

function describeEntry(entry: OutboxEntry): string {
  const title = (entry.payload as { story?: { title?: unknown } } | null)?.story?.title;
  const error = entry.lastError ? `  ${entry.lastError.code}: ${entry.lastError.message}` : '';
  return withoutControls(
    `${entry.id.slice(0, 12)}  ${entry.state.padEnd(7)}  ${entry.channel}  attempts ${entry.attempts}  due ${when(entry.dueAt)}  ${typeof title === 'string' ? title : entry.storyId}${error}`,
  );
}

export async function deliveriesCommand({ io, values, positionals, loadConfig }: CommandContext): Promise<number> {
  const action = positionals[0];
  if (positionals.length !== 1 || !['list', 'retry', 'drop'].includes(action ?? '')) {
    throw new WirewatchError('cli_usage', action ? `unknown deliveries action "${positionals.join(' ')}"` : 'name an action: list, retry or drop');
  }
  const config = loadConfig();
  const outbox = await openOutbox(config.store.url);
  try {
    const channel = typeof values['channel'] === 'string' ? values['channel'] : undefined;
    if (action === 'list') {
      const entries = await outbox.list(channel ? { channel } : {});
      for (const entry of entries) io.stdout.write(values['json'] === true ? `${JSON.stringify(entry)}\n` : `${describeEntry(entry)}\n`);
      const stats = await outbox.stats();
      io.stderr.write(`wirewatch: ${stats.pending} waiting, ${stats.claimed} being sent, ${stats.dead} dead.\n`);
      return EXIT.ok;
    }
    // retry and drop act on dead alerts: the ids given (full or their first 12 characters), a channel's, or --all.
    const dead = await outbox.list({ state: 'dead', ...(channel ? { channel } : {}) });
    const wanted = ((values['id'] as string[] | undefined) ?? []).map((id) => id.trim()).filter(Boolean);
    if (wanted.length === 0 && !channel && values['all'] !== true) throw new WirewatchError('cli_usage', `${action} needs --id, --channel or --all`);
    const ids = dead.filter((entry) => wanted.length === 0 || wanted.some((id) => entry.id.startsWith(id))).map((entry) => entry.id);
    const count = action === 'retry' ? await outbox.revive(systemClock.now(), ids) : await outbox.drop(ids);
    io.stderr.write(`wirewatch: ${count} dead alert(s) ${action === 'retry' ? 'queued again' : 'dropped'}.\n`);
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}
