/**
 * A global concurrency limit and lazily created per-host ones, dropped again when a host goes
 * idle. The fetcher bounds its requests with it; the poll cycle bounds the feeds it has in flight
 * with another, so a feed waiting for its host's turn holds neither a request slot nor memory.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export type HostLimited = <T>(host: string, task: () => Promise<T>) => Promise<T>;

export function hostLimits(globalConcurrency: number, perHostConcurrency: number): HostLimited {
  const global = pLimit(globalConcurrency);
  const hosts = new Map<string, { limit: LimitFunction; users: number }>();
  return async <T>(host: string, task: () => Promise<T>): Promise<T> => {
    let entry = hosts.get(host);
    if (!entry) {
      entry = { limit: pLimit(perHostConcurrency), users: 0 };
      hosts.set(host, entry);
    }
    entry.users += 1;
    try {
      // Host slot first, then a global one: a task queued behind its own busy host holds no
      // global slot, so a slow host never starves the others.
      return await entry.limit(() => global(task));
    } finally {
      entry.users -= 1;
      if (entry.users === 0) hosts.delete(host);
    }
  };
}
