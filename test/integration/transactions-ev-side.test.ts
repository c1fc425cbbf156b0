/**
 * E03/E06/E09/E10 and F02 timeouts (TC_E_17/20/22/24/25/26/27/39, TC_F_04): the cable pulled out of
 * the EV, the EV suspending with TxStopPoint EnergyTransfer, and EVConnectionTimeOut.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestStartTransactionResponse } from '../../src/generated/ocpp-types.js';
import {
  assertClean,
  assertTxSequence,
  CHARGING,
  nextTx,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txEvents,
  txHost,
} from './transactions-helpers.js';

test('E06.FR.07 (TC_E_22_CS errata): TxStopPoint=EnergyTransfer: the EV suspending ends the transaction with StoppedByEV', async (t) => {
  const h = await startTxHarness({ set: ['TxCtrlr.TxStopPoint=EnergyTransfer'] });
  t.after(() => h.close());
  await startCharging(h);
  h.station.onEvSuspended(1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    {
      eventType: 'Ended',
      triggerReason: 'ChargingStateChanged',
      cs: 'EVConnected',
      stoppedReason: 'StoppedByEV',
    },
  ]);
  assertClean(h);
});

test('E06.FR.02 (TC_E_20_CS): TxStopPoint=EVConnected, StopTxOnEVSideDisconnect=false: the cable pulled out of the EV ends it: EVCommunicationLost, Idle, EVDisconnected', async (t) => {
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStopPoint=EVConnected', 'TxCtrlr.StopTxOnEVSideDisconnect=false'],
  });
  t.after(() => h.close());
  await startCharging(h);
  h.station.onEvSuspended(1);
  h.station.onEvDisconnected(1, 1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'SuspendedEV' },
    { eventType: 'Ended', triggerReason: 'EVCommunicationLost', cs: 'Idle', stoppedReason: 'EVDisconnected' },
  ]);
  assertClean(h);
});

test('E09.FR.01/03 (TC_E_17_CS, TC_E_25_CS): StopTxOnEVSideDisconnect=true, UnlockOnEVSideDisconnect=false, TxStopPoint=Authorized: Ended EVDisconnected; the socket cable stays locked until the driver presents the token', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: [
      'TxCtrlr.TxStopPoint=Authorized',
      'TxCtrlr.StopTxOnEVSideDisconnect=true',
      'OCPPCommCtrlr.UnlockOnEVSideDisconnect=false',
    ],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  await startCharging(h);
  h.station.onEvDisconnected(1, 1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    {
      eventType: 'Ended',
      triggerReason: 'EVCommunicationLost',
      cs: 'Idle',
      stoppedReason: 'EVDisconnected',
    },
  ]);
  assert.equal(h.station.connectorStatus(1, 1), 'Occupied', 'the socket cable is still in');
  assert.deepEqual(host.unlocks.items, [], 'E09.FR.03: not unlocked by the disconnect');
  const presented = await h.station.onAuthorizationPresented(TOKEN, 1);
  assert.equal(presented.action, 'unlocked', 'no new session, no Authorize');
  await host.unlocks.waitFor(() => true, 'the unlock after the token');
  assert.deepEqual(host.unlocks.items, [{ evseId: 1, connectorId: 1 }]);
  assertClean(h);
});

test('E09.FR.02 (TC_E_24_CS): StopTxOnEVSideDisconnect=true, UnlockOnEVSideDisconnect=true: the cable is unlocked once at the EV-side disconnect', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: [
      'TxCtrlr.TxStopPoint=Authorized',
      'TxCtrlr.StopTxOnEVSideDisconnect=true',
      'OCPPCommCtrlr.UnlockOnEVSideDisconnect=true',
    ],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  await startCharging(h);
  h.station.onEvDisconnected(1, 1);
  await host.unlocks.waitFor(() => true, 'the unlock');
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Ended', triggerReason: 'EVCommunicationLost', cs: 'Idle', stoppedReason: 'EVDisconnected' },
  ]);
  assert.deepEqual(host.unlocks.items, [{ evseId: 1, connectorId: 1 }], 'one unlock');
  assertClean(h);
});

test('E10 (TC_E_26_CS): StopTxOnEVSideDisconnect=false, TxStopPoint=Authorized, socket cable: Updated EVCommunicationLost, the connector stays Occupied; re-plugged, charging resumes without a new authorization', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStopPoint=Authorized', 'TxCtrlr.StopTxOnEVSideDisconnect=false'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  h.station.onEvDisconnected(1, 1);
  await settle(h);
  assert.equal(h.station.connectorStatus(1, 1), 'Occupied');
  assert.deepEqual(host.unlocks.items, [], 'E10.FR.01: the socket cable stays locked');
  h.station.onSessionStarted(1, 1);
  h.station.onEnergyTransferStarted(1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Updated', triggerReason: 'EVCommunicationLost', cs: 'Idle' },
    // docs/transactions.md: authorized and connected, before the host reports energy: SuspendedEVSE.
    { eventType: 'Updated', triggerReason: 'CablePluggedIn', cs: 'SuspendedEVSE' },
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'Charging' },
  ]);
  assert.equal(h.station.getTransactionId(1), transactionId);
  assert.equal(h.csms.calls.filter((c) => c.action === 'Authorize').length, 1);
  assertClean(h);
});

test('E10.FR.02 (TC_E_27_CS): permanently attached cable not re-plugged within EVConnectionTimeOut: conn Available, then Ended EVConnectTimeout Timeout', async (t) => {
  const h = await startTxHarness({
    set: [
      'TxCtrlr.TxStopPoint=Authorized',
      'TxCtrlr.StopTxOnEVSideDisconnect=false',
      'TxCtrlr.EVConnectionTimeOut=1',
      'Connector@1/1.ConnectorType=cType2',
    ],
  });
  t.after(() => h.close());
  await startCharging(h);
  const before = h.csms.calls.length;
  h.station.onEvDisconnected(1, 1);
  await h.csms.waitForCall(
    'StatusNotification',
    (c) =>
      h.csms.calls.indexOf(c) >= before &&
      (c.payload as { connectorStatus: string }).connectorStatus === 'Available',
  );
  await nextTx(h, (e) => e.eventType === 'Ended', 4_000);
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Updated', triggerReason: 'EVCommunicationLost', cs: 'Idle' },
    { eventType: 'Ended', triggerReason: 'EVConnectTimeout', cs: 'Idle', stoppedReason: 'Timeout' },
  ]);
  assertClean(h);
});

test('E03.FR.05 (TC_E_39_CS, TC_E_05_CS): TxStartPoint=Authorized, no cable within EVConnectionTimeOut: Ended EVConnectTimeout Timeout; the EVSE takes a new authorization at once', async (t) => {
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStartPoint=Authorized', 'TxCtrlr.EVConnectionTimeOut=1'],
  });
  t.after(() => h.close());
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'started');
  const ended = await nextTx(h, (e) => e.eventType === 'Ended', 4_000);
  await settle(h);
  assertTxSequence(txEvents(h, ended.transactionInfo.transactionId), [
    { eventType: 'Started', triggerReason: 'Authorized', cs: 'Idle', idToken: 'required', evse: { id: 1 } },
    { eventType: 'Ended', triggerReason: 'EVConnectTimeout', cs: 'Idle', stoppedReason: 'Timeout' },
  ]);
  // TC_E_05 step 3/4: authorized again, then plugged and charging.
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'started');
  h.station.onSessionStarted(1, 1);
  h.station.onEnergyTransferStarted(1);
  await settle(h);
  const second = h.station.getTransactionId(1)!;
  assert.notEqual(second, ended.transactionInfo.transactionId);
  assertTxSequence(txEvents(h, second), [
    { eventType: 'Started', triggerReason: 'Authorized', cs: 'Idle', idToken: 'required', evse: { id: 1 } },
    {
      eventType: 'Updated',
      triggerReason: 'CablePluggedIn',
      // docs/transactions.md: TxStartPoint without PowerPathClosed: EVConnected until energy flows.
      cs: 'EVConnected',
      evse: { id: 1, connectorId: 1 },
    },
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'Charging' },
  ]);
  assertClean(h);
});

test('E03.FR.15 (TC_E_39_CS): TxStartPoint and TxStopPoint ParkingBayOccupancy: the timeout is an Updated, the drive-out ends it with Timeout', async (t) => {
  const h = await startTxHarness({
    set: [
      'TxCtrlr.TxStartPoint=ParkingBayOccupancy',
      'TxCtrlr.TxStopPoint=ParkingBayOccupancy',
      'TxCtrlr.EVConnectionTimeOut=1',
    ],
  });
  t.after(() => h.close());
  h.station.onParkingBayOccupied(1);
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await nextTx(h, (e) => e.triggerReason === 'EVConnectTimeout', 4_000);
  h.station.onParkingBayUnoccupied(1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    { eventType: 'Started', triggerReason: 'EVDetected', cs: 'Idle', evse: { id: 1 } },
    { eventType: 'Updated', triggerReason: 'Authorized', cs: 'Idle', idToken: 'required' },
    { eventType: 'Updated', triggerReason: 'EVConnectTimeout', cs: 'Idle' },
    { eventType: 'Ended', triggerReason: 'EVDeparted', cs: 'Idle', stoppedReason: 'Timeout' },
  ]);
  assertClean(h);
});

test('F02.FR.07 (TC_F_04_CS): remote start with TxStartPoint=Authorized and no cable within EVConnectionTimeOut: Ended EVConnectTimeout Timeout; a second remote start is Accepted', async (t) => {
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStartPoint=Authorized', 'TxCtrlr.EVConnectionTimeOut=1'],
  });
  t.after(() => h.close());
  const start = async (remoteStartId: number) =>
    (await h.csms.call(h.identity, 'RequestStartTransaction', {
      idToken: TOKEN,
      evseId: 1,
      remoteStartId,
    })) as RequestStartTransactionResponse;
  assert.equal((await start(1)).status, 'Accepted');
  const ended = await nextTx(h, (e) => e.eventType === 'Ended', 4_000);
  await settle(h);
  assertTxSequence(txEvents(h, ended.transactionInfo.transactionId), [
    {
      eventType: 'Started',
      triggerReason: 'RemoteStart',
      remoteStartId: 1,
      cs: 'Idle',
      idToken: 'required',
      evse: { id: 1 },
    },
    { eventType: 'Ended', triggerReason: 'EVConnectTimeout', cs: 'Idle', stoppedReason: 'Timeout' },
  ]);
  assert.equal((await start(2)).status, 'Accepted');
  const again = await nextTx(h, (e) => e.eventType === 'Started' && e.transactionInfo.remoteStartId === 2);
  assert.notEqual(again.transactionInfo.transactionId, ended.transactionInfo.transactionId);
  assert.equal(again.triggerReason, 'RemoteStart');
  assertClean(h);
});
