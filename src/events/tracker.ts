/**
 * The clusterer with its state kept in a store: what the service uses. Every assignment writes
 * the events it changed (and deletes the ones it closed) before it returns, so a restart — or
 * another replica — carries on from the same open events, and the next story of an event is a
 * follow-up, not a new alert.
 *
 * One writer at a time: replicas run the poll cycle under a lease, so only the holder assigns
 * stories. A replica taking over calls `sync()` first; it reloads the open events when another
 * process has written since it last read or wrote them (the store keeps a version for that).
 */
import type { Assignment, ClusterStory, EventClusterer, EventRecord } from './clusterer.js';

/** What a store must offer to keep the open events (implemented in store/). */
export interface EventStatePort {
  /** The open events at `now`, and the version of the state they are. */
  loadOpen(now: number): Promise<{ records: EventRecord[]; version: string | null }>;
  /** Writes changed events and deletes closed ones; returns the new version. */
  save(changes: { changed: readonly EventRecord[]; closed: readonly string[] }, now: number): Promise<string>;
  /** The version of the stored state (null when nothing was ever written). */
  version(): Promise<string | null>;
}

export class EventTracker {
  private version: string | null = null;
  /** A write failed: memory holds changes the store does not, so the next call reloads first. */
  private stale = false;

  private constructor(
    readonly clusterer: EventClusterer,
    private readonly state: EventStatePort,
  ) {}

  /** Builds the in-memory index from the stored open events. */
  static async open(clusterer: EventClusterer, state: EventStatePort, now: number): Promise<EventTracker> {
    const tracker = new EventTracker(clusterer, state);
    await tracker.reload(now);
    return tracker;
  }

  /** Reloads the open events when another process wrote them since; true when it did. */
  async sync(now: number): Promise<boolean> {
    const stored = await this.state.version();
    if (stored === this.version && !this.stale) return false;
    await this.reload(now);
    return true;
  }

  /** Assigns the story to an event and stores the change before answering. */
  async assign(story: ClusterStory, now: number): Promise<Assignment> {
    const [assignment] = await this.assignAll([story], now);
    if (assignment instanceof Error) throw assignment;
    return assignment!;
  }

  /**
   * Assigns the stories in the order given and stores the changes once for all of them before
   * answering: a cycle's stories cost one write per changed event, not one round of writes each.
   * A story the clusterer fails on gets its error in its place; the others go on. When the write
   * fails, the call fails and none of the assignments stands (the next call reloads).
   */
  async assignAll(stories: readonly ClusterStory[], now: number): Promise<(Assignment | Error)[]> {
    if (this.stale) await this.reload(now);
    const assignments = stories.map((story) => {
      try {
        return this.clusterer.assign(story, now);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
    await this.flush(now);
    return assignments;
  }

  /** Closes the events past the window, in memory and in the store. */
  async prune(now: number): Promise<string[]> {
    if (this.stale) await this.reload(now);
    const closed = this.clusterer.prune(now);
    await this.flush(now);
    return closed;
  }

  private async flush(now: number): Promise<void> {
    const changes = this.clusterer.takeChanges();
    if (changes.changed.length === 0 && changes.closed.length === 0) return;
    try {
      this.version = await this.state.save(changes, now);
    } catch (error) {
      // The caller retries the story later (it stays new in its feed): it must not find itself
      // already in an event that only this process's memory holds.
      this.stale = true;
      throw error;
    }
  }

  private async reload(now: number): Promise<void> {
    const { records, version } = await this.state.loadOpen(now);
    this.clusterer.load(records, now);
    this.version = version;
    this.stale = false;
  }
}
