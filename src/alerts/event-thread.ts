/**
 * One alert per event per channel. Stories that report the same event (clustered across outlets
 * and languages by `src/events/`) reach a channel as one alert, the event's first; later outlets'
 * stories are follow-ups posted under it (a Discord thread started from the alert, a Slack reply
 * with `thread_ts`, an indented console line), and the first alert is edited now and then to say
 * how many outlets reported the event. All three travel through the outbox like any alert.
 *
 * Whether an alert goes out as the first or as a follow-up is decided when it is sent, by the
 * delivery worker: a channel's alerts are sent oldest first, so by then the channel's first alert
 * of the event has been delivered (and its message reference recorded) or has not.
 */
import type { Alert } from './alert.js';

/** The event a story belongs to, and why it joined it. */
export interface AlertEvent {
  /** The event (cluster) id. */
  id: string;
  /** Why this story joined an existing event: the terms it shares with it and the score; null when it opened the event. */
  because: { score: number; sharedTerms: string[] } | null;
}

/** Set by the delivery worker on an alert it sends as a follow-up: where the event's first alert is. */
export interface ThreadTarget {
  /** The platform's reference of the first alert's message: a Discord message id, a Slack `ts`. */
  firstRef: string;
  /**
   * Discord: the thread started from the first message once one exists (its id), null before;
   * `replies` when threads were refused in this channel and follow-ups are replies instead.
   */
  threadRef: string | null;
}

/** What a sink reports of a message it posted, so follow-ups can find it. */
export interface SentMessage {
  ref: string;
  /** Discord, for a follow-up: the thread it went to (or `replies`). */
  threadRef?: string | null;
  /**
   * For a follow-up: the first alert was gone (deleted), so this went out as an alert of its own
   * and is the event's first alert from now on.
   */
  rerooted?: boolean;
}

/** An edit of an event's first alert: the number of outlets that reported it, and which. */
export interface EventEdit {
  kind: 'event-edit';
  /** `edit:` and the event id: at most one edit waits per event and channel. */
  id: string;
  channel: string;
  eventId: string;
  firstRef: string;
  /** The first alert as it was sent, rendered again with the count. */
  first: Alert;
  /** Every outlet (the stories' source names) that reported the event to this channel, first one first. */
  outlets: string[];
}

export function isEventEdit(payload: unknown): payload is EventEdit {
  return (payload as Partial<EventEdit> | null)?.kind === 'event-edit';
}

/** An alert the worker sends as a follow-up. */
export function isFollowUp(alert: Alert): alert is Alert & { thread: ThreadTarget } {
  return alert.thread !== undefined;
}

/** The line a follow-up carries saying why its story joined the event. */
export function joinedBecause(event: AlertEvent | undefined): string | null {
  if (!event?.because) return null;
  const terms = event.because.sharedTerms.slice(0, 8).join(', ');
  return `Same event: shares ${terms || 'its key terms'} (score ${event.because.score.toFixed(2)})`;
}

/** The line an edited first alert carries: how many outlets reported the event, and the first few. */
export function outletsLine(outlets: readonly string[]): string {
  const named = outlets.slice(0, 5).join(', ');
  const more = outlets.length > 5 ? ` and ${outlets.length - 5} more` : '';
  return `Reported by ${outlets.length} outlet${outlets.length === 1 ? '' : 's'}: ${named}${more}`;
}
