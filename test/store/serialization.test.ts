/**
 * The store writes keyv's own format, through JSON.stringify / JSON.parse where that gives the
 * same text. Checked value by value against keyv's default functions, and end to end: a SQLite
 * file written with keyv's defaults (as every store before this change was) reads back the same
 * through openStore, and what openStore writes reads back the same through keyv's defaults.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { deserializeRecord, serializeRecord } from '../../src/store/serialization.js';

const VALUES: [string, unknown][] = [
  ['a seen-record', { value: { baselineAt: 1, items: { abc: [1, 2, 'k3y_-AZ09abc'], def: [3, 4] } }, expires: 99 }],
  ['a string starting with a colon', { value: ':-) a title', expires: undefined }],
  ['a nested one in an array', { value: [{ title: '::two' }, ':base64:not really'], expires: 5 }],
  ['one first in an array', { value: [':first', 'second'], expires: 5 }],
  ['a key starting with a colon', { value: { ':key': 'plain', other: 1 }, expires: null }],
  ['colons elsewhere', { value: { title: 'Mexico: tariffs', 'a:b': 'c:d', list: ['x:', 'y'] }, expires: 1 }],
  ['quotes and escapes', { value: { title: 'say "hi": \\ "x":' }, expires: 1 }],
  ['non-ASCII and lone surrogates', { value: { title: 'Ñandú «El Mayo» 🚨 \ud800' }, expires: 1 }],
  ['an empty string and empty containers', { value: { a: '', b: [], c: {} }, expires: 1 }],
  ['undefined fields and array holes', { value: { a: undefined, b: [undefined, 1] }, expires: 1 }],
  ['a number and a boolean', { value: 42, expires: false }],
];

describe('serializeRecord / deserializeRecord', () => {
  it.each(VALUES)('%s: the same text as keyv writes, and the same value as keyv reads', (_, value) => {
    const text = defaultSerialize(value);
    expect(serializeRecord(value)).toBe(text);
    expect(deserializeRecord(text)).toEqual(defaultDeserialize(text));
  });
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a SQLite store', () => {
  it('reads what keyv wrote with its defaults, and writes what keyv reads with them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirewatch-serialization-'));
    dirs.push(dir);
    const uri = `sqlite://${join(dir, 'store.sqlite')}`;
    const { default: KeyvSqlite } = await import('@keyv/sqlite');
    const records = { colon: ':starts with a colon', nested: { items: { a: [1, 2, 'key'] }, title: '::' }, plain: { n: 1 } };

    const before = new Keyv({ store: new KeyvSqlite({ uri }), namespace: 'wirewatch' });
    for (const [key, value] of Object.entries(records)) await before.set(`old:${key}`, value);
    await before.disconnect();

    const store = await openStore(uri);
    for (const [key, value] of Object.entries(records)) {
      expect(await store.get(`old:${key}`)).toEqual(value);
      await store.set(`new:${key}`, value);
    }
    await store.close();

    const after = new Keyv({ store: new KeyvSqlite({ uri }), namespace: 'wirewatch' });
    for (const [key, value] of Object.entries(records)) expect(await after.get(`new:${key}`)).toEqual(value);
    await after.disconnect();
  });
});
