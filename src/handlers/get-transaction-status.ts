import type { TransactionEventRequest } from '../generated/ocpp-types.js';
import type { GetTransactionStatusRequest, GetTransactionStatusResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * E14 GetTransactionStatus. With a transactionId: ongoingIndicator says whether it runs
 * (E14.FR.02/03; false for one the station never had, E14.FR.01) and messagesInQueue whether a
 * TransactionEvent of it waits for the CSMS's answer, the one in flight included (E14.FR.04/05;
 * Part 6 TC_E_29 asks right after a reconnect). Without one: no ongoingIndicator (E14.FR.06) and
 * messagesInQueue for any transaction-related message (E14.FR.07/08).
 *
 * @example
 * await handleGetTransactionStatus(ctx, { transactionId: 'f3c0...' }); // { ongoingIndicator: true, messagesInQueue: false }
 */
export const handleGetTransactionStatus: CallHandler<GetTransactionStatusRequest, GetTransactionStatusResponse> = (
  ctx,
  request,
) => {
  const waiting = ctx.queue.pendingDurable(true);
  if (request.transactionId === undefined) return { messagesInQueue: waiting.length > 0 };
  const id = request.transactionId;
  const ongoing = ctx.runtime.openSessions().some((s) => s.transactionId === id && s.started && !s.ended);
  const queued = waiting.some(
    (m) =>
      m.action === 'TransactionEvent' && (m.payload as TransactionEventRequest).transactionInfo.transactionId === id,
  );
  return { ongoingIndicator: ongoing, messagesInQueue: queued || ctx.runtime.persistence.holds(id) };
};
