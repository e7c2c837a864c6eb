/**
 * Coalesces the SQLite adapter's reads and writes into few statements. A poll cycle has dozens of
 * feeds in flight, each reading and writing its own keys; one statement per key costs a trip to
 * SQLite's thread and back each (on 1,000 feeds answering 304, the largest share of the main
 * thread's time, a fifth, was the driver's callbacks).
 * Here the operations wait while a statement runs, then go together: consecutive reads as one
 * SELECT over all their keys, consecutive writes as one multi-row upsert (one statement, so
 * atomic). Operations run in the order they were issued, so a read after a write of the same key
 * sees it, and a delete is never overtaken by an earlier set. A failed statement fails every
 * operation in it.
 */

type Row = Record<string, unknown>;
export type SqliteQuery = (sql: string, ...parameters: unknown[]) => Promise<Row[]>;

/** The part of @keyv/sqlite's adapter this layer replaces: raw (serialised) values by key. */
export interface RawSqliteAdapter {
  query: SqliteQuery;
  get(key: string): Promise<string | undefined>;
  getMany(keys: string[]): Promise<(string | undefined)[]>;
  set(key: string, value: string): Promise<unknown>;
  delete(key: string): Promise<boolean>;
  deleteMany(keys: string[]): Promise<boolean>;
  clear(): Promise<void>;
}

type Operation =
  | { kind: 'read'; keys: string[]; done: (values: (string | undefined)[]) => void; failed: (error: unknown) => void }
  | { kind: 'write'; entries: [string, string][]; done: () => void; failed: (error: unknown) => void }
  | { kind: 'other'; run: () => Promise<unknown>; done: (value: unknown) => void; failed: (error: unknown) => void };

/** Keys per statement: json_each has no limit to speak of, but one huge statement holds the writer long. */
const MAX_KEYS_PER_STATEMENT = 2000;
/**
 * Characters of values per write statement: the batch is one JSON text, copied again by SQLite,
 * so thousands of large values at once (a cycle's events) would be held several times over.
 */
const MAX_CHARS_PER_STATEMENT = 512 * 1024;

export function batchSqliteAdapter<T extends RawSqliteAdapter>(adapter: T, table = 'keyv'): T {
  const query = adapter.query.bind(adapter);
  const original = { delete: adapter.delete.bind(adapter), deleteMany: adapter.deleteMany.bind(adapter), clear: adapter.clear.bind(adapter) };
  const queue: Operation[] = [];
  let draining = false;

  const runReads = async (reads: Extract<Operation, { kind: 'read' }>[]) => {
    const keys = [...new Set(reads.flatMap((read) => read.keys))];
    const rows = await query(`SELECT key, value FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`, JSON.stringify(keys));
    const values = new Map(rows.map((row) => [row['key'] as string, row['value'] as string]));
    for (const read of reads) read.done(read.keys.map((key) => values.get(key)));
  };
  const runWrites = async (writes: Extract<Operation, { kind: 'write' }>[]) => {
    // Rows go in array order, so of two writes of one key in a batch the later one stays.
    await query(
      `INSERT INTO ${table} (key, value) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true ` +
        'ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      JSON.stringify(writes.flatMap((write) => write.entries)),
    );
    for (const write of writes) write.done();
  };

  /** The operations at the head of the queue that can share one statement. */
  const takeBatch = (): Operation[] => {
    const kind = queue[0]!.kind;
    if (kind === 'other') return queue.splice(0, 1);
    let count = 0;
    let keys = 0;
    let chars = 0;
    for (const operation of queue) {
      if (operation.kind !== kind) break;
      if (operation.kind === 'read') keys += operation.keys.length;
      if (operation.kind === 'write') {
        keys += operation.entries.length;
        for (const [, value] of operation.entries) chars += value.length;
      }
      if (count > 0 && (keys > MAX_KEYS_PER_STATEMENT || chars > MAX_CHARS_PER_STATEMENT)) break;
      count++;
    }
    return queue.splice(0, count);
  };

  const drain = async () => {
    while (queue.length > 0) {
      const batch = takeBatch();
      try {
        const head = batch[0]!;
        if (head.kind === 'read') await runReads(batch as Extract<Operation, { kind: 'read' }>[]);
        else if (head.kind === 'write') await runWrites(batch as Extract<Operation, { kind: 'write' }>[]);
        else head.done(await head.run());
      } catch (error) {
        for (const operation of batch) operation.failed(error);
      }
    }
    draining = false;
  };

  const enqueue = <R>(make: (done: (value: R) => void, failed: (error: unknown) => void) => Operation): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push(make(resolve, reject));
      if (draining) return;
      draining = true;
      // After the current turn: what the same turn issues goes in the first statement too.
      queueMicrotask(() => void drain());
    });

  const read = (keys: string[]) => enqueue<(string | undefined)[]>((done, failed) => ({ kind: 'read', keys, done, failed }));
  const write = (entries: [string, string][]) => enqueue<void>((done, failed) => ({ kind: 'write', entries, done: () => done(), failed }));
  const other = <R>(run: () => Promise<R>) =>
    enqueue<R>((done, failed) => ({ kind: 'other', run, done: done as (value: unknown) => void, failed }));

  adapter.get = async (key) => (await read([key]))[0];
  adapter.getMany = (keys) => read(keys);
  adapter.set = (key, value) => write([[key, value]]);
  adapter.delete = (key) => other(() => original.delete(key));
  adapter.deleteMany = (keys) => other(() => original.deleteMany(keys));
  adapter.clear = () => other(() => original.clear());
  return adapter;
}
