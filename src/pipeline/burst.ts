/**
 * Bursts: how a poll cycle's alerts become outbox entries. Per channel, across every feed of the
 * cycle, oldest story first: the first `limit` (BURST_LIMIT) are queued one entry each, as usual;
 * the rest become ONE roll-up entry for the channel, listing every one of them. The roll-up's
 * entry id comes from its stories' ids, so queueing the same cycle twice (a crash before the
 * seen-records advanced) keeps one entry; its `order` is after the channel's last individual
 * alert of the cycle.
 *
 * Only the alerts queued one by one get a summary written; a roll-up lists no summaries.
 *
 * One `BurstPlan` per cycle, made by runPollCycle: the count is the cycle's, never a module's.
 */
import { completeAlert, dedupeKeys, type DraftAlert } from '../alerts/alert.js';
import { buildRollUp } from '../alerts/rollup.js';
import type { NewOutboxEntry } from '../outbox/types.js';

/** One alert offered to the plan, and which feed of the cycle brought it. */
export interface CycleAlert {
  /** Its summary is written only if it is queued on its own. */
  alert: DraftAlert;
  feedIndex: number;
}

export interface PlannedEntries {
  entries: NewOutboxEntry[];
  /** Alerts queued (individually or rolled up) per feed index. */
  queuedByFeed: Map<number, number>;
  /** Roll-up entries among `entries`. */
  rollUps: number;
}

function published(alert: DraftAlert): number {
  return Date.parse(alert.story.published);
}

/**
 * The cycle's entries. `alerts` are those not yet delivered to their channel. Within a channel an
 * article that arrived through two feeds (same link) is queued once, the oldest copy. Given
 * `onSummaryError`, an alert whose summary cannot be written is queued without one and reported
 * there: one story's text must not stop the cycle's queueing (without it, the error is thrown).
 */
export function planEntries(
  alerts: readonly CycleAlert[],
  limit: number,
  now: number,
  onSummaryError?: (alert: DraftAlert, error: unknown) => void,
): PlannedEntries {
  const byChannel = new Map<string, CycleAlert[]>();
  for (const item of alerts) {
    const list = byChannel.get(item.alert.channel);
    if (list) list.push(item);
    else byChannel.set(item.alert.channel, [item]);
  }
  const entries: NewOutboxEntry[] = [];
  const queuedByFeed = new Map<number, number>();
  let rollUps = 0;
  for (const [channel, list] of byChannel) {
    // Oldest first; the story id breaks ties so the split never depends on which feed answered first.
    // Each date is parsed once, not at every comparison of a sort over thousands of alerts.
    const times = new Map(list.map((item) => [item, published(item.alert)]));
    list.sort((a, b) => times.get(a)! - times.get(b)! || (a.alert.story.id < b.alert.story.id ? -1 : a.alert.story.id > b.alert.story.id ? 1 : 0));
    const keys = new Set<string>();
    const unique = list.filter(({ alert }) => {
      const own = dedupeKeys(alert.story);
      if (own.some((key) => keys.has(key))) return false;
      for (const key of own) keys.add(key);
      return true;
    });
    const individual = unique.slice(0, limit);
    const rest = unique.slice(limit);
    for (const { alert } of individual) {
      entries.push({ channel, storyId: alert.story.id, order: published(alert), payload: completeAlert(alert, onSummaryError && ((error) => onSummaryError(alert, error))), dueAt: now });
    }
    if (rest.length > 0) {
      const rollup = buildRollUp(channel, rest.map((item) => item.alert));
      const lastOrder = individual.length > 0 ? published(individual.at(-1)!.alert) : published(rest[0]!.alert);
      entries.push({ channel, storyId: rollup.id, order: lastOrder + 1, payload: rollup, dueAt: now });
      rollUps++;
    }
    for (const { feedIndex } of unique) queuedByFeed.set(feedIndex, (queuedByFeed.get(feedIndex) ?? 0) + 1);
  }
  return { entries, queuedByFeed, rollUps };
}
