/**
 * H01–H04 through the real runtime, over a real websocket, against the strict test CSMS with a real
 * SQLite file (Part 6 TC_H_*_CS): every ReserveNow answer, reservations of a specific EVSE, of any
 * EVSE and of a connector type, the Reserved status, who may use a reserved EVSE (its token, its
 * group, RequestStartTransaction), expiry, cancellation and removal on Faulted / Unavailable.
 * Everything waits for CSMS calls or settles the station; nothing sleeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AuthorizeResponse,
  ChangeAvailabilityResponse,
  IdTokenType,
  RequestStartTransactionResponse,
  SetVariablesResponse,
} from '../../src/generated/ocpp-types.js';
import {
  callIndex,
  cancelReservation,
  inSeconds,
  nextReservationUpdate,
  nextStatus,
  reservationUpdates,
  reserveNow,
  statusesOf,
} from './reservations-helpers.js';
import type { Harness } from './station-harness.js';
import { nextTx, OTHER_TOKEN, settle, startCharging, startTxHarness, TOKEN, txEvents } from './transactions-helpers.js';

const THIRD_TOKEN: IdTokenType = { idToken: 'TOKEN-3', type: 'ISO14443' };
const GROUP: IdTokenType = { idToken: 'GROUP-1', type: 'Central' };

async function changeAvailability(h: Harness, evseId: number, operative: boolean): Promise<string> {
  const response = (await h.csms.call(h.identity, 'ChangeAvailability', {
    operationalStatus: operative ? 'Operative' : 'Inoperative',
    ...(evseId === 0 ? {} : { evse: { id: evseId } }),
  })) as ChangeAvailabilityResponse;
  return response.status;
}

const last = (h: Harness, evseId: number) => statusesOf(h, evseId).at(-1);

test('H01.FR.23, H03.FR.01/09/10, H01.FR.15 (TC_H_01_CS): a reserved EVSE shows Reserved; its token, presented first, consumes the reservation (Available), and the transaction names it', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 11, evseId: 1 }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  assert.deepEqual(
    h.station.reservations().map((r) => [r.id, r.evseId, r.idToken.idToken]),
    [[11, 1, 'TOKEN-1']],
  );
  // Without an EVSE the token goes to the EVSE reserved for it.
  const presented = await h.station.onAuthorizationPresented(TOKEN);
  assert.equal(presented.action, 'started');
  assert.equal(presented.evseId, 1);
  await nextStatus(h, 1, 'Available');
  h.station.onSessionStarted(1, 1);
  const started = await nextTx(h, (e) => e.eventType === 'Started');
  assert.equal(started.reservationId, 11, 'H01.FR.15: the transaction that uses the reservation names it');
  await settle(h);
  assert.deepEqual(h.station.reservations(), []);
  assert.deepEqual(reservationUpdates(h), [], 'a used reservation is not reported as ended');
  assert.equal(statusesOf(h, 2).includes('Reserved'), false, 'EVSE 2 was never reserved');
  assert.deepEqual(h.errors, []);
});

test('G01.FR.09 (errata), H03.FR.10: an EV connecting to a Reserved connector leaves it Reserved; the token makes it Occupied', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 12, evseId: 1 }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  h.station.onSessionStarted(1, 1);
  await settle(h);
  assert.equal(h.station.connectorStatus(1, 1), 'Reserved');
  assert.equal(last(h, 1), 'Reserved');
  const presented = await h.station.onAuthorizationPresented(TOKEN, 1);
  assert.equal(presented.action, 'started');
  await nextStatus(h, 1, 'Occupied');
  const started = await nextTx(h, (e) => e.eventType === 'Started');
  assert.equal(started.reservationId, 12);
  assert.deepEqual(h.errors, []);
});

test('H03.FR.01, F02.FR.23, F01.FR.22 (TC_H_02_CS): another token is refused on the reserved EVSE, locally and by RequestStartTransaction; it may use another EVSE', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 13, evseId: 1 }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  h.station.onSessionStarted(1, 1);
  await settle(h);
  const refused = await h.station.onAuthorizationPresented(OTHER_TOKEN, 1);
  assert.equal(refused.action, 'ignored');
  assert.match(refused.reason ?? '', /reserved/);
  const remote = (await h.csms.call(h.identity, 'RequestStartTransaction', {
    idToken: OTHER_TOKEN,
    remoteStartId: 1,
    evseId: 1,
  })) as RequestStartTransactionResponse;
  assert.equal(remote.status, 'Rejected');
  await settle(h);
  assert.equal(
    txEvents(h).some((e) => e.idToken?.idToken === OTHER_TOKEN.idToken),
    false,
    'no transaction event carries the other token',
  );
  assert.equal(h.station.connectorStatus(1, 1), 'Reserved');
  // Without an EVSE the other token gets the free one.
  const elsewhere = await h.station.onAuthorizationPresented(OTHER_TOKEN);
  assert.equal(elsewhere.action, 'started');
  assert.equal(elsewhere.evseId, 2);
  assert.equal(h.station.reservations().length, 1);
});

test('H01.FR.11 (TC_H_03_CS, TC_H_04_CS), H01.FR.12, H01.FR.14 (TC_H_06_CS): Occupied when reserved or charging, Faulted, Unavailable; Rejected for an unknown EVSE', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 21, evseId: 1 }), 'Accepted');
  assert.equal(await reserveNow(h, { id: 22, evseId: 1, idToken: OTHER_TOKEN }), 'Occupied');
  assert.equal(await cancelReservation(h, 21), 'Accepted');
  await startCharging(h, 1);
  assert.equal(await reserveNow(h, { id: 23, evseId: 1, idToken: OTHER_TOKEN }), 'Occupied');
  h.station.onFaulted(2, 1);
  await nextStatus(h, 2, 'Faulted');
  assert.equal(await reserveNow(h, { id: 24, evseId: 2 }), 'Faulted');
  h.station.onFaultCleared(2, 1);
  assert.equal(await changeAvailability(h, 2, false), 'Accepted');
  assert.equal(await reserveNow(h, { id: 25, evseId: 2 }), 'Unavailable');
  assert.equal(await reserveNow(h, { id: 26, evseId: 9 }), 'Rejected');
  assert.deepEqual(h.station.reservations(), []);
});

test('H01.FR.01 (TC_H_22_CS): ReservationCtrlr.Enabled false: Rejected', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const set = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [{ component: { name: 'ReservationCtrlr' }, variable: { name: 'Enabled' }, attributeValue: 'false' }],
  })) as SetVariablesResponse;
  assert.equal(set.setVariableResult[0]?.attributeStatus, 'Accepted');
  assert.equal(await reserveNow(h, { id: 31, evseId: 1 }), 'Rejected');
  assert.equal(await reserveNow(h, { id: 32 }), 'Rejected');
  await settle(h);
  assert.equal(statusesOf(h, 1).includes('Reserved'), false);
});

test('H01.FR.19 (TC_H_13_CS): ReservationCtrlr.NonEvseSpecific false: a reservation without evseId is Rejected (also by connector type)', async (t) => {
  const h = await startTxHarness({ set: ['ReservationCtrlr.NonEvseSpecific=false'] });
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 33 }), 'Rejected');
  assert.equal(await reserveNow(h, { id: 34, connectorType: 'sType2' }), 'Rejected');
  assert.equal(await reserveNow(h, { id: 35, evseId: 2 }), 'Accepted');
});

test('H01.FR.02 (TC_H_23_CS): a ReserveNow with the id of a reservation replaces it (token, EVSE)', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 41, evseId: 1 }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  assert.equal(await reserveNow(h, { id: 41, evseId: 1, idToken: OTHER_TOKEN }), 'Accepted');
  assert.deepEqual(
    h.station.reservations().map((r) => [r.id, r.idToken.idToken]),
    [[41, 'TOKEN-2']],
  );
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'ignored');
  // Moved to EVSE 2: EVSE 1 is free again.
  assert.equal(await reserveNow(h, { id: 41, evseId: 2, idToken: OTHER_TOKEN }), 'Accepted');
  await nextStatus(h, 2, 'Reserved');
  await nextStatus(h, 1, 'Available');
  assert.deepEqual(h.station.reservations().map((r) => r.evseId), [2]);
  const used = await h.station.onAuthorizationPresented(OTHER_TOKEN);
  assert.equal(used.evseId, 2);
  await nextStatus(h, 2, 'Available');
  assert.deepEqual(h.station.reservations(), []);
});

test('H04.FR.01/02/03 (TC_H_07_CS): at its expiryDateTime the reservation ends: StatusNotification Available, then ReservationStatusUpdate Expired; any driver may charge', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 51, evseId: 1, expiryDateTime: inSeconds(1.5) }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  const update = await nextReservationUpdate(h);
  assert.deepEqual(update, { reservationId: 51, reservationUpdateStatus: 'Expired' });
  const reservedAt = callIndex(h, 'StatusNotification', (p) => (p as { connectorStatus: string }).connectorStatus === 'Reserved');
  const availableAfter = h.csms.calls.findIndex(
    (c, i) =>
      i > reservedAt &&
      c.action === 'StatusNotification' &&
      (c.payload as { evseId: number }).evseId === 1 &&
      (c.payload as { connectorStatus: string }).connectorStatus === 'Available',
  );
  assert.ok(availableAfter > reservedAt, 'H04.FR.03: Available follows Reserved');
  assert.ok(availableAfter < callIndex(h, 'ReservationStatusUpdate'), 'H04 scenario: StatusNotification Available first');
  assert.deepEqual(h.station.reservations(), []);
  const other = await h.station.onAuthorizationPresented(OTHER_TOKEN, 1);
  assert.equal(other.action, 'started', 'H04.FR.02: charging is allowed again');
  assert.deepEqual(h.errors, []);
});

test('H02.FR.01/02/03/04 (TC_H_17_CS, TC_H_18_CS): CancelReservation: Accepted, the EVSE is Available, no ReservationStatusUpdate, the host is told; unknown id: Rejected', async (t) => {
  const cancelled: number[] = [];
  const h = await startTxHarness({
    station: { callbacks: { cancelReservationCallback: (id) => (cancelled.push(id), true) } },
  });
  t.after(() => h.close());
  assert.equal(await cancelReservation(h, 1), 'Rejected');
  assert.equal(await reserveNow(h, { id: 61, evseId: 2 }), 'Accepted');
  await nextStatus(h, 2, 'Reserved');
  assert.equal(await cancelReservation(h, 61), 'Accepted');
  await nextStatus(h, 2, 'Available');
  assert.equal(await cancelReservation(h, 61), 'Rejected');
  await settle(h);
  assert.deepEqual(reservationUpdates(h), []);
  assert.deepEqual(cancelled, [61]);
  assert.equal((await h.station.onAuthorizationPresented(OTHER_TOKEN, 2)).action, 'started', 'H02.FR.03');
});

test('H01.FR.17 (TC_H_21_CS): the reserved EVSE made Inoperative: Unavailable, then ReservationStatusUpdate Removed; Operative again: Available, not Reserved', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 71, evseId: 1 }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  assert.equal(await changeAvailability(h, 1, false), 'Accepted');
  await nextStatus(h, 1, 'Unavailable');
  assert.deepEqual(await nextReservationUpdate(h), { reservationId: 71, reservationUpdateStatus: 'Removed' });
  assert.ok(
    callIndex(h, 'StatusNotification', (p) => (p as { connectorStatus: string }).connectorStatus === 'Unavailable') <
      callIndex(h, 'ReservationStatusUpdate'),
  );
  assert.equal(await changeAvailability(h, 1, true), 'Accepted');
  await nextStatus(h, 1, 'Available');
  await settle(h);
  assert.deepEqual(h.station.reservations(), []);
  assert.equal(last(h, 1), 'Available');
});

test('H01.FR.16 (TC_H_20): the reserved EVSE faulted: Faulted, ReservationStatusUpdate Removed; the fault cleared: Available', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 72, evseId: 2 }), 'Accepted');
  await nextStatus(h, 2, 'Reserved');
  h.station.onFaulted(2, 1);
  await nextStatus(h, 2, 'Faulted');
  assert.deepEqual(await nextReservationUpdate(h), { reservationId: 72, reservationUpdateStatus: 'Removed' });
  h.station.onFaultCleared(2, 1);
  await nextStatus(h, 2, 'Available');
  assert.deepEqual(h.station.reservations(), []);
});

test('H01.FR.04/07/20, H01.FR.11 (TC_H_08_CS, TC_H_09_CS, TC_H_14_CS), H02.FR.05/06: reservations without evseId; as many as free EVSEs: all Reserved; one more: Occupied; a cancellation frees them', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 81 }), 'Accepted');
  await settle(h);
  assert.equal(h.station.connectorStatus(1, 1), 'Available', 'two EVSEs for one reservation: none reserved yet');
  assert.equal(h.station.connectorStatus(2, 1), 'Available');
  assert.equal(await reserveNow(h, { id: 82, idToken: OTHER_TOKEN }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  await nextStatus(h, 2, 'Reserved');
  assert.equal(await reserveNow(h, { id: 83, idToken: THIRD_TOKEN }), 'Occupied');
  assert.equal(await reserveNow(h, { id: 84, evseId: 1, idToken: THIRD_TOKEN }), 'Occupied', 'taking EVSE 1 would break one');
  assert.equal((await h.station.onAuthorizationPresented(THIRD_TOKEN)).action, 'rejected');
  assert.equal(await cancelReservation(h, 82), 'Accepted');
  await nextStatus(h, 1, 'Available');
  await nextStatus(h, 2, 'Available');
  assert.deepEqual(h.station.reservations().map((r) => [r.id, r.evseId]), [[81, null]]);
});

test('H01.FR.07, H03.FR.03/09, H01.FR.15 (TC_H_08_CS): a walk-in driver takes one EVSE; the last one is Reserved; the reserved token is routed there and its transaction names the reservation', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 91 }), 'Accepted');
  await startCharging(h, 1, OTHER_TOKEN);
  await nextStatus(h, 2, 'Reserved');
  assert.equal((await h.station.onAuthorizationPresented(THIRD_TOKEN, 2)).action, 'ignored', 'H01.FR.07');
  h.station.onSessionStarted(2, 1);
  const used = await h.station.onAuthorizationPresented(TOKEN);
  assert.equal(used.action, 'started');
  assert.equal(used.evseId, 2);
  const started = await nextTx(h, (e) => e.eventType === 'Started' && e.evse?.id === 2);
  assert.equal(started.reservationId, 91);
  await nextStatus(h, 2, 'Occupied');
  assert.deepEqual(h.station.reservations(), []);
});

test('H01.FR.06/09/24, H03.FR.02 (TC_H_15_CS, TC_H_16_CS): by connector type (Connector.ConnectorType): the only EVSE of that type is Reserved; a second: Occupied; an absent type: Rejected', async (t) => {
  const h = await startTxHarness({ set: ['Connector@2/1.ConnectorType=cCCS2'] });
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 101, connectorType: 'cCCS2' }), 'Accepted');
  await nextStatus(h, 2, 'Reserved');
  assert.equal(h.station.connectorStatus(1, 1), 'Available');
  assert.equal(await reserveNow(h, { id: 102, connectorType: 'cCCS2', idToken: OTHER_TOKEN }), 'Occupied');
  assert.equal(await reserveNow(h, { id: 103, connectorType: 'cType1' }), 'Rejected');
  assert.equal(await reserveNow(h, { id: 104, connectorType: 'sType2', idToken: OTHER_TOKEN }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  const used = await h.station.onAuthorizationPresented(TOKEN);
  assert.equal(used.evseId, 2, 'the token goes to an EVSE of its type');
  h.station.onSessionStarted(2, 1);
  const started = await nextTx(h, (e) => e.eventType === 'Started');
  assert.equal(started.reservationId, 101);
  assert.deepEqual(h.station.reservations().map((r) => r.id), [104]);
});

test('H03.FR.04/08 (TC_H_19_CS), H03.FR.06 (TC_H_24_CS): a token of the reservation\'s group (learnt from AuthorizeRequest) uses it', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  h.csms.onCall('Authorize', (call) => {
    const idToken = (call.payload as { idToken: IdTokenType }).idToken;
    return {
      idTokenInfo: { status: 'Accepted', ...(idToken.idToken === OTHER_TOKEN.idToken ? { groupIdToken: GROUP } : {}) },
    } satisfies AuthorizeResponse;
  });
  // The CSMS says the same in TransactionEventResponses (C10.FR.05: their idTokenInfo replaces the
  // cached one, so an answer without the group would make the cache forget it).
  h.csms.onCall('TransactionEvent', (call) => {
    const idToken = (call.payload as { idToken?: IdTokenType }).idToken;
    if (!idToken) return {};
    return {
      idTokenInfo: { status: 'Accepted', ...(idToken.idToken === OTHER_TOKEN.idToken ? { groupIdToken: GROUP } : {}) },
    };
  });
  assert.equal(await reserveNow(h, { id: 111, evseId: 1, groupIdToken: GROUP }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  assert.equal((await h.station.onAuthorizationPresented(THIRD_TOKEN, 1)).action, 'ignored', 'no group: refused');
  const used = await h.station.onAuthorizationPresented(OTHER_TOKEN, 1);
  assert.equal(used.action, 'started');
  await nextStatus(h, 1, 'Available');
  h.station.onSessionStarted(1, 1);
  const started = await nextTx(h, (e) => e.eventType === 'Started');
  assert.equal(started.reservationId, 111);
  // H03.FR.06: without evseId, by group too.
  assert.equal(await reserveNow(h, { id: 112, groupIdToken: GROUP }), 'Accepted');
  await nextStatus(h, 2, 'Reserved');
  const second = await h.station.onAuthorizationPresented({ ...OTHER_TOKEN }, 2);
  assert.equal(second.action, 'started');
  await nextStatus(h, 2, 'Available');
  assert.deepEqual(h.station.reservations(), []);
});

test('H03.FR.09 (errata: by RequestStartTransaction), F02.FR.23: a remote start of the reserved token on its EVSE uses the reservation', async (t) => {
  const h = await startTxHarness({ set: ['TxCtrlr.TxStartPoint=Authorized'] });
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 121, evseId: 2 }), 'Accepted');
  await nextStatus(h, 2, 'Reserved');
  const response = (await h.csms.call(h.identity, 'RequestStartTransaction', {
    idToken: TOKEN,
    remoteStartId: 5,
  })) as RequestStartTransactionResponse;
  assert.equal(response.status, 'Accepted');
  const started = await nextTx(h, (e) => e.eventType === 'Started');
  assert.equal(started.evse?.id, 2, 'without evseId the reserved EVSE is chosen');
  assert.equal(started.reservationId, 121);
  assert.equal(started.transactionInfo.remoteStartId, 5);
  await nextStatus(h, 2, 'Available');
  assert.deepEqual(h.station.reservations(), []);
});

test('H01.FR.12/14 (TC_H_12_CS): without evseId, every EVSE Unavailable: Unavailable; every EVSE faulted: Faulted', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  h.station.onFaulted(1, 1);
  h.station.onFaulted(2, 1);
  await nextStatus(h, 2, 'Faulted');
  assert.equal(await reserveNow(h, { id: 131 }), 'Faulted');
  h.station.onFaultCleared(1, 1);
  h.station.onFaultCleared(2, 1);
  assert.equal(await changeAvailability(h, 0, false), 'Accepted');
  assert.equal(await reserveNow(h, { id: 132 }), 'Unavailable');
  assert.equal(await reserveNow(h, { id: 133, evseId: 1 }), 'Unavailable');
});

test('docs/callbacks.md: reserveNowCallback is consulted once the station would accept; isReservationForTokenCallback decides who may use an EVSE', async (t) => {
  const asked: number[] = [];
  const h = await startTxHarness({
    station: {
      callbacks: {
        reserveNowCallback: (request) => (asked.push(request.id), request.id === 141 ? 'Rejected' : 'Accepted'),
        isReservationForTokenCallback: (evseId, idToken) =>
          evseId === 2 && idToken !== THIRD_TOKEN.idToken ? 'ReservedForOtherToken' : 'NotReserved',
      },
    },
  });
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 141, evseId: 1 }), 'Rejected');
  assert.deepEqual(h.station.reservations(), [], 'the host refused: nothing reserved');
  await startCharging(h, 1, OTHER_TOKEN);
  assert.equal(await reserveNow(h, { id: 142, evseId: 1 }), 'Occupied');
  assert.deepEqual(asked, [141], 'not asked when the station answers itself');
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 2)).action, 'ignored');
  assert.equal((await h.station.onAuthorizationPresented(THIRD_TOKEN, 2)).action, 'started');
});
