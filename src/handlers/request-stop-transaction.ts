import { transactionActorId } from '../../machines/transaction.js';
import type { RequestStopTransactionRequest, RequestStopTransactionResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * F03 RequestStopTransaction: Accepted when the transactionId is a running transaction (F03.FR.07),
 * else Rejected (F03.FR.08). The session then ends its authorization: Ended (RemoteStop, Remote) when
 * TxStopPoint says so (F03.FR.03), else Updated (RemoteStop) and the energy stops (F03.FR.02).
 * Under host control the host decides (stopTransactionCallback).
 *
 * @example
 * await handleRequestStopTransaction(ctx, { transactionId: 'f3c0...' }); // { status: 'Accepted' }
 */
export const handleRequestStopTransaction: CallHandler<
  RequestStopTransactionRequest,
  RequestStopTransactionResponse
> = async (ctx, request) => {
  const session = ctx.runtime
    .openSessions()
    .find((s) => s.transactionId === request.transactionId && s.started && !s.ended);
  if (!session) {
    return { status: 'Rejected', statusInfo: { reasonCode: 'TxNotFound', additionalInfo: 'no such running transaction' } };
  }
  if (ctx.runtime.transactionControl === 'host') {
    const status = (await ctx.callbacks.stopTransactionCallback?.(session.evseId, 'Remote')) ?? 'Rejected';
    return { status };
  }
  ctx.afterResponse(() => {
    ctx.station.system
      .get(transactionActorId(session.transactionId))
      ?.send({ type: 'remote.stop', at: ctx.clock.nowIso() });
  });
  return { status: 'Accepted' };
};
