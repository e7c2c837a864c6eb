import { describe, expect, it } from 'vitest';
import { startPollScheduler } from '../../src/pipeline/scheduler.js';
import { silentLogger } from '../../src/log.js';

describe('poll scheduler', () => {
  it('never runs two cycles at once: a tick during a running cycle is skipped', async () => {
    let running = 0;
    let maxRunning = 0;
    let started = 0;
    const scheduler = startPollScheduler({
      expression: '* * * * * *', // every second
      logger: silentLogger(),
      cycle: async () => {
        started++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 2_200));
        running--;
      },
    });
    void scheduler.runNow();
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await scheduler.stop(5_000);
    expect(maxRunning).toBe(1);
    expect(started).toBeGreaterThanOrEqual(1);
    expect(started).toBeLessThanOrEqual(2);
  });

  it('on stop, lets the cycle in flight finish within the deadline', async () => {
    let finished = false;
    const scheduler = startPollScheduler({
      expression: '0 0 1 1 *',
      logger: silentLogger(),
      cycle: async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        finished = true;
      },
    });
    void scheduler.runNow();
    expect(await scheduler.stop(2_000)).toEqual({ finishedInTime: true });
    expect(finished).toBe(true);
  });

  it('aborts the cycle in flight when the deadline passes', async () => {
    let aborted = false;
    const scheduler = startPollScheduler({
      expression: '0 0 1 1 *',
      logger: silentLogger(),
      cycle: (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
    });
    void scheduler.runNow();
    expect(await scheduler.stop(100)).toEqual({ finishedInTime: false });
    expect(aborted).toBe(true);
  });
});
