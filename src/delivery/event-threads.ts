/**
 * What a channel needs to thread an event's later stories under its first alert: the first
 * alert's message reference (and, on Discord, the thread started from it), the alert itself (to
 * render it again when it is edited with the outlet count), the outlets so far and when the first
 * alert was last edited. One record per channel and event, kept a little past the event window:
 * after it, a story of the same people opens a new event and a new alert.
 */
import type { Alert } from '../alerts/alert.js';
import type { KeyValueStore } from '../store/index.js';

export interface EventThread {
  eventId: string;
  firstRef: string;
  /** Discord: the thread's id once one was started from the first message; `replies` when threads are refused; null before. */
  threadRef: string | null;
  first: Alert;
  /** Source names of the stories delivered (or counted) for this event here, first one first, each once. */
  outlets: string[];
  /** When the first alert was posted. */
  startedAt: number;
  /** When the first alert was last edited with the count; null before its first edit. */
  lastEditAt: number | null;
}

export function createEventThreadRepository(store: KeyValueStore, options: { ttlMs: number }) {
  const key = (channel: string, eventId: string) => `event-thread:${channel}:${eventId}`;
  return {
    get: (channel: string, eventId: string): Promise<EventThread | undefined> => store.get<EventThread>(key(channel, eventId)),
    put: (channel: string, thread: EventThread): Promise<void> => store.set(key(channel, thread.eventId), thread, options.ttlMs),
  };
}

export type EventThreadRepository = ReturnType<typeof createEventThreadRepository>;
