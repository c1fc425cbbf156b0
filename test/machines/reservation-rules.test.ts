/**
 * The pure reservation rules (machines/reservation-rules.ts), tables of cases: ReserveNow answers
 * (H01), which EVSEs show Reserved (H01.FR.07/09/20/23/24, G01.FR.09), token checks (H03, F02.FR.23/24)
 * and removal (H01.FR.16/17).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkReservation,
  classifyEvse,
  decideReserveNow,
  feasible,
  reservationsToRemove,
  reservedEvseFor,
  reservedEvses,
  type ConnectorView,
  type EvseView,
  type ReservationRecord,
} from '../../machines/reservation-rules.js';
import type { IdTokenType } from '../../src/generated/ocpp-types.js';

const A: IdTokenType = { idToken: 'A', type: 'ISO14443' };
const B: IdTokenType = { idToken: 'B', type: 'ISO14443' };
const G: IdTokenType = { idToken: 'G', type: 'Central' };

function evse(evseId: number, facts: Partial<ConnectorView> = {}, transactionActive = false): EvseView {
  return {
    evseId,
    transactionActive,
    connectors: [{ connectorId: 1, type: 'sType2', operative: true, faulted: false, plugged: false, ...facts }],
  };
}
function reservation(reservationId: number, extra: Partial<ReservationRecord> = {}): ReservationRecord {
  return {
    reservationId,
    evseId: null,
    connectorType: null,
    idToken: A,
    groupIdToken: null,
    expiryDateTime: '2030-01-01T00:00:00Z',
    ...extra,
  };
}
const ON = { enabled: true, nonEvseSpecific: true };

test('H01.FR.11/12/14: how an EVSE looks to a reservation', () => {
  const cases: Array<[EvseView, string | null, string | undefined]> = [
    [evse(1), null, 'Available'],
    [evse(1, { plugged: true }), null, 'Occupied'],
    [evse(1, {}, true), null, 'Occupied'],
    [evse(1, { faulted: true }), null, 'Faulted'],
    [evse(1, { operative: false }), null, 'Unavailable'],
    [evse(1, { operative: false, faulted: true }), null, 'Faulted'],
    [evse(1), 'sType2', 'Available'],
    [evse(1), 'cCCS2', undefined],
  ];
  for (const [view, type, expected] of cases) assert.equal(classifyEvse(view, type), expected, JSON.stringify([view, type]));
});

test('feasible: every reservation without evseId gets its own EVSE (connector types respected)', () => {
  const ccs = { ...evse(2), connectors: [{ connectorId: 1, type: 'cCCS2', operative: true, faulted: false, plugged: false }] };
  const cases: Array<[ReservationRecord[], EvseView[], boolean]> = [
    [[], [], true],
    [[reservation(1)], [], false],
    [[reservation(1)], [evse(1)], true],
    [[reservation(1), reservation(2)], [evse(1)], false],
    [[reservation(1, { connectorType: 'cCCS2' })], [evse(1)], false],
    [[reservation(1, { connectorType: 'cCCS2' }), reservation(2)], [evse(1), ccs], true],
    [[reservation(1), reservation(2, { connectorType: 'cCCS2' })], [ccs, evse(1)], true],
  ];
  for (const [reservations, pool, expected] of cases)
    assert.equal(feasible(reservations, pool), expected, JSON.stringify([reservations.map((r) => r.connectorType), pool.map((e) => e.evseId)]));
});

test('H01 ReserveNow answers (H01.FR.01/02/03/04/06/11/12/14/19/23)', () => {
  const two = [evse(1), evse(2)];
  const cases: Array<[string, Parameters<typeof decideReserveNow>, string]> = [
    ['H01.FR.01 disabled', [{ reservationId: 1, evseId: 1, connectorType: null }, two, [], [], { ...ON, enabled: false }], 'Rejected'],
    ['H01.FR.23 a free EVSE', [{ reservationId: 1, evseId: 1, connectorType: null }, two, [], [], ON], 'Accepted'],
    ['unknown EVSE', [{ reservationId: 1, evseId: 3, connectorType: null }, two, [], [], ON], 'Rejected'],
    ['EVSE without that connector type', [{ reservationId: 1, evseId: 1, connectorType: 'cCCS2' }, two, [], [], ON], 'Rejected'],
    ['H01.FR.11 reserved by another', [{ reservationId: 2, evseId: 1, connectorType: null }, two, [reservation(1, { evseId: 1 })], [1], ON], 'Occupied'],
    ['H01.FR.02 the same id replaces', [{ reservationId: 1, evseId: 1, connectorType: null }, two, [reservation(1, { evseId: 1 })], [1], ON], 'Accepted'],
    ['H01.FR.11 occupied', [{ reservationId: 1, evseId: 1, connectorType: null }, [evse(1, { plugged: true }), evse(2)], [], [], ON], 'Occupied'],
    ['H01.FR.12 faulted', [{ reservationId: 1, evseId: 1, connectorType: null }, [evse(1, { faulted: true })], [], [], ON], 'Faulted'],
    ['H01.FR.14 unavailable', [{ reservationId: 1, evseId: 1, connectorType: null }, [evse(1, { operative: false })], [], [], ON], 'Unavailable'],
    ['H01.FR.07 the last EVSE of a reservation without evseId', [{ reservationId: 2, evseId: 1, connectorType: null }, [evse(1)], [reservation(1)], [1], ON], 'Occupied'],
    ['H01.FR.19 no evseId, NonEvseSpecific false', [{ reservationId: 1, evseId: null, connectorType: null }, two, [], [], { ...ON, nonEvseSpecific: false }], 'Rejected'],
    ['H01.FR.04 no evseId', [{ reservationId: 1, evseId: null, connectorType: null }, two, [], [], ON], 'Accepted'],
    ['H01.FR.11 no evseId, all reserved', [{ reservationId: 3, evseId: null, connectorType: null }, two, [reservation(1), reservation(2)], [1, 2], ON], 'Occupied'],
    ['H01.FR.11 no evseId, one reserved by id, one occupied', [{ reservationId: 3, evseId: null, connectorType: null }, [evse(1), evse(2, { plugged: true })], [reservation(1, { evseId: 1 })], [1], ON], 'Occupied'],
    ['H01.FR.12 no evseId, all faulted', [{ reservationId: 1, evseId: null, connectorType: null }, [evse(1, { faulted: true }), evse(2, { faulted: true })], [], [], ON], 'Faulted'],
    ['H01.FR.14 no evseId, all unavailable', [{ reservationId: 1, evseId: null, connectorType: null }, [evse(1, { operative: false }), evse(2, { operative: false })], [], [], ON], 'Unavailable'],
    ['H01.FR.06 connector type present', [{ reservationId: 1, evseId: null, connectorType: 'sType2' }, two, [], [], ON], 'Accepted'],
    ['connector type absent', [{ reservationId: 1, evseId: null, connectorType: 'cCCS2' }, two, [], [], ON], 'Rejected'],
  ];
  for (const [name, args, expected] of cases) assert.equal(decideReserveNow(...args), expected, name);
});

test('H01.FR.20/23/24, G01.FR.09: the EVSEs that show Reserved', () => {
  const ccs = (id: number) => ({
    ...evse(id),
    connectors: [{ connectorId: 1, type: 'cCCS2', operative: true, faulted: false, plugged: false }],
  });
  const cases: Array<[string, EvseView[], ReservationRecord[], number[], number[]]> = [
    ['nothing reserved', [evse(1), evse(2)], [], [], []],
    ['H01.FR.23 by id', [evse(1), evse(2)], [reservation(1, { evseId: 2 })], [], [2]],
    ['one evse-less, two free EVSEs: none yet', [evse(1), evse(2)], [reservation(1)], [], []],
    ['H01.FR.20 as many evse-less as free EVSEs', [evse(1), evse(2)], [reservation(1), reservation(2)], [], [1, 2]],
    ['H01.FR.07 the other one is taken', [evse(1, { plugged: true }), evse(2)], [reservation(1)], [], [2]],
    ['H01.FR.24 the only EVSE of the type', [evse(1), ccs(2)], [reservation(1, { connectorType: 'cCCS2' })], [], [2]],
    ['type and evse-less together', [evse(1), ccs(2)], [reservation(1, { connectorType: 'cCCS2' }), reservation(2)], [], [1, 2]],
    ['G01.FR.09 a marked EVSE keeps its mark through a plug-in', [evse(1, { plugged: true })], [reservation(1)], [1], [1]],
    ['an unmarked plugged EVSE is not marked', [evse(1, { plugged: true })], [reservation(1)], [], []],
    ['a faulted EVSE is not marked', [evse(1, { faulted: true }), evse(2)], [reservation(1)], [], [2]],
  ];
  for (const [name, evses, reservations, current, expected] of cases)
    assert.deepEqual(reservedEvses(evses, reservations, current), expected, name);
});

test('H03.FR.01–06, F02.FR.23/24: who may use an EVSE', () => {
  const evses = [evse(1), evse(2)];
  const byId = reservation(5, { evseId: 1, groupIdToken: G });
  const cases: Array<[string, number, IdTokenType, IdTokenType | null, ReservationRecord[], number[], object]> = [
    ['H03.FR.01 the token', 1, A, null, [byId], [1], { status: 'ReservedForToken', reservationId: 5 }],
    ['H03.FR.04 the group', 1, B, G, [byId], [1], { status: 'ReservedForToken', reservationId: 5 }],
    ['F02.FR.24 another token and group', 1, B, { idToken: 'H', type: 'Central' }, [byId], [1], { status: 'ReservedForOtherToken' }],
    ['H03.FR.07/08 group unknown yet', 1, B, null, [byId], [1], { status: 'ReservedForOtherTokenAndHasParentToken' }],
    ['F02.FR.23 another token, no group', 1, B, null, [reservation(5, { evseId: 1 })], [1], { status: 'ReservedForOtherToken' }],
    ['another EVSE is not reserved', 2, B, null, [byId], [1], { status: 'NotReserved' }],
    ['H03.FR.03 evse-less, the token', 2, A, null, [reservation(6)], [], { status: 'ReservedForToken', reservationId: 6 }],
    ['H03.FR.06 evse-less, by group', 2, B, G, [reservation(6, { groupIdToken: G })], [2], { status: 'ReservedForToken', reservationId: 6 }],
    ['H01.FR.07 a marked EVSE, another token', 2, B, null, [reservation(6)], [2], { status: 'ReservedForOtherToken' }],
    ['an unmarked EVSE, another token', 2, B, null, [reservation(6)], [], { status: 'NotReserved' }],
    ['H03.FR.02 by type: wrong type is not the token\'s', 2, A, null, [reservation(7, { connectorType: 'cCCS2' })], [], { status: 'NotReserved' }],
  ];
  for (const [name, evseId, token, group, reservations, marks, expected] of cases)
    assert.deepEqual(checkReservation(evseId, token, group, evses, reservations, marks), expected, name);
  assert.equal(reservedEvseFor(B, G, [byId]), 1);
  assert.equal(reservedEvseFor(B, null, [byId]), undefined);
});

test('H01.FR.16/17: reservations whose target became Faulted or Unavailable are removed', () => {
  const cases: Array<[string, EvseView[], ReservationRecord[], number[]]> = [
    ['healthy', [evse(1), evse(2)], [reservation(1, { evseId: 1 }), reservation(2)], []],
    ['H01.FR.16 its EVSE faulted', [evse(1, { faulted: true }), evse(2)], [reservation(1, { evseId: 1 }), reservation(2)], [1]],
    ['H01.FR.17 its EVSE unavailable', [evse(1, { operative: false }), evse(2)], [reservation(1, { evseId: 1 })], [1]],
    ['evse-less: one EVSE left', [evse(1, { faulted: true }), evse(2)], [reservation(2)], []],
    ['evse-less: none left', [evse(1, { faulted: true }), evse(2, { operative: false })], [reservation(2)], [2]],
  ];
  for (const [name, evses, reservations, expected] of cases)
    assert.deepEqual(reservationsToRemove(evses, reservations), expected, name);
});
