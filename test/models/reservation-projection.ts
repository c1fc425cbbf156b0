/**
 * Projection of one reservation's lifecycle (machines/reservation.ts, H01–H04) as the CSMS and the
 * driver see it on EVSE 1: reserved, reserved again with the same id (H01.FR.02), cancelled
 * (H02.FR.02), used by its token (H03.FR.09), expired (H04.FR.01) with the
 * ReservationStatusUpdate delivered or refused by the CSMS. Removal on a fault or an Inoperative
 * EVSE (H01.FR.16/17) is the availability projection's. Each transition names (meta.fires) the
 * production transitions the runtime must take (reservation.model.test.ts checks them).
 */
import { setup } from 'xstate';

export type ReservationModelEvent =
  | { type: 'RESERVE' }
  | { type: 'RESERVE_SHORT' }
  | { type: 'RESERVE_SAME_ID' }
  | { type: 'CANCEL' }
  | { type: 'TOKEN_PRESENTED' }
  | { type: 'EXPIRES' }
  | { type: 'EXPIRES_UPDATE_REFUSED' };

export const R = {
  replace: 'reservation.active --reservation.replace--> reservation.active',
  cancel: 'reservation.active --reservation.cancel--> reservation.done',
  use: 'reservation.active --reservation.use--> reservation.done',
  expire: 'reservation.active --xstate.done.actor.0.reservation.active--> reservation.notifying',
  notified: 'reservation.notifying --xstate.done.actor.0.reservation.notifying--> reservation.done',
  notDelivered: 'reservation.notifying --xstate.error.actor.0.reservation.notifying--> reservation.done',
  mark: 'evse --reservation.mark--> (internal)',
  changed: 'connector.facts.tracking --reservation.changed--> (internal)',
};
const fires = (...keys: string[]) => ({ meta: { fires: keys } });

export const reservationProjection = setup({ types: { events: {} as ReservationModelEvent } }).createMachine({
  id: 'reservationProjection',
  initial: 'free',
  states: {
    free: {
      on: {
        RESERVE: { target: 'reserved', ...fires(R.mark, R.changed) },
        // A reservation that expires a moment later.
        RESERVE_SHORT: { target: 'expiring', ...fires(R.mark, R.changed) },
      },
    },
    reserved: {
      on: {
        RESERVE_SAME_ID: { target: 'reserved', ...fires(R.replace) },
        CANCEL: { target: 'free', ...fires(R.cancel, R.mark, R.changed) },
        // H03.FR.09: the token of the reservation on its EVSE uses it; the EVSE is no longer reserved.
        TOKEN_PRESENTED: { target: 'used', ...fires(R.use, R.mark, R.changed) },
      },
    },
    expiring: {
      on: {
        EXPIRES: { target: 'free', ...fires(R.expire, R.notified, R.mark, R.changed) },
        EXPIRES_UPDATE_REFUSED: { target: 'free', ...fires(R.expire, R.notDelivered, R.mark, R.changed) },
      },
    },
    /** The driver's session runs: the path ends here. */
    used: { type: 'final' },
  },
});
