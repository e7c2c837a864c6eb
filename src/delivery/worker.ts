/**
 * The delivery worker: separate from the poll, it claims due alerts from the outbox, sends each
 * through the sink, records the delivery and completes the entry. What a failure does depends on
 * how the send failed (DeliveryError):
 *
 *   transient     retried with exponential backoff and jitter, at most `maxAttempts` sends, then dead
 *   rate_limited  retried after the platform's Retry-After, never dead however often it comes
 *   permanent     dead at once, the channel's subscription paused with the reason, and the
 *                 channel's other claimed alerts dead with it: nothing more is sent there
 *   anything else the entry itself cannot be read: that entry dead, the channel goes on
 *
 * Within a channel alerts go oldest story first: when one cannot go now, the channel's later ones
 * wait with it. A crash at any point leaves claimed entries that come back when their lease
 * lapses; the one repeat possible — sent, then the crash before the record — is closed on Discord
 * by the (story, channel) nonce.
 *
 * A roll-up (the rest of a burst, in one message) is delivered like an alert; then every story
 * in it is recorded as delivered to the channel, so none of them is ever alerted again. Stories
 * of it the channel already received are left out of the message; when that is all of them, the
 * entry completes without sending.
 *
 * One alert per event per channel (alerts/event-thread.ts): an alert whose event already has a
 * first alert in the channel goes out as a follow-up under it — or, where the channel turned
 * follow-ups off, is only counted — and the first alert is then edited with the outlet count, at
 * most once per EDIT_INTERVAL_MS per event, through an edit entry in the outbox. A failed edit
 * never holds the channel's alerts back.
 */
import pLimit from 'p-limit';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { asWirewatchError, type WirewatchError } from '../errors.js';
import { dedupeKeys, type Alert } from '../alerts/alert.js';
import { isRollUp, type OutboxPayload, type RollUp } from '../alerts/rollup.js';
import type { Outbox, OutboxEntry, OutboxError } from '../outbox/types.js';
import type { Repositories } from '../store/repositories.js';
import { DeliveryError, type AlertSink } from './sink.js';
import { isEventEdit, type EventEdit, type SentMessage } from '../alerts/event-thread.js';
import type { EventThread, EventThreadRepository } from './event-threads.js';

/** The first alert of an event is edited with the outlet count at most this often. */
export const EDIT_INTERVAL_MS = 5 * 60_000;

export interface DeliveryPolicy {
  /** Sends tried before an alert is dead (MAX_DELIVERY_ATTEMPTS). */
  maxAttempts: number;
  /** First retry after this long, doubling up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export interface DeliveryWorkerOptions {
  outbox: Outbox;
  sink: AlertSink;
  repositories: Pick<Repositories, 'deliveries' | 'subscriptions'>;
  clock: Clock;
  logger: Logger;
  policy: DeliveryPolicy;
  /** Entries claimed per round. */
  batchSize?: number;
  /** How long a claim holds; a worker that dies releases its claims when they lapse. */
  leaseMs?: number;
  /** Channels sent to at once (each channel's own alerts go one at a time, in order). */
  channelConcurrency?: number;
  /** Jitter source, [0, 1). */
  random?: () => number;
  /** Where each channel's events' first alerts are; without it, alerts are never threaded. */
  threads?: EventThreadRepository;
  /** Told of every delivered alert's latency from entering the outbox (the metrics' histogram). */
  onDelivered?: (channel: string, latencyMs: number) => void;
}

export interface DeliveryRound {
  claimed: number;
  delivered: number;
  /** Already delivered to the channel (a repeat after a crash): completed without sending. */
  skipped: number;
  retried: number;
  dead: number;
  /** Given back unsent because the worker is stopping. */
  released: number;
}

export interface DeliveryWorker {
  /**
   * Claims and handles one batch of due alerts. Once `signal` aborts (shutting down), no new send
   * starts: the sends in flight finish, and the round's entries not yet tried go back to pending,
   * due now, so another replica (or the next start) sends them without waiting out the claim.
   */
  deliverDue(signal?: AbortSignal): Promise<DeliveryRound>;
}

const DEFAULTS = { batchSize: 100, leaseMs: 5 * 60_000, channelConcurrency: 8 };

function toOutboxError(error: WirewatchError, at: number): OutboxError {
  return { code: error.code, message: error.message, at };
}

/** Exponential backoff with jitter: base · 2^(attempts−1), capped, times a factor in [0.5, 1). */
export function backoffMs(attempts: number, policy: DeliveryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { outbox, sink, repositories, clock, logger, policy } = options;
  const random = options.random ?? Math.random;
  const settings = { ...DEFAULTS, ...options };

  /** Handles one channel's claimed entries in order; returns what happened to each. */
  async function deliverChannel(channel: string, entries: OutboxEntry[], round: DeliveryRound, signal?: AbortSignal): Promise<void> {
    const log = logger.child({ channel_id: channel });
    if (signal?.aborted) {
      await giveBack(entries, round);
      return;
    }
    // Paused after this batch was queued (a permanent refusal in an earlier round, or an alert a
    // poll queued while it was being paused): dead without a request, as the pause promises.
    const subscription = await repositories.subscriptions.get(channel);
    const paused = subscription?.paused;
    if (paused) {
      const reason: OutboxError = { code: paused.code, message: paused.reason, at: clock.now() };
      for (const entry of entries) await outbox.bury(entry.id, reason);
      round.dead += entries.length;
      log.warn({ code: paused.code, dead: entries.length }, 'channel paused: its queued alerts dead without sending');
      return;
    }
    let last: { at: number; latencyMs: number } | null = null;
    for (const [index, entry] of entries.entries()) {
      if (signal?.aborted) {
        await giveBack(entries.slice(index), round);
        break;
      }
      const storyLog = log.child({ story_id: entry.storyId });
      if (isEventEdit(entry.payload)) {
        await sendEdit(entry, entry.payload, round, storyLog);
        continue;
      }
      let pending: Alert | RollUp | null;
      try {
        pending = await undelivered(channel, entry.payload as Exclude<OutboxPayload, EventEdit>);
      } catch (error) {
        // A payload this version cannot read (written by another, or damaged) costs that entry:
        // dead at once, and the channel's other alerts go on.
        const coded = asWirewatchError(error);
        await outbox.bury(entry.id, toOutboxError(coded, clock.now()));
        round.dead++;
        storyLog.error({ code: coded.code, err: coded }, 'queued alert could not be read; dead, the channel goes on');
        continue;
      }
      if (!pending) {
        await outbox.complete(entry.id);
        round.skipped++;
        storyLog.debug('already delivered to this channel; completed without sending');
        continue;
      }
      const thread = !isRollUp(pending) && pending.event && options.threads ? await options.threads.get(channel, pending.event.id) : undefined;
      if (thread && subscription?.followUps === false && !isRollUp(pending)) {
        await countFollowUp(channel, pending, thread, entry, round, storyLog);
        continue;
      }
      const outgoing = thread && !isRollUp(pending) ? { ...pending, thread: { firstRef: thread.firstRef, threadRef: thread.threadRef } } : pending;
      let sent: SentMessage | void;
      try {
        sent = await sink.deliver(outgoing);
      } catch (error) {
        await handleFailure(entry, entries.slice(index + 1), asWirewatchError(error), round, storyLog);
        break;
      }
      // A store that cannot record this throws out of the round: the entry stays claimed and comes
      // back after its lease, and the nonce (Discord) or the delivery check stops a second post.
      const deliveredAt = clock.now();
      if (isRollUp(pending)) {
        await repositories.deliveries.recordEach(
          channel,
          pending.stories.map((story) => ({ dedupeKeys: dedupeKeys(story), record: { storyId: story.id, feedId: story.feedId, watchlists: story.watchlists, deliveredAt } })),
        );
      } else {
        await repositories.deliveries.record(channel, dedupeKeys(pending.story), {
          storyId: pending.story.id,
          feedId: pending.story.feedId,
          watchlists: pending.watchlists.map((w) => w.id),
          deliveredAt,
        });
      }
      if (!isRollUp(pending) && pending.event) await rememberEventAlert(channel, { ...pending, event: pending.event }, thread, sent);
      await outbox.complete(entry.id);
      round.delivered++;
      // From queueing (right after matching) to delivered: what `status` shows and the log keeps.
      const latencyMs = deliveredAt - entry.enqueuedAt;
      last = { at: deliveredAt, latencyMs };
      options.onDelivered?.(channel, latencyMs);
      const watchlists = pending.watchlists.map((w) => w.id);
      const keys = { watchlists, sink: sink.name, attempts: entry.attempts + 1, latency_ms: latencyMs };
      if (isRollUp(pending)) storyLog.info({ ...keys, stories: pending.stories.length }, 'roll-up delivered');
      else storyLog.info(keys, 'alert delivered');
    }
    // Once per channel and round, not per alert: the subscription record is shared and locked.
    if (last) await repositories.subscriptions.mark(channel, { lastDelivery: last });
  }

  /** After an alert of an event went out: the channel's first alert of it is remembered, or a follow-up counted and an edit scheduled. */
  async function rememberEventAlert(channel: string, alert: Alert & { event: NonNullable<Alert['event']> }, thread: EventThread | undefined, sent: SentMessage | void): Promise<void> {
    if (!options.threads) return;
    if (thread) {
      const rerooted = sent?.rerooted === true ? { firstRef: sent.ref, threadRef: null, first: alert } : null;
      const updated: EventThread = {
        ...thread,
        ...(rerooted ?? { threadRef: sent?.threadRef ?? thread.threadRef }),
        outlets: withOutlet(thread.outlets, alert.story.source),
      };
      await options.threads.put(channel, updated);
      await scheduleEdit(channel, updated, thread.outlets.length);
      return;
    }
    if (!sent?.ref) return; // nothing to thread under: the next story of the event is a first alert again
    await options.threads.put(channel, { eventId: alert.event.id, firstRef: sent.ref, threadRef: null, first: alert, outlets: [alert.story.source], startedAt: clock.now(), lastEditAt: null });
  }

  /** Follow-ups off in this channel: the story is recorded as delivered, counted on the first alert, and not posted. */
  async function countFollowUp(channel: string, alert: Alert, thread: EventThread, entry: OutboxEntry, round: DeliveryRound, log: Logger): Promise<void> {
    const updated: EventThread = { ...thread, outlets: withOutlet(thread.outlets, alert.story.source) };
    await options.threads!.put(channel, updated);
    await scheduleEdit(channel, updated, thread.outlets.length);
    await repositories.deliveries.record(channel, dedupeKeys(alert.story), { storyId: alert.story.id, feedId: alert.story.feedId, watchlists: alert.watchlists.map((w) => w.id), deliveredAt: clock.now() });
    await outbox.complete(entry.id);
    round.skipped++;
    log.info({ event_id: thread.eventId, outlets: updated.outlets.length }, 'follow-up not posted (follow-ups are off here); counted on the first alert');
  }

  /** Queues an edit of the first alert when the outlet count grew: now, or EDIT_INTERVAL_MS after the last one. */
  async function scheduleEdit(channel: string, thread: EventThread, outletsBefore: number): Promise<void> {
    if (thread.outlets.length <= outletsBefore || thread.outlets.length < 2) return;
    const now = clock.now();
    const dueAt = thread.lastEditAt === null ? now : Math.max(now, thread.lastEditAt + EDIT_INTERVAL_MS);
    const edit: EventEdit = { kind: 'event-edit', id: `edit:${thread.eventId}`, channel, eventId: thread.eventId, firstRef: thread.firstRef, first: thread.first, outlets: thread.outlets };
    // One waiting edit per event and channel (the entry id comes from channel and story id); it
    // reads the outlets when it is sent, so it carries every one counted until then.
    await outbox.enqueue([{ channel, storyId: edit.id, order: dueAt, payload: edit, dueAt }], now);
  }

  /** Sends an edit with the thread's current outlets; a failure retries the edit alone, or drops it. */
  async function sendEdit(entry: OutboxEntry, edit: EventEdit, round: DeliveryRound, log: Logger): Promise<void> {
    const thread = options.threads ? await options.threads.get(entry.channel, edit.eventId) : undefined;
    if (!thread) {
      await outbox.complete(entry.id);
      round.skipped++;
      return;
    }
    try {
      await sink.deliver({ ...edit, firstRef: thread.firstRef, first: thread.first, outlets: thread.outlets });
    } catch (error) {
      const coded = asWirewatchError(error);
      const failure = error instanceof DeliveryError ? error.failure : 'transient';
      if (failure === 'permanent' || entry.attempts + 1 >= policy.maxAttempts) {
        // The first message was deleted, say: the count is not worth pausing the channel for.
        await outbox.complete(entry.id);
        round.skipped++;
        log.warn({ code: coded.code, event_id: edit.eventId }, 'could not edit the first alert of an event with its outlet count; left as it is');
        return;
      }
      const wait = failure === 'rate_limited' && error instanceof DeliveryError && error.retryAfterMs !== null ? error.retryAfterMs : backoffMs(entry.attempts + 1, policy, random);
      await outbox.retry(entry.id, clock.now() + wait, toOutboxError(coded, clock.now()));
      round.retried++;
      return;
    }
    await options.threads!.put(entry.channel, { ...thread, lastEditAt: clock.now() });
    await outbox.complete(entry.id);
    round.delivered++;
    log.info({ event_id: edit.eventId, outlets: thread.outlets.length }, 'first alert of the event edited with its outlet count');
  }

  /** Claimed entries not tried, back to pending and due now (shutting down). */
  async function giveBack(entries: readonly OutboxEntry[], round: DeliveryRound): Promise<void> {
    const now = clock.now();
    for (const entry of entries) await outbox.release(entry.id, Math.min(entry.dueAt, now));
    round.released += entries.length;
  }

  /** What is still to send: the alert, or the roll-up less the stories the channel has had; null when nothing is. */
  async function undelivered(channel: string, payload: Exclude<OutboxPayload, EventEdit>): Promise<Alert | RollUp | null> {
    if (!isRollUp(payload)) return (await repositories.deliveries.delivered(channel, dedupeKeys(payload.story))) ? null : payload;
    // One read for the whole roll-up: it can list hundreds of stories.
    const delivered = await repositories.deliveries.deliveredEach(payload.stories.map((story) => ({ channel, dedupeKeys: dedupeKeys(story) })));
    const stories = payload.stories.filter((_, index) => !delivered[index]);
    if (stories.length === 0) return null;
    return stories.length === payload.stories.length ? payload : { ...payload, stories };
  }

  async function handleFailure(entry: OutboxEntry, later: OutboxEntry[], error: WirewatchError, round: DeliveryRound, log: Logger): Promise<void> {
    const now = clock.now();
    const failure = error instanceof DeliveryError ? error.failure : 'transient';
    if (failure === 'permanent') {
      const reason = toOutboxError(error, now);
      for (const dead of [entry, ...later]) await outbox.bury(dead.id, reason);
      round.dead += 1 + later.length;
      await repositories.subscriptions.mark(entry.channel, { paused: { code: error.code, reason: error.message, at: now } });
      log.warn({ code: error.code, reason: error.message, dead: 1 + later.length }, 'the platform refused this channel for good: subscription paused, its pending alerts dead');
      return;
    }
    const attempts = entry.attempts + 1;
    await repositories.subscriptions.mark(entry.channel, { lastFailure: { code: error.code, reason: error.message, at: now } });
    // The channel's later alerts go back to wait with it, so they still arrive oldest first.
    let resume = now;
    if (failure === 'transient' && attempts >= policy.maxAttempts) {
      await outbox.bury(entry.id, toOutboxError(error, now));
      round.dead++;
      log.error({ code: error.code, err: error, attempts }, 'alert dead after its last attempt; `wirewatch deliveries retry` sends it again');
    } else {
      const wait = failure === 'rate_limited' && error instanceof DeliveryError && error.retryAfterMs !== null ? error.retryAfterMs : backoffMs(attempts, policy, random);
      resume = now + wait;
      await outbox.retry(entry.id, resume, toOutboxError(error, now));
      round.retried++;
      log.warn({ code: error.code, attempts, retry_in_ms: wait }, 'alert not delivered; retried later');
    }
    for (const waiting of later) await outbox.release(waiting.id, resume);
    if (resume > now) {
      // The channel's later alerts that were not in this claim (a batch boundary) wait too;
      // otherwise the next round would send them while this one backs off.
      const claimedHere = new Set(later.map((waiting) => waiting.id));
      for (const waiting of await outbox.list({ channel: entry.channel, state: 'pending' })) {
        const after = waiting.order > entry.order || (waiting.order === entry.order && waiting.id > entry.id);
        if (after && waiting.dueAt < resume && !claimedHere.has(waiting.id)) await outbox.release(waiting.id, resume);
      }
    }
  }

  return {
    deliverDue: async (signal) => {
      const round: DeliveryRound = { claimed: 0, delivered: 0, skipped: 0, retried: 0, dead: 0, released: 0 };
      const entries = await outbox.claimDue(clock.now(), settings.batchSize, settings.leaseMs);
      round.claimed = entries.length;
      const byChannel = new Map<string, OutboxEntry[]>();
      for (const entry of entries) {
        const list = byChannel.get(entry.channel);
        if (list) list.push(entry);
        else byChannel.set(entry.channel, [entry]);
      }
      const limit = pLimit(settings.channelConcurrency);
      await Promise.all([...byChannel].map(([channel, list]) => limit(() => deliverChannel(channel, list, round, signal))));
      return round;
    },
  };
}

/**
 * Outlets named on an event's first alert: each once, at most MAX_OUTLETS, so a channel's thread
 * record stays small however many outlets a long event draws (the edit names five anyway).
 */
const MAX_OUTLETS = 100;

function withOutlet(outlets: readonly string[], source: string): string[] {
  return outlets.includes(source) || outlets.length >= MAX_OUTLETS ? [...outlets] : [...outlets, source];
}
