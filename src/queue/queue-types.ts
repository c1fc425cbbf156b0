/**
 * The public vocabulary of the outgoing message queue (message-queue.ts re-exports it).
 */
import type { RetrySettings } from './retry-policy.js';

/** What may be sent: before Accepted only BootNotification; while Pending also triggered messages. */
export type QueueGate = 'bootOnly' | 'triggeredOnly' | 'open';

export interface QueueSettings extends RetrySettings {
  /** OCPPCommCtrlr.QueueAllMessages */
  queueAllMessages: boolean;
  /**
   * InternalCtrlr.MessageQueueSizeThreshold: above this many durable messages waiting, meter-data
   * TransactionEvents are thinned (queue-bound.ts, J02.FR.12/13). Absent: unbounded.
   */
  sizeThreshold?: number;
}

export interface EnqueueOptions {
  /** Kept in the store until delivered. Transaction-related messages are always durable. */
  durable?: boolean;
  /** Transaction-related: E13 retries. */
  transaction?: boolean;
  /** Requested by the CSMS (TriggerMessage, GetBaseReport/GetReport): may pass while Pending. */
  triggered?: boolean;
  /** Idempotency key for durable messages: enqueueing it again returns the stored one. */
  dedupeKey?: string;
}

/**
 * A durable message its owner has already written to `message_queue` (with the owner's snapshot, in
 * one SQLite transaction) and now hands to the queue for delivery ({@link MessageQueue.adopt}).
 */
export interface OwnedMessage {
  rowId: number;
  messageId: string;
  action: string;
  payload: unknown;
  /** Transaction-related: E13 retries. */
  transaction: boolean;
  /** systemId of the actor that receives the answer. */
  owner: string;
}

/** How an owned message left the queue: the CSMS answered it, or a drop rule of the spec gave it up. */
export type OwnedOutcome = { kind: 'answered'; response: unknown } | { kind: 'discarded'; error: unknown };

/**
 * Sends one CALL and resolves with the (validated) response payload. `payloadJson`, when given, is
 * `payload` as JSON text that the queue already checked against the request schema
 * (outgoing-check.ts): the sender may send it as is instead of validating and serializing again.
 */
export type CallSender = (
  action: string,
  payload: unknown,
  messageId: string,
  payloadJson?: string,
) => Promise<unknown>;

/**
 * A durable message that this station refused to send (the RPC layer would not take it: a bug of
 * ours, since every message is checked before it is stored). Reported through `onError`; the row
 * stays in the store and is tried again at the next start, and later messages go on meanwhile.
 *
 * @example
 * onError: (e) => { if (e instanceof LocalSendError) console.error(e.action, e.rowId, e.cause); }
 */
export class LocalSendError extends Error {
  override readonly name = 'LocalSendError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_LOCAL_SEND';
  constructor(
    readonly action: string,
    readonly rowId: number | null,
    cause: unknown,
  ) {
    super(
      `${action} could not be sent (refused on our side: ${cause instanceof Error ? cause.message : String(cause)}); ` +
        `it stays in the store and is tried again at the next start`,
      { cause },
    );
  }
}

/**
 * The message could not be delivered now and was not kept (offline, not allowed yet).
 *
 * @example
 * await queue.send('Heartbeat', {}).catch((e) => { if (e instanceof NotDeliveredError) retryLater(); });
 */
export class NotDeliveredError extends Error {
  override readonly name = 'NotDeliveredError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_NOT_DELIVERED';
  constructor(
    readonly action: string,
    reason: string,
  ) {
    super(`${action} not sent: ${reason}`);
  }
}

/**
 * Why a meter-data TransactionEvent left the queue unsent: the queue passed
 * InternalCtrlr.MessageQueueSizeThreshold while offline (J02.FR.12/13, queue-bound.ts). Handed to
 * `onDiscarded` with each dropped message.
 */
export class QueueBoundDropError extends Error {
  override readonly name = 'QueueBoundDropError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_QUEUE_BOUND_DROP';
  constructor(
    readonly threshold: number,
    readonly dropped: number,
  ) {
    super(
      `more than ${threshold} messages queued (InternalCtrlr.MessageQueueSizeThreshold): ` +
        `${dropped} meter-data TransactionEvent(s) dropped, every other one (J02.FR.12/13)`,
    );
  }
}

/**
 * A durable message was given up by a drop rule of the spec (E13.FR.04: its attempts are used up;
 * a non-transaction message answered with a CALLERROR): it left the queue and the store.
 *
 * @example
 * onError: (e) => { if (e instanceof MessageDiscardedError) console.warn(e.action, e.messageId, e.attempts); }
 */
export class MessageDiscardedError extends Error {
  override readonly name = 'MessageDiscardedError';
  readonly code = 'ERR_MESSAGE_DISCARDED';
  constructor(
    readonly action: string,
    readonly messageId: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`${action} discarded: ${String(cause)}`, { cause });
  }
}
