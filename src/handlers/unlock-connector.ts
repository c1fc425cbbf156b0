import type { UnlockConnectorRequest, UnlockConnectorResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * F05 UnlockConnector: UnknownConnector for a connector the station does not have (F05.FR.03);
 * OngoingAuthorizedTransaction while an authorized transaction runs on it (F05.FR.02, nothing is
 * unlocked); otherwise the host unlocks (unlockConnectorCallback), also with no cable (F05.FR.06),
 * and its answer is the response (F05.FR.04/05). Without the callback: UnlockFailed.
 *
 * @example
 * await handleUnlockConnector(ctx, { evseId: 1, connectorId: 1 }); // { status: 'Unlocked' }
 */
export const handleUnlockConnector: CallHandler<UnlockConnectorRequest, UnlockConnectorResponse> = async (
  ctx,
  request,
) => {
  const evse = ctx.evses.find((e) => e.id === request.evseId);
  if (!evse || !evse.connectors.some((c) => c.id === request.connectorId)) {
    return { status: 'UnknownConnector' };
  }
  const session = ctx.runtime.openSession(request.evseId);
  if (
    session?.started &&
    !session.ended &&
    session.authorized &&
    (session.connectorId === null || session.connectorId === request.connectorId)
  ) {
    return { status: 'OngoingAuthorizedTransaction' };
  }
  const unlock = ctx.callbacks.unlockConnectorCallback;
  if (!unlock) return { status: 'UnlockFailed', statusInfo: { reasonCode: 'NoUnlockHandler' } };
  return unlock(request.evseId, request.connectorId);
};
