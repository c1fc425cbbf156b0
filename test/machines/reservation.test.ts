/**
 * The `reservation` chart (machines/reservation.ts) through pure transitions: expiry (H04.FR.01),
 * removal (H01.FR.16/17), cancellation (H02.FR.02), use (H03.FR.09), replacement (H01.FR.02), and a
 * persisted snapshot that round-trips through JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialTransition, transition } from 'xstate';
import { reservationMachine } from '../../machines/reservation.js';
import type { ReservationRecord } from '../../machines/reservation-rules.js';

const record: ReservationRecord = {
  reservationId: 4,
  evseId: 1,
  connectorType: null,
  idToken: { idToken: 'A', type: 'ISO14443' },
  groupIdToken: null,
  expiryDateTime: '2030-01-01T10:00:00.000Z',
};
const input = { reservation: record };
type Action = { type: string; params?: unknown; id?: string };

/** The invoked actors a state starts (spawn actions of the pure transition). */
function invoked(actions: readonly unknown[]): Array<{ src: string; input: unknown }> {
  return (actions as Array<Action & { params?: { src?: unknown; input?: unknown } }>)
    .filter((a) => a.type === 'xstate.spawnChild')
    .map((a) => ({ src: String(a.params?.src), input: a.params?.input }));
}

test('H04.FR.01: active waits for its expiryDateTime with the deadline actor', () => {
  const [s, actions] = initialTransition(reservationMachine, input);
  assert.equal(s.value, 'active');
  assert.deepEqual(invoked(actions), [{ src: 'deadline', input: { until: record.expiryDateTime } }]);
});

test('H04.FR.01, H01.FR.16/17: expired or removed: it ends and sends ReservationStatusUpdate; then done', () => {
  const cases: Array<[string, object, string]> = [
    ['H04.FR.01 expiry', { type: 'xstate.done.actor.0.reservation.active', output: record.expiryDateTime }, 'Expired'],
    ['H01.FR.16/17 removal', { type: 'reservation.remove' }, 'Removed'],
  ];
  for (const [name, event, status] of cases) {
    const [start] = initialTransition(reservationMachine, input);
    let [s, actions] = transition(reservationMachine, start, event as never);
    assert.equal(s.value, 'notifying', name);
    assert.equal(s.context.outcome, status, name);
    assert.deepEqual(
      invoked(actions),
      [{ src: 'statusUpdate', input: { reservationId: 4, status, expiryDateTime: record.expiryDateTime } }],
      name,
    );
    [s, actions] = transition(reservationMachine, s, { type: 'xstate.done.actor.0.reservation.notifying' } as never);
    assert.deepEqual(invoked(actions), [], name);
    assert.equal(s.status, 'done', name);
    assert.deepEqual(s.output, { reservationId: 4, outcome: status }, name);
  }
});

test('a ReservationStatusUpdate that cannot be delivered still ends the reservation', () => {
  let [s] = initialTransition(reservationMachine, input);
  [s] = transition(reservationMachine, s, { type: 'reservation.remove' });
  [s] = transition(reservationMachine, s, { type: 'xstate.error.actor.0.reservation.notifying', error: new Error('x') } as never);
  assert.equal(s.status, 'done');
});

test('H02.FR.02 cancelled, H03.FR.09 used: done at once, no ReservationStatusUpdate', () => {
  for (const [type, outcome] of [
    ['reservation.cancel', 'Cancelled'],
    ['reservation.use', 'Used'],
  ] as const) {
    const [start] = initialTransition(reservationMachine, input);
    const [s, actions] = transition(reservationMachine, start, { type });
    assert.equal(s.status, 'done', type);
    assert.equal(s.context.outcome, outcome);
    assert.deepEqual(invoked(actions), [], type);
  }
});

test('H01.FR.02: a replacement takes the new terms and waits for the new expiry', () => {
  const [start] = initialTransition(reservationMachine, input);
  const replacement = { ...record, evseId: 2, expiryDateTime: '2030-01-02T00:00:00.000Z' };
  const [s, actions] = transition(reservationMachine, start, { type: 'reservation.replace', reservation: replacement });
  assert.equal(s.value, 'active');
  assert.deepEqual(s.context.reservation, replacement);
  assert.deepEqual(invoked(actions), [{ src: 'deadline', input: { until: replacement.expiryDateTime } }]);
});

test('events after the end change nothing (a late cancel of a reservation being reported)', () => {
  let [s] = initialTransition(reservationMachine, input);
  [s] = transition(reservationMachine, s, { type: 'reservation.remove' });
  const [after] = transition(reservationMachine, s, { type: 'reservation.cancel' });
  assert.equal(after.value, 'notifying');
  assert.equal(after.context.outcome, 'Removed');
});

test('DESIGN.md: the persisted snapshot round-trips through JSON and resumes in the same state', () => {
  let [s] = initialTransition(reservationMachine, input);
  [s] = transition(reservationMachine, s, { type: 'reservation.remove' });
  const persisted = JSON.parse(JSON.stringify(reservationMachine.getPersistedSnapshot(s))) as unknown;
  const restored = reservationMachine.resolveState(persisted as never);
  assert.equal(restored.value, 'notifying');
  assert.deepEqual(restored.context, s.context);
});
