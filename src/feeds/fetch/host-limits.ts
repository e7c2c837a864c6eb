/**
 * A global concurrency limit and lazily created per-host ones, dropped again when a host goes
 * idle. The fetcher bounds its requests with it; the poll cycle bounds the feeds it has in flight
 * with another, so a feed waiting for its host's turn holds neither a request slot nor memory.
 *
 * Slots are counted here rather than with two nested p-limit calls: every feed of every cycle
 * passes two of these limiters, and each p-limit call costs about six promises and three
 * closures, where a free slot here costs none and a wait one promise (BENCHMARKS.md, the all-304
 * cycle). Waiters are served first come, first served, and a freed slot passes straight to the
 * next waiter, so a burst of arrivals cannot overtake them. The waiters wait in yocto-queue, the
 * queue p-limit itself uses: a linked list, so a host that always has someone waiting never
 * grows an array.
 */
import Queue from 'yocto-queue';

export type HostLimited = <T>(host: string, task: () => Promise<T>) => Promise<T>;

/** Slots in use and the tasks waiting for one, in arrival order. */
class Slots {
  private active = 0;
  private readonly waiting = new Queue<() => void>();

  constructor(private readonly limit: number) {}

  /**
   * True when a slot was free and is now taken; otherwise wait with `queued`. While anyone waits
   * every slot is taken (a released slot passes to a waiter), so a newcomer cannot overtake them.
   */
  tryTake(): boolean {
    if (this.active >= this.limit) return false;
    this.active += 1;
    return true;
  }

  /** Resolves once a released slot has been handed over to this waiter. */
  queued(): Promise<void> {
    return new Promise((resolve) => this.waiting.enqueue(resolve));
  }

  release(): void {
    const next = this.waiting.dequeue();
    // The slot goes to the next waiter as it is: `active` does not change.
    if (next) next();
    else this.active -= 1;
  }

  get idle(): boolean {
    return this.active === 0 && this.waiting.size === 0;
  }
}

export function hostLimits(globalConcurrency: number, perHostConcurrency: number): HostLimited {
  if (!(globalConcurrency >= 1) || !(perHostConcurrency >= 1)) throw new RangeError('concurrency limits must be at least 1');
  const global = new Slots(globalConcurrency);
  const hosts = new Map<string, Slots>();
  return async <T>(host: string, task: () => Promise<T>): Promise<T> => {
    let slots = hosts.get(host);
    if (!slots) {
      slots = new Slots(perHostConcurrency);
      hosts.set(host, slots);
    }
    // Host slot first, then a global one: a task queued behind its own busy host holds no
    // global slot, so a slow host never starves the others.
    if (!slots.tryTake()) await slots.queued();
    try {
      if (!global.tryTake()) await global.queued();
      try {
        return await task();
      } finally {
        global.release();
      }
    } finally {
      slots.release();
      if (slots.idle) hosts.delete(host);
    }
  };
}
