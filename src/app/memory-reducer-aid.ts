/**
 * Lets V8's memory reducer give an idle service's memory back on V8 13.1 and later (Node 24, the
 * container's runtime). Decision 020.
 *
 * After a cycle's burst of allocation V8 keeps the freed heap pages committed, and pooled, until a
 * memory-reducing collection. Its memory reducer starts one when the allocation rate is low; from
 * V8 13.1 it reads the rate of the embedder's (cppgc) heap as exactly 0 in a process that never
 * allocates there, and counts 0 as the highest rate, so it puts itself off every 8 s and is left
 * with its watchdog, which the ordinary major collection of every poll cycle postpones again.
 * Node allocates on that heap for each `vm.Script`: compiling an empty one now and then makes the
 * rate tiny instead of zero, and the reducer then runs within seconds of a burst, as it does on
 * Node 20.
 */
import { Script } from 'node:vm';

/**
 * The embedder rate decays between samples and must not decay to zero between two allocations;
 * one allocation costs a cached compile of an empty string. With 30 s the reducer ran 9–17 s
 * after a burst in every run measured (decision 020).
 */
export const EMBEDDER_ALLOCATION_INTERVAL_MS = 30_000;

/** Whether this V8 (`process.versions.v8`, e.g. "13.6.233.17-node.63") reads a zero embedder rate as high: 13.1 and later. */
export function readsZeroEmbedderRateAsHigh(v8Version: string): boolean {
  const [major = 0, minor = 0] = v8Version.split('.', 2).map(Number);
  return major > 13 || (major === 13 && minor >= 1);
}

export interface MemoryReducerAid {
  /** Whether it runs on this V8 (false: nothing to do, on Node 20 and 22). */
  readonly active: boolean;
  stop(): void;
}

/** One small allocation on V8's embedder heap: a compiled empty script, dropped at once. */
function allocateOnEmbedderHeap(): void {
  new Script('');
}

/** Starts the periodic allocation on V8s that need it; its timer never keeps the process alive. */
export function startMemoryReducerAid(options: { v8Version: string; intervalMs?: number }): MemoryReducerAid {
  if (!readsZeroEmbedderRateAsHigh(options.v8Version)) return { active: false, stop: () => undefined };
  allocateOnEmbedderHeap();
  const timer = setInterval(allocateOnEmbedderHeap, options.intervalMs ?? EMBEDDER_ALLOCATION_INTERVAL_MS);
  timer.unref();
  return { active: true, stop: () => clearInterval(timer) };
}
