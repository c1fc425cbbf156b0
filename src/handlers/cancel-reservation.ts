import type { CancelReservationRequest, CancelReservationResponse } from '../generated/ocpp-types.js';
import { OcppRpcError } from '../rpc/errors.js';
import type { CallHandler } from './handler-context.js';

/**
 * H02 CancelReservation: Accepted and the reservation ends (H02.FR.02; its EVSEs are released,
 * H02.FR.03–06, and no ReservationStatusUpdate follows, H02 remark) when a reservation with that id
 * is active; otherwise Rejected (H02.FR.01). The cancellation is stored before the response; a
 * registered cancelReservationCallback is told afterwards (its answer is not used).
 *
 * @example
 * await handleCancelReservation(ctx, { reservationId: 1 }); // { status: 'Accepted' }
 */
export const handleCancelReservation: CallHandler<CancelReservationRequest, CancelReservationResponse> = async (
  ctx,
  request,
) => {
  let accepted: boolean | undefined;
  ctx.station.send({
    type: 'csms.cancelReservation',
    reservationId: request.reservationId,
    reply: (known) => {
      accepted = known;
    },
  });
  if (accepted === undefined) throw new OcppRpcError('InternalError', 'the cancellation was not decided');
  // Answered only once stored; a failing disk gets InternalError, not silence.
  await ctx.runtime.persistence.stored();
  if (accepted) {
    const host = ctx.callbacks.cancelReservationCallback;
    if (host) ctx.afterResponse(async () => void (await host(request.reservationId)));
  }
  return { status: accepted ? 'Accepted' : 'Rejected' };
};
