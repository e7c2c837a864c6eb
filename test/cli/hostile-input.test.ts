/**
 * Hostile input through the `wirewatch` binary: deep markup in a story line costs that line's
 * text, never the process; control characters in input never reach the terminal raw.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server.js';

/** Any C0 control but tab and newline, DEL, any C1 control, bidi embeddings/overrides/isolates. */
const CONTROL_OR_BIDI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let config: string;
let server: LoopbackServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-hostile-cli-'));
  config = join(dir, 'watch.yaml');
  writeFileSync(config, 'watchlists:\n  - id: extradition\n    name: Extraditions\n    terms: [extradited]\n');
  server = await startLoopbackServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('wirewatch match', () => {
  it('answers a line with 5,000 nested tags like any other, and exits normally', async () => {
    const deep = `${'<b>'.repeat(5_000)}Suspect extradited${'</b>'.repeat(5_000)}`;
    const input = [
      JSON.stringify({ title: 'Suspect extradited' }),
      JSON.stringify({ title: 'Deep', description: deep }),
      JSON.stringify({ title: 'Local weather' }),
    ].join('\n');
    const result = await runCli(['match', '--config', config], { input: `${input}\n` });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { watchlists: string[] });
    expect(lines.map((line) => line.watchlists)).toEqual([['extradition'], ['extradition'], []]);
  });

  it('--explain prints no control or bidi character from the input', async () => {
    const input = [
      JSON.stringify({ title: 'Suspect \u001b[2J extradited \u009b31m \u202eevil', description: 'x \u001b]0;pwned\u0007', source: 'S\u001b[5m', link: 'https://x.example/\u009b2J' }),
      'not json \u001b[2J \u009b2J',
      JSON.stringify({ title: 'Escaped &#27;[2J and &#x9b;2J extradited' }),
    ].join('\n');
    const result = await runCli(['match', '--explain', '--config', config], { input: `${input}\n` });
    expect(result.stdout).toContain('Suspect [2J extradited');
    expect(result.stdout).not.toMatch(CONTROL_OR_BIDI);
    expect(result.stderr).not.toMatch(CONTROL_OR_BIDI);
  });
});

describe('wirewatch poll with human-readable logs', () => {
  it('a failing feed whose error quotes the body prints no control character', async () => {
    server.route('/not-a-feed', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end('\u009b2J\u001b]0;pwned\u0007 plain text');
    });
    const result = await runCli(['poll', '--once', '--feed', server.url('/not-a-feed')], {
      env: { STORE_URL: 'memory://', LOG_FORMAT: 'pretty', WIREWATCH_CONFIG: config },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('feed_not_a_feed');
    // pino-pretty colours its own output (ESC [ n m); the body's CSI, OSC and BEL must not follow.
    expect(result.stderr.replace(/\u001b\[\d+m/g, '')).not.toMatch(CONTROL_OR_BIDI);
  });
});

describe('hostile feeds through poll --once and check', () => {
  const good = Array.from({ length: 10 }, (_, i) => `<item><guid>g${i}</guid><title>Suspect ${i} extradited</title></item>`).join('');
  const deep = `<item><guid>bad</guid><title>Deep extradited &#x9b;2J</title><description>${'&lt;b&gt;'.repeat(5_000)}text</description></item>`;
  const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet &#27;[2J</title>${good}${deep}</channel></rss>`;

  beforeAll(() => {
    server.route('/hostile.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed);
    });
    server.route('/binary.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end('\u009b2J\u001b]0;pwned\u0007 not markup');
    });
  });

  it('poll --once --dry-run prints all eleven alerts and exits 0', async () => {
    const result = await runCli(['poll', '--once', '--dry-run', '--feed', server.url('/hostile.xml')], {
      env: { STORE_URL: 'memory://', WIREWATCH_CONFIG: config },
    });
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^■ /gm)).toHaveLength(11);
    expect(result.stdout).toContain('■ Deep extradited');
    expect(result.stdout).not.toMatch(CONTROL_OR_BIDI);
  });

  it('check reports the hostile feed ok and the binary one failed, with no control character in the table', async () => {
    const path = join(dir, 'check.yaml');
    writeFileSync(path, `feeds:\n  - id: hostile\n    url: ${server.url('/hostile.xml')}\n  - id: binary\n    url: ${server.url('/binary.xml')}\nwatchlists: []\n`);
    const result = await runCli(['check'], { env: { WIREWATCH_CONFIG: path, STORE_URL: 'memory://' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^hostile\s+ok\s+11\s/m);
    expect(result.stdout).toMatch(/^binary\s+failed\s+-\s+\S+\s+feed_not_a_feed: /m);
    expect(result.stdout).not.toMatch(CONTROL_OR_BIDI);
  });
});
