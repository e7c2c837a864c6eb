/**
 * Story grouping: one event per real-world happening, across outlets and languages. No chat SDK
 * here; delivery decides what an event means for a channel (an alert, or a follow-up in its
 * thread).
 *
 *   const tracker = await EventTracker.open(createClusterer({ entities, windowMs }), createEventRepository(store, { windowMs }), now);
 *   const { eventId, isNew, score, sharedTerms } = await tracker.assign(story, now);
 */
import type { EntityDefinition } from '../watch/definition.js';
import { EventClusterer } from './clusterer.js';
import { StoryVocabulary } from './vocabulary.js';

export { StoryVocabulary, type StoryText, type StoryTerms } from './vocabulary.js';
export {
  EventClusterer,
  JOIN_THRESHOLD,
  MIN_SHARED_SUBJECT,
  type Assignment,
  type ClusterStory,
  type ClustererOptions,
  type EventRecord,
  type Rejection,
  type SharedTerm,
  type StoryRef,
} from './clusterer.js';
export { EventTracker, type EventStatePort } from './tracker.js';

/** The clusterer the service and `wirewatch cluster` use: the configured entities, EVENT_WINDOW. */
export function createClusterer(options: { entities: readonly EntityDefinition[]; windowMs: number }): EventClusterer {
  return new EventClusterer({ vocabulary: new StoryVocabulary(options.entities), windowMs: options.windowMs });
}
