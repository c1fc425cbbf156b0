/**
 * One message in the outgoing queue (message-queue.ts), as the queue holds it in memory: the CALL,
 * how it is to be delivered, its attempts so far and who waits for its outcome.
 */
import type { EnqueueOptions, OwnedMessage } from './queue-types.js';
import type { StoredMessage } from './stored-message.js';

/** A queued CALL with its delivery state (message-queue.ts). */
export interface QueueEntry {
  rowId: number | null;
  messageId: string;
  action: string;
  payload: unknown;
  /**
   * `payload` as the JSON text that passed checkOutgoingCall in this run (send()): handed to the
   * sender so the CALL is not validated and stringified twice (issue 9). Absent for stored and
   * adopted rows.
   */
  payloadJson?: string;
  options: EnqueueOptions;
  attempts: number;
  notBefore: number;
  /** systemId of the actor that receives the answer; it deletes the row itself (onOwnedSettled). */
  owner: string | null;
  resolve?: (value: unknown) => void;
  reject?: (error: unknown) => void;
}

/** A durable row an earlier run left in the store, queued again with its attempts so far. */
export function storedEntry(stored: StoredMessage, notBefore: number): QueueEntry {
  return {
    rowId: stored.rowId,
    messageId: stored.messageId,
    action: stored.action,
    payload: stored.payload,
    options: { durable: true, transaction: stored.transaction },
    attempts: stored.attempts,
    notBefore,
    owner: stored.owner,
  };
}

/** A durable row its owner wrote to the store (MessageQueue.adopt), queued for its first attempt. */
export function ownedEntry(message: OwnedMessage): QueueEntry {
  return storedEntry({ ...message, attempts: 0, nextAttemptAt: 0 }, 0);
}

/**
 * Picks the next entry that may go now (durable ones strictly in order among themselves), or the
 * host time the first waiting one is due.
 */
export function nextEntry(
  entries: readonly QueueEntry[],
  now: number,
  allowedByGate: (entry: QueueEntry) => boolean,
): QueueEntry | { dueAt: number } | null {
  let durableBlocked = false;
  let earliest = Infinity;
  for (const entry of entries) {
    if (!allowedByGate(entry)) continue;
    if (entry.options.durable) {
      if (durableBlocked) continue;
      if (entry.notBefore > now) {
        // E13.FR.03: a durable message waiting for its retry holds back the later ones.
        durableBlocked = true;
        earliest = Math.min(earliest, entry.notBefore);
        continue;
      }
    }
    return entry;
  }
  return earliest < Infinity ? { dueAt: earliest } : null;
}
