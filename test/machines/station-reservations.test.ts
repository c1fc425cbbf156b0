/**
 * The station's reservation plan (machines/station-reservations.ts), pure: what the station spawns,
 * tells and answers for each event (H01–H04).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReservationRecord } from '../../machines/reservation-rules.js';
import {
  initialReservationContext,
  reservationStep,
  type StationReservationContext,
} from '../../machines/station-reservations.js';

const evses = [
  { evseId: 1, connectorIds: [1] },
  { evseId: 2, connectorIds: [1] },
];
const ON = { enabled: true, nonEvseSpecific: true };
const record = (reservationId: number, evseId: number | null): ReservationRecord => ({
  reservationId,
  evseId,
  connectorType: null,
  idToken: { idToken: 'A', type: 'ISO14443' },
  groupIdToken: null,
  expiryDateTime: '2030-01-01T00:00:00Z',
});

function context(patch: Partial<StationReservationContext> = {}) {
  return { ...initialReservationContext(evses, { '1/1': 'sType2', '2/1': 'sType2' }, []), evses, activeEvses: [], ...patch };
}
const marked = { reservedEvses: [] as number[] };

test('H01.FR.23: an accepted ReserveNow spawns `reservation:<id>` (in a free slot), marks its EVSE and answers Accepted; a dry run only answers', () => {
  const plan = reservationStep(context(marked), { type: 'csms.reserveNow', reservation: record(3, 1), settings: ON });
  assert.deepEqual(plan.reply, { kind: 'reserveNow', status: 'Accepted' });
  assert.deepEqual(plan.spawn, [
    { id: 'reservation-slot:0', systemId: 'reservation:3', input: { reservation: record(3, 1) } },
  ]);
  assert.deepEqual(plan.send, [{ to: 'evse:1', event: { type: 'reservation.mark', reserved: true } }]);
  assert.deepEqual(plan.patch.reservations, [record(3, 1)]);
  const dry = reservationStep(context(marked), { type: 'csms.reserveNow', reservation: record(3, 1), settings: ON, dryRun: true });
  assert.deepEqual(dry, { patch: {}, spawn: [], stop: [], send: [], reply: { kind: 'reserveNow', status: 'Accepted' } });
});

test('H01.FR.02: the same id is told to replace; the old EVSE is released, the new one marked', () => {
  const c = context({ reservations: [record(3, 1)], reservationActors: [3], reservedEvses: [1] });
  const plan = reservationStep(c, { type: 'csms.reserveNow', reservation: record(3, 2), settings: ON });
  assert.deepEqual(plan.spawn, []);
  assert.deepEqual(plan.send, [
    { to: 'reservation-slot:0', event: { type: 'reservation.replace', reservation: record(3, 2) } },
    { to: 'evse:1', event: { type: 'reservation.mark', reserved: false } },
    { to: 'evse:2', event: { type: 'reservation.mark', reserved: true } },
  ]);
});

test('H02.FR.01/02: CancelReservation of an unknown id is Rejected; a known one is cancelled and its EVSE released', () => {
  assert.deepEqual(reservationStep(context(marked), { type: 'csms.cancelReservation', reservationId: 9 }).reply, {
    kind: 'cancelReservation',
    accepted: false,
  });
  const plan = reservationStep(context({ reservations: [record(3, 1)], reservationActors: [3], reservedEvses: [1] }), {
    type: 'csms.cancelReservation',
    reservationId: 3,
  });
  assert.deepEqual(plan.reply, { kind: 'cancelReservation', accepted: true });
  assert.deepEqual(plan.send, [
    { to: 'reservation-slot:0', event: { type: 'reservation.cancel' } },
    { to: 'evse:1', event: { type: 'reservation.mark', reserved: false } },
  ]);
});

test('H01.FR.16: a connector of a reserved EVSE reports a fault: the reservation is told to go (Removed)', () => {
  const plan = reservationStep(context({ reservations: [record(3, 1)], reservationActors: [3], reservedEvses: [1] }), {
    type: 'evse.connectorFacts',
    evseId: 1,
    connectorId: 1,
    operative: true,
    faulted: true,
    plugged: false,
  });
  assert.deepEqual(plan.send, [
    { to: 'reservation-slot:0', event: { type: 'reservation.remove' } },
    { to: 'evse:1', event: { type: 'reservation.mark', reserved: false } },
  ]);
  assert.deepEqual(plan.patch.reservations, []);
});

test('H03.FR.09: an authorization naming the reservation consumes it and releases the EVSE; one naming none changes nothing', () => {
  const c = context({ reservations: [record(3, 1)], reservationActors: [3], reservedEvses: [1] });
  const plan = reservationStep(c, { type: 'auth.accepted', evseId: 1, reservationId: 3 });
  assert.deepEqual(plan.send, [
    { to: 'reservation-slot:0', event: { type: 'reservation.use' } },
    { to: 'evse:1', event: { type: 'reservation.mark', reserved: false } },
  ]);
  assert.deepEqual(reservationStep(c, { type: 'auth.accepted', evseId: 2 }).send, []);
});

test('a finished reservation actor is stopped and its slot freed; other finished actors are not the reservations\' business', () => {
  const c = context({ reservationActors: [3] });
  const plan = reservationStep(c, { type: 'xstate.done.actor.reservation-slot:0' });
  assert.deepEqual(plan.stop, ['reservation-slot:0']);
  assert.deepEqual(plan.patch.reservationActors, []);
  assert.deepEqual(reservationStep(c, { type: 'xstate.done.actor.0.station.operation.resetting' }).stop, []);
  // A slot that holds nothing (a stale event) changes nothing.
  assert.deepEqual(reservationStep(c, { type: 'xstate.done.actor.reservation-slot:4' }).stop, []);
});

test('issue 9: child ids are slots, reused, so reservations with ever new ids never make a new child id', () => {
  // Two alive; the first finishes; the next reservation (a new id) takes the freed slot.
  const c = context({ ...marked, reservations: [record(3, 1), record(4, 2)], reservationActors: [3, 4], reservedEvses: [1, 2] });
  const done = reservationStep(c, { type: 'xstate.done.actor.reservation-slot:0' });
  assert.deepEqual(done.patch.reservationActors, [null, 4]);
  const next = reservationStep(
    { ...c, reservations: [record(4, 2)], reservationActors: [null, 4], reservedEvses: [2] },
    { type: 'csms.reserveNow', reservation: record(1234, 1), settings: ON },
  );
  assert.deepEqual(next.spawn.map((s) => [s.id, s.systemId]), [['reservation-slot:0', 'reservation:1234']]);
  assert.deepEqual(next.patch.reservationActors, [1234, 4]);
  // The last slot freed: the array shrinks, so an idle station holds no slots.
  const last = reservationStep({ ...c, reservationActors: [null, 4] }, { type: 'xstate.done.actor.reservation-slot:1' });
  assert.deepEqual(last.patch.reservationActors, []);
  // The same id again while its ended actor still notifies: the new actor takes that actor's slot.
  const again = reservationStep(
    { ...c, reservations: [record(4, 2)], reservationActors: [3, 4], reservedEvses: [2] },
    { type: 'csms.reserveNow', reservation: record(3, 1), settings: ON },
  );
  assert.deepEqual(again.stop, ['reservation-slot:0']);
  assert.deepEqual(again.spawn.map((s) => s.id), ['reservation-slot:0']);
  assert.deepEqual(again.patch.reservationActors, [3, 4]);
});

test('resumed (and the first step): every EVSE is told its mark', () => {
  const plan = reservationStep(context({ reservations: [record(3, 2)], reservedEvses: [2], freshMarks: false }), {
    type: 'resumed',
  });
  assert.deepEqual(plan.send, [
    { to: 'evse:1', event: { type: 'reservation.mark', reserved: false } },
    { to: 'evse:2', event: { type: 'reservation.mark', reserved: true } },
  ]);
  const restored = initialReservationContext(evses, {}, [{ reservation: record(5, null), active: true, restore: {} }]);
  assert.deepEqual(restored.reservations, [record(5, null)]);
  assert.deepEqual(restored.reservationActors, [5]);
  assert.equal(restored.reservedEvses, null);
  assert.equal(restored.freshMarks, false);
});

test('a fresh station (no EVSE snapshot, no reservation restored): nothing to tell at the first step nor at resumed', () => {
  const fresh = context();
  assert.equal(fresh.freshMarks, true);
  assert.deepEqual(fresh.reservedEvses, []);
  const facts = { type: 'evse.connectorFacts', evseId: 1, connectorId: 1, operative: true, faulted: false, plugged: false } as const;
  assert.deepEqual(reservationStep(fresh, facts).send, []);
  assert.deepEqual(reservationStep(fresh, { type: 'resumed' }).send, []);
  // An EVSE resumed from its snapshot carries its own marks: every EVSE is told at the first step.
  const resumedEvse = initialReservationContext([{ ...evses[0]!, restore: {} }, evses[1]!], {}, []);
  assert.equal(resumedEvse.reservedEvses, null);
  const plan = reservationStep({ ...resumedEvse, evses, activeEvses: [] }, facts);
  assert.deepEqual(plan.send, [
    { to: 'evse:1', event: { type: 'reservation.mark', reserved: false } },
    { to: 'evse:2', event: { type: 'reservation.mark', reserved: false } },
  ]);
});
