/**
 * The memory reducer aid (decision 020): on V8 13.1 and later (Node 24, the container's runtime)
 * an idle process gets its heap back from V8 only if something allocates on V8's embedder heap
 * now and then. Which V8s need it is a pure function of the version; whether it works is what the
 * probe measures in a real process: the committed heap after a burst, falling to a third, within
 * 40 s with the aid and not without it. CI runs the same probe inside the image, on Node 24.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readsZeroEmbedderRateAsHigh, startMemoryReducerAid } from '../../src/app/memory-reducer-aid.js';

const ROOT = join(import.meta.dirname, '../..');
const PROBE = join(ROOT, 'test/helpers/memory-reducer-probe.cjs');
const BUILT_AID = join(ROOT, 'dist/app/memory-reducer-aid.js');
const needsAid = readsZeroEmbedderRateAsHigh(process.versions.v8);

describe('which V8s need the aid', () => {
  it.each([
    ['11.3.244.8-node.38', false], // Node 20
    ['12.4.254.21-node.33', false], // Node 22
    ['12.9.202.28-node.14', false], // Node 23
    ['13.0.245.25', false],
    ['13.1.0.0', true], // the first with the exponentially decaying allocation rate
    ['13.6.233.17-node.63', true], // Node 24
    ['14.6.1.0-node.1', true], // Node 26
    ['', false],
  ])('%s → %s', (version, expected) => {
    expect(readsZeroEmbedderRateAsHigh(version)).toBe(expected);
  });

  it('starts nothing where it is not needed', () => {
    const idle = startMemoryReducerAid({ v8Version: '11.3.244.8-node.38' });
    expect(idle.active).toBe(false);
    idle.stop();
  });

  it('never keeps a process alive: one that starts it and does nothing else exits at once', () => {
    const script = `import(${JSON.stringify(pathToFileURL(BUILT_AID).href)}).then((m) => console.log(m.startMemoryReducerAid({ v8Version: '13.6.233.17-node.63' }).active))`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('true\n');
  });
});

describe.skipIf(!needsAid)(`an idle process on this V8 (${process.versions.v8}; on Node 20 and 22 the aid is not needed, and CI runs this probe inside the image)`, () => {
  it('gives its heap back within 40 s of a burst with the aid', () => {
    const run = spawnSync(process.execPath, [PROBE, BUILT_AID, '40'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^V8 gave back \d+ of \d+ MB of committed heap \d+ s after the burst \(aid on\)\n$/);
  }, 60_000);

  // When this fails, V8 reads an idle process's embedder rate as low again, and the aid can go.
  it('keeps it past 40 s without the aid, which is why the service starts it', () => {
    const run = spawnSync(process.execPath, [PROBE, 'none', '40'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('its memory reducer did not run');
  }, 60_000);
});
