/**
 * The young-generation cap (decision 019): the image sets it for every node process through
 * NODE_OPTIONS, and `npm start` gives node the same option, so the service runs with the same heap
 * layout however it is started. CI checks the built image's node against the cap itself
 * (.ci/run); here, that both places say the same, and that node started with those options keeps
 * a young generation of two 16 MB semi-spaces under a steady stream of short-lived objects.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const startScript = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start']!;

/** The runtime stage: what follows the Dockerfile's last FROM. */
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

/** The largest the young generation grows while 6 million small objects pass through a window of 300,000 of them. */
const YOUNG_GENERATION_PEAK = `
  const v8 = require('v8');
  const ring = new Array(300000);
  let peak = 0;
  for (let i = 0; i < 6e6; i++) {
    ring[i % ring.length] = { i };
    if ((i & 65535) === 0) peak = Math.max(peak, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
  }
  console.log(peak / 1048576);
`;

describe('the young-generation cap', () => {
  const imageOptions = /^\s*(?:ENV\s+)?NODE_OPTIONS=(\S+)/m.exec(runtimeStage)?.[1];

  it('is set by the image for every node process, and only in its runtime stage', () => {
    expect(imageOptions).toBe('--max-semi-space-size=16');
    expect(dockerfile.slice(0, dockerfile.lastIndexOf('\nFROM '))).not.toContain('NODE_OPTIONS');
  });

  it('is given to node by npm start, with the same value', () => {
    expect(startScript).toMatch(/(^|&& )node (\S+ )*--max-semi-space-size=16 dist\/cli\.js run$/);
    expect(startScript).toContain(imageOptions);
  });

  it('keeps the young generation at two 16 MB semi-spaces', () => {
    const run = spawnSync(process.execPath, [...imageOptions!.split(' '), '-e', YOUNG_GENERATION_PEAK], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // 32 MB and V8's bookkeeping (32.75 in the image on Node 24); Node 24 without the cap grows it to 128.
    expect(Number(run.stdout.trim())).toBeLessThanOrEqual(40);
  });
});
