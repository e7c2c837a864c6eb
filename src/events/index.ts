/**
 * Story grouping: one event per real-world happening, across outlets and languages. No chat SDK
 * here; delivery decides what an event means for a channel (an alert, or a follow-up in its thread).
 */
export { StoryVocabulary, type StoryText, type StoryTerms } from './vocabulary.js';
export {
  EventClusterer,
  JOIN_THRESHOLD,
  type Assignment,
  type ClusterStory,
  type ClustererOptions,
  type EventRecord,
  type Rejection,
  type SharedTerm,
  type StoryRef,
} from './clusterer.js';
