/**
 * What becomes of a delivered message (message-queue.ts): answered, failed and retried (E13), or
 * given up; the owner of an owned row is told, the row deleted otherwise, and failures nobody awaits
 * reported. The queue's order, gate and timers stay in MessageQueue; this class only settles.
 */
import { LocalSendError } from './queue-types.js';
import type { OwnedOutcome } from './queue-types.js';
import { classifyFailure, maxAttempts, retryDelayMs } from './retry-policy.js';
import type { QueueTable } from './queue-table.js';
import type { QueueEntry as Entry } from './queue-entry.js';
import type { MessageQueueOptions } from './message-queue-options.js';

/** What settling needs of the queue it works for. */
export interface QueueOutcomeDeps {
  table: QueueTable;
  options: MessageQueueOptions;
  hostNow: () => number;
  /** Takes an entry out of the queue's memory. */
  drop: (entry: Entry) => void;
  /** The connection is up and the queue not stopped: a failure now is no lost connection. */
  live: () => boolean;
}

/**
 * Settles delivered messages for a MessageQueue.
 *
 * @example
 * const outcomes = new QueueOutcomes({ table, options, hostNow, drop, live });
 * await outcomes.answered(entry, response);
 */
export class QueueOutcomes {
  constructor(private readonly deps: QueueOutcomeDeps) {}

  /** The CSMS processed the message: it leaves the queue now, whatever fails below. */
  async answered(entry: Entry, response: unknown): Promise<void> {
    this.deps.drop(entry);
    if (this.settleOwned(entry, { kind: 'answered', response })) return;
    await this.deleteRow(entry, 'it was answered; the next start sends it again (same message id)');
    if (entry.resolve) {
      entry.resolve(response);
      return;
    }
    try {
      this.deps.options.onOrphanResponse?.(entry.action, entry.payload, response);
    } catch (error) {
      this.report(error);
    }
  }

  /**
   * A delivery failed: given up, rejected, or kept for a retry (E13.FR.02-04), as retry-policy.ts
   * classifies the failure.
   */
  async failed(entry: Entry, error: unknown): Promise<void> {
    const kind = classifyFailure(error, this.deps.live());
    if (kind === 'refused' && entry.options.durable) {
      // Refused on our side: no drop rule of the spec applies, so the row stays for the next start
      // (a bug of ours, reported); this run goes on with the later messages.
      this.deps.drop(entry);
      const local = new LocalSendError(entry.action, entry.rowId, error);
      this.report(local);
      entry.reject?.(local);
      return;
    }
    if (kind === 'refused') return this.discard(entry, error);
    if (!entry.options.durable) {
      this.deps.drop(entry);
      entry.reject?.(error);
      return;
    }
    if (kind === 'lost') {
      // Lost with the connection: not an attempt the CSMS saw; send again after reconnecting.
      entry.attempts -= 1;
      return;
    }
    const transaction = entry.options.transaction === true;
    const settings = this.deps.options.settings();
    // A CSMS that answered a non-transaction message with a CALLERROR has received it.
    // E13.FR.04: after the final attempt, discard and continue with the next message.
    if ((kind === 'rejected' && !transaction) || entry.attempts >= maxAttempts(transaction, settings)) {
      return this.discard(entry, error);
    }
    // E13.FR.03: wait attempts × interval before the next transmission.
    entry.notBefore = this.deps.hostNow() + retryDelayMs(transaction, entry.attempts, settings);
    const rowId = entry.rowId;
    if (rowId === null) return;
    try {
      await this.deps.table.recordAttempt(rowId, entry.attempts, entry.notBefore);
    } catch (cause) {
      const what = `could not record attempt ${entry.attempts} of ${entry.action}`;
      this.report(new Error(`message_queue row ${rowId}: ${what}`, { cause }));
    }
  }

  /** Gives a message up: out of the queue and the store, reported, its caller rejected. */
  async discard(entry: Entry, error: unknown): Promise<void> {
    this.deps.drop(entry);
    if (this.settleOwned(entry, { kind: 'discarded', error })) {
      this.notifyDiscarded(entry, error);
      return;
    }
    await this.deleteRow(entry, 'it was given up; the next start tries it again');
    this.notifyDiscarded(entry, error);
    entry.reject?.(error);
  }

  private notifyDiscarded(entry: Entry, error: unknown): void {
    if (!entry.options.durable) return;
    try {
      this.deps.options.onDiscarded?.(entry.action, entry.payload, error, {
        messageId: entry.messageId,
        attempts: entry.attempts,
        transaction: entry.options.transaction === true,
      });
    } catch (callbackError) {
      this.report(callbackError);
    }
  }

  /** Hands an owned entry's outcome to its owner (who deletes the row); false when not owned. */
  private settleOwned(entry: Entry, outcome: OwnedOutcome): boolean {
    const settle = this.deps.options.onOwnedSettled;
    if (entry.owner === null || entry.rowId === null || settle === undefined) return false;
    try {
      settle(
        {
          rowId: entry.rowId,
          messageId: entry.messageId,
          action: entry.action,
          payload: entry.payload,
          transaction: entry.options.transaction === true,
          owner: entry.owner,
        },
        outcome,
      );
    } catch (error) {
      this.report(error);
    }
    return true;
  }

  /** Deletes the entry's row; a failure is reported with `consequence`, never thrown. */
  private async deleteRow(entry: Entry, consequence: string): Promise<void> {
    const rowId = entry.rowId;
    if (rowId === null) return;
    try {
      await this.deps.table.delete(rowId);
    } catch (error) {
      this.report(
        new Error(`message_queue row ${rowId}: could not delete ${entry.action} (${consequence})`, {
          cause: error,
        }),
      );
    }
  }

  /** Hands a failure nobody awaits to `onError` (default: console.error); never throws. */
  report(error: unknown): void {
    try {
      (this.deps.options.onError ?? ((e: unknown) => console.error('[message-queue]', e)))(error);
    } catch (reportError) {
      console.error('[message-queue] onError threw', reportError, 'while reporting', error);
    }
  }

}
