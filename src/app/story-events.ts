/**
 * The event clusterer as the poll cycle uses it (the pipeline's StoryEvents port), opened on first
 * use: commands that never poll (`match`, `check`, `deliveries`) never read the open events from
 * the store.
 */
import type { Config } from '../config/index.js';
import type { Story } from '../feeds/story.js';
import type { StoryEvents } from '../pipeline/poll-feed.js';
import type { KeyValueStore } from '../store/index.js';
import { createEventRepository } from '../store/index.js';
import { createClusterer, EventTracker } from '../events/index.js';

export interface ServiceEvents extends StoryEvents {
  /**
   * At the start of a cycle (under the poll lease): reloads the open events if another replica
   * wrote them since, and forgets those past the window.
   */
  sync(now: number): Promise<void>;
}

/** The words of a story that made it join an event, each once, for the "why it joined" line. */
function sharedWords(terms: readonly { text: string }[]): string[] {
  return [...new Set(terms.map((term) => term.text.trim()).filter(Boolean))];
}

export function openStoryEvents(config: Readonly<Config>, store: KeyValueStore): ServiceEvents {
  let opening: Promise<EventTracker> | null = null;
  const tracker = (now: number): Promise<EventTracker> => {
    opening ??= EventTracker.open(createClusterer({ entities: config.entities, windowMs: config.events.windowMs }), createEventRepository(store, { windowMs: config.events.windowMs }), now).catch(
      (error: unknown) => {
        opening = null; // a store that failed once is tried again next time
        throw error;
      },
    );
    return opening;
  };
  return {
    sync: async (now) => {
      const events = await tracker(now);
      await events.sync(now);
      await events.prune(now);
    },
    assignAll: async (stories: readonly Story[], now) => {
      const events = await tracker(now);
      const assignments = await events.assignAll(
        stories.map((story) => ({
          title: story.title,
          description: story.summary,
          language: story.language,
          publishedAt: Date.parse(story.published),
          link: story.link,
          id: story.id,
          source: story.source,
        })),
        now,
      );
      return assignments.map((assignment) =>
        assignment instanceof Error
          ? assignment
          : { eventId: assignment.eventId, isNew: assignment.isNew, score: assignment.score, sharedTerms: sharedWords(assignment.sharedTerms) },
      );
    },
  };
}
