/**
 * The public vocabulary of the outgoing message queue (message-queue.ts re-exports it).
 */
import type { RetrySettings } from './retry-policy.js';

/** What may be sent: before Accepted only BootNotification; while Pending also triggered messages. */
export type QueueGate = 'bootOnly' | 'triggeredOnly' | 'open';

export interface QueueSettings extends RetrySettings {
  /** OCPPCommCtrlr.QueueAllMessages */
  queueAllMessages: boolean;
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

/** Sends one CALL and resolves with the (validated) response payload. */
export type CallSender = (action: string, payload: unknown, messageId: string) => Promise<unknown>;

/**
 * The message could not be delivered now and was not kept (offline, not allowed yet).
 *
 * @example
 * await queue.send('Heartbeat', {}).catch((e) => { if (e instanceof NotDeliveredError) retryLater(); });
 */
export class NotDeliveredError extends Error {
  override readonly name = 'NotDeliveredError';
  constructor(
    readonly action: string,
    reason: string,
  ) {
    super(`${action} not sent: ${reason}`);
  }
}
