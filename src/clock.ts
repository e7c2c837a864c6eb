/** The time source, passed in wherever "now" matters (backoff, TTLs, first-seen dates, max age). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock a test moves by hand. */
export function manualClock(start: number): Clock & { advance(ms: number): void; set(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

/**
 * Waits for `work` at most `deadlineMs` (real time: shutdown deadlines); true when it settled in
 * time. The timer is cleared either way, so nothing keeps the process alive after.
 */
export async function settlesWithin(work: Promise<unknown>, deadlineMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deadlineMs);
  });
  try {
    return (await Promise.race([work.then(() => 'done' as const), timedOut])) === 'done';
  } finally {
    clearTimeout(timer);
  }
}
