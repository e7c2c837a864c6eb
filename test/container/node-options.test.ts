/**
 * The young-generation cap (decision 019): the image sets it for every node process through
 * NODE_OPTIONS, and `npm start` gives node the same option, so the service runs with the same heap
 * layout however it is started. CI runs the same probe inside the built image (.ci/run); here,
 * that both places say the same, and that node started with those options keeps the young
 * generation at two 16 MB semi-spaces under a steady stream of short-lived objects.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageNodeOptions, runtimeStage } from '../helpers/image-settings.js';

const ROOT = join(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const startScript = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start']!;
const PROBE = join(ROOT, 'test/helpers/young-generation-probe.cjs');

describe('the young-generation cap', () => {
  const imageOptions = imageNodeOptions(dockerfile);

  it('is set by the image for every node process, and only in its runtime stage', () => {
    expect(imageOptions).toBe('--max-semi-space-size=16');
    expect(dockerfile.slice(0, dockerfile.length - runtimeStage(dockerfile).length)).not.toContain('NODE_OPTIONS');
  });

  it('is given to node by npm start, with the same value', () => {
    expect(startScript.endsWith(`node ${imageOptions} dist/cli.js run`)).toBe(true);
  });

  it('keeps the young generation at two 16 MB semi-spaces (with V8 bookkeeping, under 40 MB)', () => {
    const run = spawnSync(process.execPath, [...imageOptions.split(' '), PROBE, '40'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^young generation at most [\d.]+ MB\n$/);
  });

  it('the probe fails a young generation larger than it is given', () => {
    const run = spawnSync(process.execPath, [...imageOptions.split(' '), PROBE, '8'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('past 8 MB: --max-semi-space-size=16 is not in effect');
  });
});
