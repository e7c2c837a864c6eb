/**
 * How `wirewatch match` writes its answers: in batches, yet each answer as soon as the lines read
 * so far are answered (someone typing a line sees its answer before typing the next), in order,
 * and without outrunning a slow reader.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchedOutput } from '../../src/cli/batched-output.js';
import { CLI, runCli } from '../helpers/cli.js';

let dir: string;
let config: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-match-output-'));
  config = join(dir, 'config.yaml');
  writeFileSync(config, 'watchlists:\n  - id: weather\n    name: Weather\n    terms: [weather]\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wirewatch match output', () => {
  it('answers each line before the next one is written', async () => {
    const child = spawn(process.execPath, [CLI, 'match', '--config', config], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let waiting: { lines: number; resolve: () => void } | null = null;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (waiting && stdout.split('\n').length - 1 >= waiting.lines) waiting.resolve();
    });
    const answered = (lines: number) => new Promise<void>((resolve) => (waiting = { lines, resolve }));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));

    let next = answered(1);
    child.stdin.write('{"title":"Local weather"}\n');
    await next;
    next = answered(2);
    child.stdin.write('{"title":"Markets"}\n');
    await next;
    child.stdin.end();
    expect(await closed).toBe(0);
    expect(stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { watchlists: ['weather'], matches: [{ watchlist: 'weather', term: 'weather', field: 'title' }] },
      { watchlists: [], matches: [] },
    ]);
  }, 30_000);

  it('answers 20,000 lines in order, many batches of them', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ title: i % 3 === 0 ? `Weather report ${i}` : `Story ${i}` }));
    const result = await runCli(['match', '--config', config], { input: `${lines.join('\n')}\n`, cwd: dir });
    expect(result.code).toBe(0);
    const answers = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { watchlists: string[] });
    expect(answers).toHaveLength(20_000);
    answers.forEach((answer, i) => expect(answer.watchlists).toEqual(i % 3 === 0 ? ['weather'] : []));
  }, 60_000);
});

describe('BatchedOutput', () => {
  it('writes what it is given in order, and says when to wait for a slow stream', async () => {
    const written: string[] = [];
    // A stream that takes its time over every chunk and holds little: writes are soon refused.
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString('utf8'));
        setTimeout(done, 1);
      },
    });
    const output = new BatchedOutput(slow);
    let waits = 0;
    const expected: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      const line = `${JSON.stringify({ line: i, pad: 'x'.repeat(40) })}\n`;
      expected.push(line);
      output.add(line);
      const writable = output.whenWritable();
      if (writable) {
        waits++;
        await writable;
      }
    }
    output.flush();
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(written.join('')).toBe(expected.join(''));
    expect(waits).toBeGreaterThan(0);
  });

  it('writes a short batch without waiting for more', async () => {
    const written: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString('utf8'));
        done();
      },
    });
    const output = new BatchedOutput(sink);
    output.add('one\n');
    output.add('two\n');
    expect(written).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(['one\ntwo\n']);
  });
});
