/**
 * A store that cannot be written (a read-only SQLite file; a full disk takes the same path) must
 * stop delivery and say so — never post, fail to record, and post again next cycle — and
 * `wirewatch run` refuses to start on it. The CLI runs as a child process on a real SQLite file.
 * SQLite ignores file modes for root, so as root the child runs as an unprivileged user.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { rss, type TestItem } from '../helpers/feeds.js';

const NOBODY = 65534;
const runningAsRoot = process.getuid?.() === 0;

let server: LoopbackServer;
let dir: string;
const items: TestItem[] = [{ guid: 'base', title: 'Baseline story', published: Date.now() - 60_000 }];

beforeAll(async () => {
  server = await startLoopbackServer();
  server.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
  });
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-readonly-'));
  chmodSync(dir, 0o777);
  writeFileSync(
    join(dir, 'config.yaml'),
    `feeds:\n  - id: local\n    url: ${server.url('/feed.xml')}\nwatchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited]\n`,
  );
  chmodSync(join(dir, 'config.yaml'), 0o644);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ WIREWATCH_CONFIG: join(dir, 'config.yaml'), STORE_URL: `sqlite://${join(dir, 'store.sqlite')}` });

describe('a store that cannot be written', () => {
  it('stops delivery with a plain message instead of posting the same alert every cycle', async () => {
    const baseline = await runCli(['poll', '--once'], { env: env(), cwd: dir });
    expect(baseline.code).toBe(0);
    items.push({ guid: 'new', title: 'Cartel figure extradited', published: Date.now() });
    chmodSync(join(dir, 'store.sqlite'), 0o444);
    const asUnprivileged = runningAsRoot ? { uid: NOBODY, gid: NOBODY } : {};

    for (const attempt of [1, 2]) {
      const result = await runCli(['poll', '--once'], { env: env(), cwd: dir, ...asUnprivileged });
      expect(result.stdout, `poll ${attempt} printed an alert`).toBe('');
      // The alerts cannot be queued (logged per feed), and the outbox refuses its claim: exit 74.
      expect(result.code).toBe(74);
      expect(result.stderr).toMatch(/"code":"store_write_failed".*alerts could not be queued/);
      expect(result.stderr).toMatch(/^wirewatch: the outbox cannot be written: .*SQLITE_READONLY/m);
    }

    const check = await runCli(['check'], { env: env(), cwd: dir, ...asUnprivileged });
    expect(check.code).toBe(74);
    expect(check.stdout).toMatch(/^store sqlite \(.*\): store_write_failed: the store cannot be written/m);

    const run = await runCli(['run'], { env: env(), cwd: dir, ...asUnprivileged });
    expect(run.code).toBe(74);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^wirewatch: the store cannot be written: .*store\.sqlite/m);
  });
});
