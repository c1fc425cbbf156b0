import type { ChangeAvailabilityRequest, ChangeAvailabilityResponse } from '../generated/ocpp-types.js';
import type { AvailabilityReply } from '../../machines/evse.js';
import { OcppRpcError } from '../rpc/errors.js';
import type { CallHandler } from './handler-context.js';

/**
 * G03 (EVSE / connector) and G04 (station) ChangeAvailability. The actor that owns the fact decides
 * (the station for EVSE 0, else the EVSE: Accepted, or Scheduled while a transaction runs there,
 * G03.FR.05/G04.FR.06), and the decision is stored (snapshot and `availability` table) before the
 * response goes out, so it survives a reboot (G03.FR.08/G04.FR.09 via B01.FR.07). Concurrent
 * requests are decided one after the other by that actor.
 *
 * @example
 * const response = await handleChangeAvailability(ctx, request); // the ChangeAvailabilityResponse to send
 */
export const handleChangeAvailability: CallHandler<
  ChangeAvailabilityRequest,
  ChangeAvailabilityResponse
> = async (ctx, request) => {
  const operative = request.operationalStatus === 'Operative';
  const evseId = request.evse?.id ?? 0;
  const connectorId = request.evse?.connectorId ?? 0;
  // A connector is addressed through its EVSE: EVSE 0 (the station) has no connectors.
  if (evseId === 0 && connectorId !== 0) {
    return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownConnectorId' } };
  }
  if (evseId !== 0) {
    const evse = ctx.evses.find((e) => e.id === evseId);
    if (!evse) return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEvse' } };
    if (connectorId !== 0 && !evse.connectors.some((c) => c.id === connectorId)) {
      return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownConnectorId' } };
    }
  }
  let status: AvailabilityReply | undefined;
  ctx.station.send({
    type: 'csms.changeAvailability',
    evseId,
    ...(connectorId === 0 ? {} : { connectorId }),
    operative,
    reply: (decided) => {
      status = decided;
    },
  });
  // The actors decide while processing the event (synchronously); no answer is a bug of ours.
  if (status === undefined) throw new OcppRpcError('InternalError', 'the availability was not decided');
  // Answered only once stored; a failing disk gets InternalError, not silence.
  await ctx.runtime.persistence.stored();
  return { status };
};
