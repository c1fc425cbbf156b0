import type { ChangeAvailabilityRequest, ChangeAvailabilityResponse } from '../generated/ocpp-types.js';
import { loadAvailability, operativeAt, saveAvailability } from '../store/availability.js';
import type { CallHandler } from './handler-context.js';

/**
 * G03 (EVSE / connector) and G04 (station) ChangeAvailability. The setting is stored before it is
 * applied, so it survives a reboot (G03.FR.08/G04.FR.09 via B01.FR.07). Going Inoperative where a
 * transaction runs is Scheduled and applied when it ends (G03.FR.05, G04.FR.06).
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
  const now = ctx.clock.nowIso();
  const current = await loadAvailability(ctx.db, ctx.stationId);
  const already = operativeAt(current, evseId, connectorId) === operative;
  const busy = !operative && ctx.hasActiveTransaction(evseId === 0 ? undefined : evseId);
  if (busy && !already) {
    await saveAvailability(
      ctx.db,
      ctx.stationId,
      {
        evseId,
        connectorId,
        operational: operative ? 'Inoperative' : 'Operative',
        scheduled: request.operationalStatus,
      },
      now,
    );
    return { status: 'Scheduled' };
  }
  await saveAvailability(
    ctx.db,
    ctx.stationId,
    { evseId, connectorId, operational: request.operationalStatus, scheduled: null },
    now,
  );
  if (!already) {
    ctx.afterResponse(() => {
      if (evseId === 0) ctx.station.send({ type: 'availability.station', operative });
      else
        ctx.station.send({
          type: 'availability.set',
          evseId,
          ...(connectorId === 0 ? {} : { connectorId }),
          operative,
        });
    });
  }
  // G03.FR.03/G04.FR.03: already in the requested state is Accepted too.
  return { status: 'Accepted' };
};
