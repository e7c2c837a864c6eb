/**
 * One writer at a time per key. Repositories that read, change and write a record (a tenant's
 * watchlists and feeds, the subscription and tenant indexes) run under it, so two commands
 * arriving together cannot both read the old value and one lose its write.
 *
 * `createKeyedLock` is the in-process lock: enough for SQLite and memory, which one process owns.
 * Replicas sharing Redis get a lock held in the server (src/coordination, passed to
 * `createRepositories` as `lock`), which queues on this one first within each process.
 */
export interface KeyedLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run: <T>(key: string, work: () => Promise<T>): Promise<T> => {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(work, work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      // Forget the key once nothing is queued behind this run, so the map stays small.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
