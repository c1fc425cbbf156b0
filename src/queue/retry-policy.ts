/**
 * What the queue does after a durable message failed, and how long it waits before the next attempt.
 *
 * - Transaction-related messages: E13.FR.02-04, MessageAttempts[TransactionEvent] attempts the CSMS
 *   failed to process, attempts × MessageAttemptInterval[TransactionEvent] seconds apart.
 * - Other durable messages (security events, A04.FR.02; everything under QueueAllMessages): the
 *   spec sets no retry rule, only guaranteed delivery across disconnects. Attempts lost with the
 *   connection are not counted (they are sent again after reconnecting, without limit). Attempts the
 *   CSMS saw but did not answer properly (timeout, malformed answer) are capped at
 *   {@link NORMAL_MAX_ATTEMPTS}, attempts × {@link NORMAL_ATTEMPT_INTERVAL_S} apart (10, 20, 30, 40 s):
 *   long enough to ride out a busy CSMS, short enough that one message that cannot get through does
 *   not hold back every later durable message for long (they are delivered strictly in order). A
 *   CALLERROR means the CSMS received it: given up at once.
 * - Refused on our side (the RPC layer would not send it): given up at once, whatever the kind;
 *   retrying cannot help.
 */
import { OcppRpcError, RpcInvalidMessageError } from '../rpc/errors.js';

/** Attempts of a non-transaction durable message that the CSMS saw without answering properly. */
export const NORMAL_MAX_ATTEMPTS = 5;
/** Seconds × attempts before the next attempt of a non-transaction durable message. */
export const NORMAL_ATTEMPT_INTERVAL_S = 10;
/** setTimeout takes a signed 32-bit delay; longer ones fire at once (Node: after 1 ms). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** The retry settings of OCPPCommCtrlr the policy reads (live: the CSMS may change them). */
export interface RetrySettings {
  /** OCPPCommCtrlr.MessageAttempts[TransactionEvent] */
  transactionAttempts: number;
  /** OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent] (s) */
  transactionAttemptIntervalS: number;
}

/**
 * How one failed attempt counts:
 * - `refused`: never sent and never sendable (our payload or action refused by the RPC layer);
 * - `lost`: the connection went before an answer; not an attempt the CSMS processed;
 * - `rejected`: the CSMS answered with a CALLERROR (it received the message);
 * - `unanswered`: timeout or malformed answer with the connection up: a failed attempt.
 */
export type FailureKind = 'refused' | 'lost' | 'rejected' | 'unanswered';

/**
 * Classifies the error an attempt failed with. `connected` is whether the queue still has a live
 * sender (the session closes before its pending calls reject, so a lost connection is seen here).
 *
 * @example
 * classifyFailure(new OcppRpcError('InternalError', 'db down'), true); // 'rejected'
 */
export function classifyFailure(error: unknown, connected: boolean): FailureKind {
  // RpcInvalidMessageError('outgoing-call'): refused before sending. TypeError: action unknown to the
  // session. RangeError: message id refused by the RPC layer. The same message would fail the same way.
  if (error instanceof RpcInvalidMessageError) {
    if (error.direction === 'outgoing-call') return 'refused';
  } else if (error instanceof TypeError || error instanceof RangeError) {
    return 'refused';
  }
  if (error instanceof OcppRpcError) return 'rejected';
  return connected ? 'unanswered' : 'lost';
}

/**
 * How many attempts a durable message gets in all (at least 1).
 *
 * @example
 * maxAttempts(true, { transactionAttempts: 3, transactionAttemptIntervalS: 60 }); // 3
 */
export function maxAttempts(transaction: boolean, settings: RetrySettings): number {
  if (!transaction) return NORMAL_MAX_ATTEMPTS;
  return Number.isFinite(settings.transactionAttempts) ? Math.max(1, settings.transactionAttempts) : 1;
}

/**
 * E13.FR.03: the wait before the next attempt after `attempts` transmissions, in ms (never negative).
 *
 * @example
 * retryDelayMs(true, 2, { transactionAttempts: 3, transactionAttemptIntervalS: 60 }); // 120000
 */
export function retryDelayMs(transaction: boolean, attempts: number, settings: RetrySettings): number {
  const intervalS = transaction ? settings.transactionAttemptIntervalS : NORMAL_ATTEMPT_INTERVAL_S;
  const delay = attempts * intervalS * 1000;
  return Number.isFinite(delay) && delay > 0 ? delay : 0;
}
