/**
 * `reservation:<id>`: one reservation's lifecycle (H01–H04), spawned by the station for an accepted
 * ReserveNowRequest. While `active` it waits for its expiryDateTime through the `deadline` actor (an
 * absolute instant: a restored reservation re-arms for the same instant, DESIGN.md "Restore is not a
 * transition"). It ends in one of four ways, each told to the station (`reservation.ended`) as it
 * happens so the EVSEs are released at once:
 *
 * - expired (H04.FR.01) or removed because its EVSE became Faulted/Unavailable (H01.FR.16/17): it
 *   sends ReservationStatusUpdate (Expired / Removed) from `notifying`, then is done;
 * - cancelled by the CSMS (H02.FR.02: no ReservationStatusUpdate, H02 remark) or used by its token
 *   (H03.FR.09): done at once.
 *
 * A ReserveNowRequest with the same id replaces it (H01.FR.02): new terms, a new deadline.
 */
import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { ReservationUpdateStatusEnumType } from '../src/generated/ocpp-types.js';
import { deadlineActor } from './deadline.js';
import { hasParent } from './has-parent.js';
import type { ReservationRecord } from './reservation-rules.js';

/** How a reservation ended. */
export type ReservationOutcome = 'Expired' | 'Removed' | 'Cancelled' | 'Used';

export interface ReservationContext {
  reservation: ReservationRecord;
  /** Set when it ended (the station has been told). */
  outcome: ReservationOutcome | null;
}

export type ReservationInput = { reservation: ReservationRecord };

export type ReservationEvent =
  | { type: 'reservation.replace'; reservation: ReservationRecord }
  | { type: 'reservation.cancel' }
  | { type: 'reservation.use' }
  /** Its EVSE became Faulted or Unavailable (H01.FR.16/17). */
  | { type: 'reservation.remove' };

/** What a reservation tells its parent (the station). */
export type ReservationOutput = {
  type: 'reservation.ended';
  reservationId: number;
  outcome: ReservationOutcome;
};

export interface StatusUpdateInput {
  reservationId: number;
  status: ReservationUpdateStatusEnumType;
  /** The reservation's expiry: with the id, it names this reservation (an id may be reused). */
  expiryDateTime: string;
}

/**
 * The system id of the actor of reservation `reservationId`.
 *
 * @example
 * station.system.get(reservationActorId(7)); // the actor `reservation:7`
 */
export const reservationActorId = (reservationId: number) => `reservation:${reservationId}`;

export const reservationMachine = setup({
  types: {
    context: {} as ReservationContext,
    input: {} as ReservationInput,
    events: {} as ReservationEvent,
  },
  actors: {
    deadline: deadlineActor,
    // Provided by src/: sends ReservationStatusUpdateRequest (durably, once per reservation and status).
    statusUpdate: fromPromise<void, StatusUpdateInput>(async () => {
      throw new Error('statusUpdate actor not provided');
    }),
  },
  actions: {
    // The station releases the EVSEs now; parentless (in tests) nobody is told.
    ended: enqueueActions(({ context, enqueue, self }, params: { outcome: ReservationOutcome }) => {
      enqueue.assign({ outcome: params.outcome });
      if (!hasParent(self)) return;
      enqueue.sendParent({
        type: 'reservation.ended',
        reservationId: context.reservation.reservationId,
        outcome: params.outcome,
      } satisfies ReservationOutput);
    }),
  },
}).createMachine({
  id: 'reservation',
  context: ({ input }) => ({ reservation: input.reservation, outcome: null }),
  initial: 'active',
  states: {
    active: {
      invoke: {
        src: 'deadline',
        input: ({ context }) => ({ until: context.reservation.expiryDateTime }),
        // H04.FR.01: the expiryDateTime is reached.
        onDone: { target: 'notifying', actions: { type: 'ended', params: { outcome: 'Expired' } } },
      },
      on: {
        // H01.FR.02: the same id again: the new reservation replaces it (a new deadline).
        'reservation.replace': {
          target: 'active',
          reenter: true,
          actions: assign({ reservation: ({ event }) => event.reservation }),
        },
        // H02.FR.02: cancelled; the CSMS knows, no ReservationStatusUpdate.
        'reservation.cancel': {
          target: 'done',
          actions: { type: 'ended', params: { outcome: 'Cancelled' } },
        },
        // H03.FR.09: consumed by its token.
        'reservation.use': { target: 'done', actions: { type: 'ended', params: { outcome: 'Used' } } },
        // H01.FR.16/17.
        'reservation.remove': {
          target: 'notifying',
          actions: { type: 'ended', params: { outcome: 'Removed' } },
        },
      },
    },
    notifying: {
      invoke: {
        src: 'statusUpdate',
        input: ({ context }) => ({
          reservationId: context.reservation.reservationId,
          status: context.outcome === 'Removed' ? 'Removed' : 'Expired',
          expiryDateTime: context.reservation.expiryDateTime,
        }),
        onDone: 'done',
        // Not delivered (a local failure is reported by src/): the reservation is over regardless.
        onError: 'done',
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => ({ reservationId: context.reservation.reservationId, outcome: context.outcome }),
});
