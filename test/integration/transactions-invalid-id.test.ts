/**
 * E05 / C15: the CSMS answers the TransactionEvent that carried the idToken with a non-Accepted
 * idTokenInfo (TC_E_16, TC_C_15/16/17/18): StopTxOnInvalidId true deauthorizes (Ended or Updated
 * as TxStopPoint says); false withholds energy at once (MaxEnergyOnInvalidId 0) or once
 * MaxEnergyOnInvalidId Wh were delivered since the start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TransactionEventRequest, TransactionEventResponse } from '../../src/generated/ocpp-types.js';
import type { Harness } from './station-harness.js';
import {
  assertClean,
  assertTxSequence,
  CHARGING,
  energyReading,
  holdTransactionEvents,
  settle,
  startTxHarness,
  TOKEN,
  txEvents,
  txHost,
  type TxHost,
} from './transactions-helpers.js';

/** The CSMS's verdict on the token in a TransactionEvent: Invalid (E05). */
const invalid = (request: TransactionEventRequest): TransactionEventResponse =>
  request.idToken ? { idTokenInfo: { status: 'Invalid' } } : {};

/** Plug, token, energy, while the CSMS holds its answers; then it answers the token Invalid. */
async function chargeThenInvalid(h: Harness): Promise<void> {
  const hold = holdTransactionEvents(h, invalid);
  h.station.onSessionStarted(1, 1);
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'started');
  h.station.onEnergyTransferStarted(1);
  hold.release();
  await settle(h);
}

const lastPermitted = (host: TxHost) => host.permitted.items.filter((p) => p.evseId === 1).at(-1)?.permitted;

test('E05.FR.09/10, E06.FR.04 (Deauthorized RS): StopTxOnInvalidId=true, TxStopPoint with Authorized: Ended Deauthorized DeAuthorized, energy stops', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['TxCtrlr.StopTxOnInvalidId=true'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  await chargeThenInvalid(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Ended', triggerReason: 'Deauthorized', cs: 'EVConnected', stoppedReason: 'DeAuthorized' },
  ]);
  assert.equal(lastPermitted(host), false);
  assert.equal(h.station.hasActiveTransaction(1), false);
  assertClean(h);
});

test('E05.FR.09 (Deauthorized RS): StopTxOnInvalidId=true, TxStopPoint=EVConnected: Updated Deauthorized, the unplug ends it with DeAuthorized', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['TxCtrlr.StopTxOnInvalidId=true', 'TxCtrlr.TxStopPoint=EVConnected'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  await chargeThenInvalid(h);
  assert.equal(lastPermitted(host), false);
  assert.equal(h.station.hasActiveTransaction(1), true);
  h.station.onSessionFinished(1, 1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Updated', triggerReason: 'Deauthorized', cs: 'EVConnected' },
    { eventType: 'Ended', triggerReason: 'EVCommunicationLost', cs: 'Idle', stoppedReason: 'DeAuthorized' },
  ]);
  assertClean(h);
});

test('E05.FR.02 (TC_C_17_CS): StopTxOnInvalidId=false, MaxEnergyOnInvalidId=0: Updated ChargingStateChanged SuspendedEVSE, no Deauthorized, the transaction stays open', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['TxCtrlr.StopTxOnInvalidId=false', 'TxCtrlr.MaxEnergyOnInvalidId=0'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  await chargeThenInvalid(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'SuspendedEVSE' },
  ]);
  assert.equal(lastPermitted(host), false, 'energy stops');
  assert.equal(h.station.hasActiveTransaction(1), true, 'the transaction is not ended');
  assertClean(h);
});

test('E05.FR.03 (TC_C_15_CS): StopTxOnInvalidId=false, MaxEnergyOnInvalidId=500: charging goes on until 500 Wh were delivered since the start, then SuspendedEVSE', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['TxCtrlr.StopTxOnInvalidId=false', 'TxCtrlr.MaxEnergyOnInvalidId=500'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  h.station.onMeterValue(1, energyReading(10_000));
  await chargeThenInvalid(h);
  assert.equal(txEvents(h).length, 2, 'TC_C_15: no Deauthorized and no SuspendedEVSE before the limit');
  assert.equal(lastPermitted(host), true);
  h.station.onMeterValue(1, energyReading(10_300));
  h.station.onMeterValue(1, energyReading(10_499));
  await settle(h);
  assert.equal(txEvents(h).length, 2, 'still below the limit');
  h.station.onMeterValue(1, energyReading(10_500));
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'SuspendedEVSE' },
  ]);
  assert.equal(lastPermitted(host), false);
  // More energy changes nothing more.
  h.station.onMeterValue(1, energyReading(10_800));
  await settle(h);
  assert.equal(txEvents(h).length, 3);
  assertClean(h);
});

test('E05 / C15 (TC_E_16_CS, TC_C_16_CS, TC_C_18_CS): a transaction started offline; after the reconnect the token is answered Invalid: Deauthorized, made online (offline=false), MaxEnergyOnInvalidId does not matter', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: [
      'OCPPCommCtrlr.RetryBackOffWaitMinimum=3',
      'AuthCtrlr.OfflineTxForUnknownIdEnabled=true',
      'TxCtrlr.StopTxOnInvalidId=true',
      'TxCtrlr.MaxEnergyOnInvalidId=500',
    ],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  h.csms.onCall('TransactionEvent', (call) => invalid(call.payload as TransactionEventRequest));
  await h.csms.disconnect(h.identity);
  await host.link.waitFor((up) => !up, 'the link to go down');
  const linkFrom = host.link.items.length;
  h.station.onSessionStarted(1, 1);
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'started');
  h.station.onEnergyTransferStarted(1);
  await host.link.waitFor((up) => up, 'the station to reconnect', { from: linkFrom });
  await settle(h);
  assertTxSequence(txEvents(h), [
    {
      eventType: 'Started',
      triggerReason: 'Authorized',
      cs: 'SuspendedEVSE',
      idToken: 'required',
      evse: { id: 1, connectorId: 1 },
      offline: true,
    },
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'Charging', offline: true },
    { eventType: 'Ended', triggerReason: 'Deauthorized', cs: 'EVConnected', stoppedReason: 'DeAuthorized' },
  ]);
  assert.equal(lastPermitted(host), false);
  assertClean(h);
});

test('E05: an Invalid idTokenInfo in the answer to an event without the authorizing token changes nothing', async (t) => {
  const host = txHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  // Accepted for the Started (it carries the token); Invalid for everything else.
  h.csms.onCall('TransactionEvent', (call) =>
    (call.payload as TransactionEventRequest).idToken
      ? { idTokenInfo: { status: 'Accepted' } }
      : { idTokenInfo: { status: 'Invalid' } },
  );
  h.station.onSessionStarted(1, 1);
  await h.station.onAuthorizationPresented(TOKEN, 1);
  h.station.onEnergyTransferStarted(1);
  await settle(h);
  assert.equal(txEvents(h).length, 2);
  assert.equal(lastPermitted(host), true);
  assert.equal(h.station.hasActiveTransaction(1), true);
  assertClean(h);
});
