/**
 * Helpers of the reservation integration tests (reservations-*.test.ts): ReserveNow and
 * CancelReservation from the test CSMS, the StatusNotifications and ReservationStatusUpdates it
 * received, an expiry instant a little ahead.
 */
import type {
  CancelReservationResponse,
  ReservationStatusUpdateRequest,
  ReserveNowRequest,
  ReserveNowResponse,
  StatusNotificationRequest,
} from '../../src/generated/ocpp-types.js';
import type { Harness } from './station-harness.js';
import { TOKEN } from './transactions-helpers.js';

/** An expiry `seconds` from now (RFC 3339). */
export function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

/** ReserveNow from the CSMS (TOKEN, one hour, unless given). */
export async function reserveNow(h: Harness, request: Partial<ReserveNowRequest> & { id: number }): Promise<string> {
  const response = (await h.csms.call(h.identity, 'ReserveNow', {
    expiryDateTime: inSeconds(3600),
    idToken: TOKEN,
    ...request,
  })) as ReserveNowResponse;
  return response.status;
}

export async function cancelReservation(h: Harness, reservationId: number): Promise<string> {
  const response = (await h.csms.call(h.identity, 'CancelReservation', { reservationId })) as CancelReservationResponse;
  return response.status;
}

/** The next StatusNotification of a connector with `status` (walks the log like waitForCall). */
export async function nextStatus(
  h: Harness,
  evseId: number,
  status: StatusNotificationRequest['connectorStatus'],
  timeoutMs = 5_000,
): Promise<StatusNotificationRequest> {
  const call = await h.csms.waitForCall(
    'StatusNotification',
    (c) => {
      const p = c.payload as StatusNotificationRequest;
      return c.identity === h.identity && p.evseId === evseId && p.connectorStatus === status;
    },
    timeoutMs,
  );
  return call.payload as StatusNotificationRequest;
}

/** The statuses the CSMS received for a connector, in order. */
export function statusesOf(h: Harness, evseId: number, connectorId = 1): string[] {
  return h.csms.calls
    .filter((c) => c.identity === h.identity && c.action === 'StatusNotification')
    .map((c) => c.payload as StatusNotificationRequest)
    .filter((p) => p.evseId === evseId && p.connectorId === connectorId)
    .map((p) => p.connectorStatus);
}

/** The next ReservationStatusUpdate the CSMS receives (of that reservation, when given). */
export async function nextReservationUpdate(
  h: Harness,
  reservationId?: number,
  timeoutMs = 5_000,
): Promise<ReservationStatusUpdateRequest> {
  const call = await h.csms.waitForCall(
    'ReservationStatusUpdate',
    (c) =>
      c.identity === h.identity &&
      (reservationId === undefined || (c.payload as ReservationStatusUpdateRequest).reservationId === reservationId),
    timeoutMs,
  );
  return call.payload as ReservationStatusUpdateRequest;
}

/** The ReservationStatusUpdates received so far. */
export function reservationUpdates(h: Harness): ReservationStatusUpdateRequest[] {
  return h.csms.calls
    .filter((c) => c.identity === h.identity && c.action === 'ReservationStatusUpdate')
    .map((c) => c.payload as ReservationStatusUpdateRequest);
}

/** The index of the first call of `action` matching `predicate` in the CSMS's log (-1: none). */
export function callIndex(h: Harness, action: string, predicate: (payload: unknown) => boolean = () => true): number {
  return h.csms.calls.findIndex((c) => c.identity === h.identity && c.action === action && predicate(c.payload));
}
