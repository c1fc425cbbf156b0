/**
 * What a MessageQueue (message-queue.ts) is built with: its store, clock and settings, the
 * callbacks that hear of outcomes nobody awaits, and the host time and timers it schedules with.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { StationClock } from '../clock.js';
import type { OwnedMessage, OwnedOutcome, QueueSettings } from './queue-types.js';

export interface MessageQueueOptions {
  db: Kysely<Database>;
  stationId: string;
  /** Station time, for `created_at` only (scheduling uses host time). */
  clock: StationClock;
  settings: () => QueueSettings;
  /**
   * Called with a durable message's response when nobody awaits it any more (e.g. after a restart).
   * Not wired by the station runtime yet; the transactions work needs it.
   */
  onOrphanResponse?: (action: string, payload: unknown, response: unknown) => void;
  /** A durable message was given up (E13.FR.04, a CALLERROR, retries used up). */
  onDiscarded?: (
    action: string,
    payload: unknown,
    error: unknown,
    message: { messageId: string; attempts: number; transaction: boolean },
  ) => void;
  /**
   * An owned message (see {@link MessageQueue.adopt}) left the queue: answered, or given up by a drop
   * rule (E13.FR.04). The queue does not delete its row: the owner does, together with its next
   * snapshot, so a power loss can never leave the answer acted upon without the row gone or the
   * other way round. Without this option owned rows are deleted by the queue like any other.
   */
  onOwnedSettled?: (message: OwnedMessage, outcome: OwnedOutcome) => void;
  /**
   * Something failed that no caller awaits: a store write after the first one, a callback that
   * threw, an unreadable stored row ({@link StoredMessageError}). The queue carries on. Default:
   * console.error.
   */
  onError?: (error: unknown) => void;
  /** Host time (ms) and timers for retry scheduling; replaceable in tests. */
  hostNow?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}
