import type { ReservationSettings } from '../../machines/reservation-rules.js';
import type {
  ReserveNowRequest,
  ReserveNowResponse,
  ReserveNowStatusEnumType,
} from '../generated/ocpp-types.js';
import { OcppRpcError } from '../rpc/errors.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import type { CallHandler, HandlerContext } from './handler-context.js';

/** ReservationCtrlr variables (H01.FR.01/18/19). */
export const RESERVATION_VARIABLES = {
  available: { component: 'ReservationCtrlr', variable: 'Available' },
  enabled: { component: 'ReservationCtrlr', variable: 'Enabled' },
  nonEvseSpecific: { component: 'ReservationCtrlr', variable: 'NonEvseSpecific' },
} as const;

/**
 * The reservation settings now: reservations are accepted unless ReservationCtrlr.Available or
 * .Enabled is false (H01.FR.01); reservations without evseId only when NonEvseSpecific is true
 * (H01.FR.18/19: not set is false).
 *
 * @example
 * readReservationSettings(dm); // { enabled: true, nonEvseSpecific: true }
 */
export function readReservationSettings(dm: DeviceModelPort): ReservationSettings {
  return {
    enabled: dm.getBoolean(RESERVATION_VARIABLES.available) !== false && dm.getBoolean(RESERVATION_VARIABLES.enabled) !== false,
    nonEvseSpecific: dm.getBoolean(RESERVATION_VARIABLES.nonEvseSpecific) === true,
  };
}

/** The station's decision (synchronous: the actors decide while they process the event). */
function decide(ctx: HandlerContext, request: ReserveNowRequest, dryRun: boolean): ReserveNowStatusEnumType {
  let status: ReserveNowStatusEnumType | undefined;
  ctx.station.send({
    type: 'csms.reserveNow',
    reservation: {
      reservationId: request.id,
      evseId: request.evseId ?? null,
      connectorType: request.connectorType ?? null,
      idToken: request.idToken,
      groupIdToken: request.groupIdToken ?? null,
      expiryDateTime: request.expiryDateTime,
    },
    settings: readReservationSettings(ctx.deviceModel),
    dryRun,
    reply: (decided) => {
      status = decided;
    },
  });
  if (status === undefined) throw new OcppRpcError('InternalError', 'the reservation was not decided');
  return status;
}

/**
 * H01 ReserveNow. The station decides (machines/station-reservations.ts): Rejected when
 * reservations are off (H01.FR.01), without evseId while NonEvseSpecific is false (H01.FR.19), for an
 * unknown EVSE or a connector type the station does not have; Faulted / Unavailable / Occupied when
 * every targeted EVSE is (H01.FR.11/12/14); else Accepted (H01.FR.03/04/06/23), replacing a
 * reservation with the same id (H01.FR.02). A registered reserveNowCallback is consulted once the
 * station would accept: an answer other than Accepted is sent instead and nothing is reserved. The
 * reservation (actor snapshot and `reservation` row) is stored before the response goes out.
 *
 * @example
 * await handleReserveNow(ctx, { id: 1, expiryDateTime: '2026-01-01T12:00:00Z', idToken: { idToken: 'A', type: 'ISO14443' }, evseId: 1 });
 * // { status: 'Accepted' }
 */
export const handleReserveNow: CallHandler<ReserveNowRequest, ReserveNowResponse> = async (ctx, request) => {
  const host = ctx.callbacks.reserveNowCallback;
  if (host) {
    const would = decide(ctx, request, true);
    if (would !== 'Accepted') return { status: would };
    const answer = await host(request);
    if (answer !== 'Accepted') return { status: answer };
  }
  const status = decide(ctx, request, false);
  // Answered only once stored; a failing disk gets InternalError, not silence.
  await ctx.runtime.persistence.stored();
  return { status };
};
