/**
 * The SQLite store coalesces concurrent reads and writes into few statements. What a caller sees
 * must not change: reads after writes see them, a delete is not overtaken by an earlier set,
 * expiry still holds, and a statement that fails fails its callers. Real SQLite files throughout;
 * the statement count is read from the driver's own `profile` event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type KeyValueStore } from '../../src/store/index.js';
import { batchSqliteAdapter, type RawSqliteAdapter } from '../../src/store/sqlite-batches.js';

const dirs: string[] = [];
const stores: KeyValueStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sqliteStore(): Promise<KeyValueStore> {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-batches-'));
  dirs.push(dir);
  const store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  stores.push(store);
  return store;
}

/** A real @keyv/sqlite adapter, batched, with every statement it sends counted. */
async function countedAdapter(): Promise<{ adapter: RawSqliteAdapter; statements: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-batches-'));
  dirs.push(dir);
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  const raw = new KeyvSqlite({ uri: `sqlite://${join(dir, 'raw.sqlite')}` }) as unknown as RawSqliteAdapter & { close(): Promise<void> };
  const statements: string[] = [];
  const query = raw.query.bind(raw);
  raw.query = (sql, ...parameters) => {
    statements.push(sql.trim().split(/\s+/)[0]!.toUpperCase());
    return query(sql, ...parameters);
  };
  await raw.query('SELECT 1');
  statements.length = 0;
  stores.push({ close: () => raw.close() } as unknown as KeyValueStore);
  return { adapter: batchSqliteAdapter(raw), statements };
}

describe('SQLite statement batching', () => {
  it('answers 200 concurrent reads and 200 concurrent writes with a handful of statements, each caller its own value', async () => {
    const { adapter, statements } = await countedAdapter();
    await Promise.all(Array.from({ length: 200 }, (_, n) => adapter.set(`k${n}`, `v${n}`)));
    const writes = statements.length;
    const values = await Promise.all(Array.from({ length: 200 }, (_, n) => adapter.get(`k${n}`)));
    expect(values).toEqual(Array.from({ length: 200 }, (_, n) => `v${n}`));
    expect(writes).toBeLessThanOrEqual(2);
    expect(statements.length - writes).toBeLessThanOrEqual(2);
    expect(await adapter.getMany(['k3', 'missing', 'k3'])).toEqual(['v3', undefined, 'v3']);
  });

  it('keeps the order of issue: a read after a write sees it, the later of two writes to one key stays, a delete is not overtaken', async () => {
    const { adapter } = await countedAdapter();
    const [, readAfterWrite] = await Promise.all([adapter.set('a', '1'), adapter.get('a'), adapter.set('b', 'first'), adapter.set('b', 'second')]);
    expect(readAfterWrite).toBe('1');
    expect(await adapter.get('b')).toBe('second');
    const [, , afterDelete, , last] = await Promise.all([
      adapter.set('c', 'x'),
      adapter.delete('c'),
      adapter.get('c'),
      adapter.set('c', 'y'),
      adapter.get('c'),
    ]);
    expect(afterDelete).toBeUndefined();
    expect(last).toBe('y');
  });

  it('a failed statement fails each operation in it, and the next batch goes on', async () => {
    const { adapter } = await countedAdapter();
    await adapter.query('CREATE TRIGGER refuse BEFORE INSERT ON keyv WHEN NEW.key = \'poison\' BEGIN SELECT RAISE(ABORT, \'refused\'); END');
    const results = await Promise.allSettled([adapter.set('ok-1', 'a'), adapter.set('poison', 'b'), adapter.set('ok-2', 'c')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // One statement: none of the three was written.
    expect(await adapter.getMany(['ok-1', 'poison', 'ok-2'])).toEqual([undefined, undefined, undefined]);
    await adapter.set('ok-3', 'd');
    expect(await adapter.get('ok-3')).toBe('d');
  });

  it('through the store: values of every JSON shape round-trip, TTLs still expire, getMany keeps the order asked', async () => {
    const store = await sqliteStore();
    const values: unknown[] = ['text with "quotes" and \\ and \u2028 and ñ and 😀', 42, null, [1, { a: 'b' }], { nested: { deep: [true, false] } }];
    await Promise.all(values.map((value, n) => store.set(`shape:${n}`, value)));
    expect(await store.getMany(values.map((_, n) => `shape:${n}`))).toEqual(values.map((value) => value ?? undefined));
    await store.set('short-lived', 'x', 20);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await store.get('short-lived')).toBeUndefined();
  });
});
