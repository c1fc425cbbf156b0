/**
 * The `reservation` chart (machines/reservation.ts) with its effects: the expiry deadline on the
 * station clock and the ReservationStatusUpdateRequest (H04.FR.01, H01.FR.16/17), restorable from a
 * persisted snapshot. The message is durable (it waits for the CSMS through an outage and a restart)
 * and keyed by reservation, status and expiry, so a restored actor that sends it again attaches to
 * the stored row instead of queueing a second one.
 */
import { fromPromise } from 'xstate';
import type { AnyActorSystem } from '../runtime/system-effects.js';
import { reservationMachine, type StatusUpdateInput } from '../../machines/reservation.js';
import type { StationClock } from '../clock.js';
import type { MessageQueue } from '../queue/message-queue.js';
import { deadlineActor } from '../runtime/deadline.js';
import { restorable } from '../runtime/restorable.js';
import type { TimerScheduler } from '../runtime/timers.js';

export interface ReservationEffects {
  clock: StationClock;
  timers: TimerScheduler;
  queue: MessageQueue;
  /** Resolves once everything decided so far is stored (and the statuses it caused are queued). */
  flushed(): Promise<void>;
  /** The host learns that a reservation ended with a ReservationStatusUpdate. */
  statusSent?(reservationId: number, status: StatusUpdateInput['status']): void;
}

/**
 * The dedupe key of a reservation's status update.
 *
 * @example
 * statusUpdateKey({ reservationId: 3, status: 'Expired', expiryDateTime: '2026-01-01T10:00:00Z' }); // 'reservation:3:Expired:2026-01-01T10:00:00Z'
 */
export function statusUpdateKey(input: StatusUpdateInput): string {
  return `reservation:${input.reservationId}:${input.status}:${input.expiryDateTime}`;
}

/**
 * The provided chart; `effectsOf` finds the station's effects from the actor system, so one
 * provided machine serves every station of a process.
 *
 * @example
 * const reservation = provideReservationMachine(() => ({ clock, timers, queue, flushed: () => persistence.flushed() }));
 * stationMachine.provide({ actors: { reservation } });
 */
export function provideReservationMachine(effectsOf: (system: AnyActorSystem) => ReservationEffects) {
  return restorable(
    reservationMachine.provide({
      actors: {
        deadline: deadlineActor(effectsOf),
        statusUpdate: fromPromise<void, StatusUpdateInput>(async ({ input, system }) => {
          const effects = effectsOf(system);
          // H04 scenario: the connectors' StatusNotification Available (queued by the same run of
          // transitions) goes before the ReservationStatusUpdate.
          await new Promise<void>((resolve) => setImmediate(resolve));
          await effects.flushed();
          const sent = effects.queue.send(
            'ReservationStatusUpdate',
            { reservationId: input.reservationId, reservationUpdateStatus: input.status },
            { durable: true, dedupeKey: statusUpdateKey(input) },
          );
          effects.statusSent?.(input.reservationId, input.status);
          await sent;
        }),
      },
    }),
  );
}
