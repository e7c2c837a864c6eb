/**
 * `wirewatch check --offline`: the self-test of an image or a deployment that must not reach the
 * feeds (CI). Configuration and store are checked as by `check`; no feed is fetched. The CLI runs
 * as a child process on a real SQLite file. SQLite ignores file modes for root, so as root the
 * unwritable-store case runs the child as an unprivileged user.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss } from '../helpers/feeds.js';

const NOBODY = 65534;
const runningAsRoot = process.getuid?.() === 0;

let server: LoopbackServer;
let dir: string;

beforeAll(async () => {
  server = await startLoopbackServer();
  server.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ guid: '1', title: 'Suspect extradited', published: Date.now() }]));
  });
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-check-offline-'));
  chmodSync(dir, 0o777);
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'feeds:',
      `  - id: local`,
      `    url: ${server.url('/feed.xml')}`,
      `  - id: private`,
      `    url: http://reader:secret@127.0.0.1:${server.port}/private.xml`,
      'watchlists:',
      '  - id: extradition',
      '    name: Extraditions',
      '    terms: [extradited]',
    ].join('\n'),
  );
  chmodSync(join(dir, 'config.yaml'), 0o644);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const envFor = (store: string) => ({ WIREWATCH_CONFIG: join(dir, 'config.yaml'), STORE_URL: `sqlite://${join(dir, store)}` });

describe('wirewatch check --offline', () => {
  it('checks the configuration and the store, lists the feeds, fetches none and exits 0', async () => {
    const result = await runCli(['check', '--offline'], { env: envFor('ok.sqlite'), cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `config ${join(dir, 'config.yaml')}: 2 feed(s), 1 watchlist(s)`,
      `store sqlite (sqlite://${join(dir, 'ok.sqlite')}): ok, writable`,
      '',
      'FEED     URL',
      `local    ${server.url('/feed.xml')}`,
      `private  http://[redacted]@127.0.0.1:${server.port}/private.xml`,
      '',
      '2 feed(s) configured; not fetched (--offline)',
    ]);
    expect(server.requests).toEqual([]);
    expect(existsSync(join(dir, 'ok.sqlite'))).toBe(true);
  });

  it('exits 74 and says why when the store cannot be written', async () => {
    const created = await runCli(['check', '--offline'], { env: envFor('readonly.sqlite'), cwd: dir });
    expect(created.code).toBe(0);
    chmodSync(join(dir, 'readonly.sqlite'), 0o444);
    const asUnprivileged = runningAsRoot ? { uid: NOBODY, gid: NOBODY } : {};

    const result = await runCli(['check', '--offline'], { env: envFor('readonly.sqlite'), cwd: dir, ...asUnprivileged });
    expect(result.code).toBe(74);
    expect(result.stdout).toMatch(/^store sqlite \(.*readonly\.sqlite\): store_write_failed: the store cannot be written: .*SQLITE_READONLY/m);
    expect(result.stdout).toContain('2 feed(s) configured; not fetched (--offline)');
    expect(server.requests).toEqual([]);
  });

  it('exits 78 on a bad configuration, before opening the store', async () => {
    const result = await runCli(['check', '--offline'], { env: { ...envFor('never.sqlite'), MAX_ITEM_AGE: 'soon' }, cwd: dir });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('environment MAX_ITEM_AGE: "soon" is not a duration');
    expect(result.stdout).toBe('');
    expect(existsSync(join(dir, 'never.sqlite'))).toBe(false);
  });

  it('is in the usage of check', async () => {
    const result = await runCli(['check', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('wirewatch check [--offline]');
  });
});
