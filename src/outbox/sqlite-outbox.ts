/**
 * The outbox as a table in the store's SQLite file, on a connection of its own. WAL lets the
 * store's connection read while this one writes; busy_timeout makes a second writer (another
 * process on the same file) wait instead of failing. A claim is one UPDATE … RETURNING, a single
 * write transaction, so two connections never claim the same row.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import sqlite3 from 'sqlite3';
import { WirewatchError } from '../errors.js';
import { compareEntries, newEntry, reading, writing } from './entry.js';
import type { Outbox, OutboxEntry, OutboxError, OutboxState } from './types.js';

const BUSY_TIMEOUT_MS = 5000;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    story_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER NOT NULL,
    lease_until INTEGER,
    enqueued_at INTEGER NOT NULL,
    last_error TEXT
  )`,
  'CREATE INDEX IF NOT EXISTS outbox_state_due ON outbox (state, due_at)',
];

const CLAIM = `UPDATE outbox SET state = 'claimed', lease_until = ?
  WHERE id IN (
    SELECT id FROM outbox
    WHERE (state = 'pending' AND due_at <= ?) OR (state = 'claimed' AND lease_until <= ?)
    ORDER BY due_at, ord, id
    LIMIT ?
  )
  RETURNING *`;

interface Row {
  id: string;
  channel: string;
  story_id: string;
  ord: number;
  payload: string;
  state: OutboxState;
  attempts: number;
  due_at: number;
  lease_until: number | null;
  enqueued_at: number;
  last_error: string | null;
}

function fromRow(row: Row): OutboxEntry {
  return {
    id: row.id,
    channel: row.channel,
    storyId: row.story_id,
    order: row.ord,
    payload: JSON.parse(row.payload) as unknown,
    dueAt: row.due_at,
    state: row.state,
    attempts: row.attempts,
    enqueuedAt: row.enqueued_at,
    leaseUntil: row.lease_until,
    lastError: row.last_error === null ? null : (JSON.parse(row.last_error) as OutboxError),
  };
}

/** The few calls this module makes, as promises. */
class Connection {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: sqlite3.Database) {}

  static open(path: string): Promise<Connection> {
    return new Promise((done, fail) => {
      const db = new sqlite3.Database(path, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (error) =>
        error ? fail(error) : done(new Connection(db)),
      );
    });
  }

  run(sql: string, ...parameters: unknown[]): Promise<number> {
    return new Promise((done, fail) => {
      this.db.run(sql, parameters, function (this: sqlite3.RunResult, error: Error | null) {
        if (error) fail(error);
        else done(this.changes);
      });
    });
  }

  all<T>(sql: string, ...parameters: unknown[]): Promise<T[]> {
    return new Promise((done, fail) => {
      this.db.all<T>(sql, parameters, (error, rows) => (error ? fail(error) : done(rows)));
    });
  }

  /**
   * One operation at a time on this connection: a transaction's statements must not interleave
   * with another caller's. Other connections (other processes) are kept out by SQLite's lock.
   */
  exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN IMMEDIATE');
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  close(): Promise<void> {
    return new Promise((done, fail) => this.db.close((error) => (error ? fail(error) : done())));
  }
}

/** `ids` as one JSON parameter, so a long list needs no string-built SQL. */
const idFilter = (ids: readonly string[] | undefined): [string, unknown[]] =>
  ids === undefined ? ['', []] : [' AND id IN (SELECT value FROM json_each(?))', [JSON.stringify(ids)]];

/** Opens (and creates on first run) the outbox table in the SQLite file at `path`. */
export async function openSqliteOutbox(path: string): Promise<Outbox> {
  const file = path === ':memory:' ? path : resolve(path);
  let connection: Connection;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    connection = await Connection.open(file);
    await connection.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await connection.all('PRAGMA journal_mode = WAL');
    await connection.run('PRAGMA synchronous = NORMAL');
    for (const statement of SCHEMA) await connection.run(statement);
  } catch (error) {
    throw new WirewatchError('store_unavailable', `cannot open the outbox in ${file}: ${(error as Error).message}`, { cause: error });
  }
  const db = connection;
  const description = `sqlite outbox ${file}`;
  const read = <T>(operation: () => Promise<T>) => db.exclusive(() => reading(description, operation));
  const write = <T>(operation: () => Promise<T>) => db.exclusive(() => writing(description, operation));

  return {
    enqueue: (entries, now) =>
      write(() =>
        db.transaction(async () => {
          let added = 0;
          for (const item of entries) {
            const entry = newEntry(item, now);
            added += await db.run(
              `INSERT OR IGNORE INTO outbox (id, channel, story_id, ord, payload, state, attempts, due_at, lease_until, enqueued_at, last_error)
               VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, NULL, ?, NULL)`,
              entry.id,
              entry.channel,
              entry.storyId,
              entry.order,
              JSON.stringify(entry.payload ?? null),
              entry.dueAt,
              now,
            );
          }
          return added;
        }),
      ),
    claimDue: (now, limit, leaseMs) =>
      write(async () => {
        if (limit <= 0) return [];
        const rows = await db.all<Row>(CLAIM, now + leaseMs, now, now, limit);
        // RETURNING gives rows in no promised order.
        return rows.map(fromRow).sort(compareEntries);
      }),
    complete: (id) =>
      write(async () => {
        await db.run('DELETE FROM outbox WHERE id = ?', id);
      }),
    retry: (id, dueAt, error) =>
      write(async () => {
        await db.run(
          `UPDATE outbox SET state = 'pending', due_at = ?, attempts = attempts + 1, lease_until = NULL, last_error = ? WHERE id = ?`,
          dueAt,
          JSON.stringify(error),
          id,
        );
      }),
    releaseClaimed: (now) =>
      write(async () => {
        const rows = await db.all<{ id: string }>(`UPDATE outbox SET state = 'pending', due_at = ?, lease_until = NULL WHERE state = 'claimed' RETURNING id`, now);
        return rows.length;
      }),
    release: (id, dueAt) =>
      write(async () => {
        await db.run(`UPDATE outbox SET state = 'pending', due_at = ?, lease_until = NULL WHERE id = ?`, dueAt, id);
      }),
    bury: (id, error) =>
      write(async () => {
        await db.run(
          `UPDATE outbox SET state = 'dead', attempts = attempts + 1, lease_until = NULL, last_error = ? WHERE id = ?`,
          JSON.stringify(error),
          id,
        );
      }),
    list: (filter = {}) =>
      read(async () => {
        const rows = await db.all<Row>(
          `SELECT * FROM outbox WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR channel = ?2) ORDER BY due_at, ord, id LIMIT ?3`,
          filter.state ?? null,
          filter.channel ?? null,
          filter.limit === undefined ? -1 : Math.max(0, filter.limit),
        );
        return rows.map(fromRow);
      }),
    revive: (now, ids) =>
      write(() => {
        const [where, parameters] = idFilter(ids);
        return db.run(
          `UPDATE outbox SET state = 'pending', due_at = ?, attempts = 0, lease_until = NULL WHERE state = 'dead'${where}`,
          now,
          ...parameters,
        );
      }),
    drop: (ids) =>
      write(() => {
        const [where, parameters] = idFilter(ids);
        return db.run(`DELETE FROM outbox WHERE state = 'dead'${where}`, ...parameters);
      }),
    dropDeadBefore: (before) =>
      write(() => db.run(`DELETE FROM outbox WHERE state = 'dead' AND coalesce(json_extract(last_error, '$.at'), 0) < ?`, before)),
    stats: () =>
      read(async () => {
        const rows = await db.all<{ state: OutboxState; count: number; oldest: number | null }>(
          `SELECT state, count(*) AS count, min(due_at) AS oldest FROM outbox GROUP BY state`,
        );
        const of = (state: OutboxState) => rows.find((row) => row.state === state);
        return {
          pending: of('pending')?.count ?? 0,
          claimed: of('claimed')?.count ?? 0,
          dead: of('dead')?.count ?? 0,
          oldestDueAt: of('pending')?.oldest ?? null,
        };
      }),
    close: () => db.exclusive(() => db.close()),
  };
}
