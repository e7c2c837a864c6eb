/**
 * Slack allows about one chat.postMessage per second per channel (short bursts tolerated) and the
 * WebClient does not pace: it only reacts to 429s. This gate keeps one queue per channel: work for
 * a channel runs one at a time, and every post waits until `intervalMs` after the previous post
 * to that channel was answered (counting from the answer, not the request, so network jitter can
 * never bring two posts closer than the interval at Slack's end). Different channels never wait
 * for each other.
 */
import { systemClock, type Clock } from '../../clock.js';

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export type Paced = <R>(post: () => Promise<R>) => Promise<R>;

export interface ChannelPacer {
  /**
   * Runs `task` once the channel's earlier tasks have finished. `task` makes each post through
   * `paced(post)`, which waits until the channel may take the next message, then posts.
   */
  run<T>(channel: string, task: (paced: Paced) => Promise<T>): Promise<T>;
  /** Channels with queued or recent work (for tests and metrics). */
  size(): number;
}

export interface ChannelPacerOptions {
  intervalMs?: number;
  clock?: Clock;
  sleep?: Sleep;
}

interface Lane {
  tail: Promise<void>;
  /** When the last post was answered (or failed), or -Infinity. */
  lastPostAt: number;
  pending: number;
}

/** Idle lanes are dropped once this many channels have been seen, so the map stays small. */
const SWEEP_ABOVE = 256;

export function createChannelPacer(options: ChannelPacerOptions = {}): ChannelPacer {
  const intervalMs = options.intervalMs ?? 1000;
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const lanes = new Map<string, Lane>();

  function sweep(): void {
    const now = clock.now();
    for (const [channel, lane] of lanes) if (lane.pending === 0 && now - lane.lastPostAt >= intervalMs) lanes.delete(channel);
  }

  return {
    run<T>(channel: string, task: (paced: Paced) => Promise<T>): Promise<T> {
      if (lanes.size > SWEEP_ABOVE) sweep();
      let lane = lanes.get(channel);
      if (!lane) {
        lane = { tail: Promise.resolve(), lastPostAt: Number.NEGATIVE_INFINITY, pending: 0 };
        lanes.set(channel, lane);
      }
      const own = lane;
      own.pending += 1;
      const paced: Paced = async (post) => {
        const wait = own.lastPostAt + intervalMs - clock.now();
        if (wait > 0) await sleep(wait);
        try {
          return await post();
        } finally {
          own.lastPostAt = clock.now();
        }
      };
      const result = own.tail.then(() => task(paced));
      own.tail = result.then(
        () => undefined,
        () => undefined,
      );
      void own.tail.then(() => {
        own.pending -= 1;
      });
      return result;
    },
    size: () => lanes.size,
  };
}
