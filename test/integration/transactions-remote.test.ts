/**
 * F01–F03, F05, F06 with transactions (TC_F_01–14, TC_E_13/21): RequestStartTransaction with and
 * without evseId, cable first and remote first, AuthorizeRemoteStart, its rejections;
 * RequestStopTransaction; UnlockConnector; TriggerMessage MeterValues and TransactionEvent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ChangeAvailabilityResponse,
  MeterValuesRequest,
  RequestStartTransactionRequest,
  RequestStartTransactionResponse,
  RequestStopTransactionResponse,
  TriggerMessageResponse,
  UnlockConnectorResponse,
} from '../../src/generated/ocpp-types.js';
import type { Harness } from './station-harness.js';
import {
  assertClean,
  assertTxSequence,
  CHARGING,
  energyReading,
  meterContexts,
  nextTx,
  OTHER_TOKEN,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txEvents,
  txHost,
} from './transactions-helpers.js';

async function requestStart(
  h: Harness,
  request: Omit<RequestStartTransactionRequest, 'idToken'> & {
    idToken?: RequestStartTransactionRequest['idToken'];
  },
): Promise<RequestStartTransactionResponse> {
  return (await h.csms.call(h.identity, 'RequestStartTransaction', {
    idToken: TOKEN,
    ...request,
  })) as RequestStartTransactionResponse;
}

async function requestStop(h: Harness, transactionId: string): Promise<RequestStopTransactionResponse> {
  return (await h.csms.call(h.identity, 'RequestStopTransaction', {
    transactionId,
  })) as RequestStopTransactionResponse;
}

const authorizeCount = (h: Harness) => h.csms.calls.filter((c) => c.action === 'Authorize').length;

test('F01.FR.01/19, F02.FR.01 (TC_F_02_CS, TC_E_21_CS): remote start first, AuthorizeRemoteStart=true, TxStartPoint=EVConnected: Authorize, then the Started at plug-in is RemoteStart; RequestStop ends it with Remote', async (t) => {
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStartPoint=EVConnected', 'AuthCtrlr.AuthorizeRemoteStart=true'],
  });
  t.after(() => h.close());
  const response = await requestStart(h, { evseId: 1, remoteStartId: 42 });
  assert.deepEqual(response, { status: 'Accepted' }, 'no transaction runs yet: no transactionId');
  const authorize = await h.csms.waitForCall('Authorize');
  assert.deepEqual((authorize.payload as { idToken: unknown }).idToken, TOKEN);
  await settle(h);
  assert.equal(txEvents(h).length, 0, 'TxStartPoint EVConnected: nothing before the plug');
  h.station.onSessionStarted(1, 1);
  await settle(h);
  h.station.onEnergyTransferStarted(1);
  await settle(h);
  const transactionId = h.station.getTransactionId(1)!;
  assert.deepEqual(await requestStop(h, transactionId), { status: 'Accepted' });
  await settle(h);
  assertTxSequence(txEvents(h), [
    {
      eventType: 'Started',
      triggerReason: 'RemoteStart',
      remoteStartId: 42,
      // docs/transactions.md: authorized and connected, nothing flows yet: EVConnected.
      cs: 'EVConnected',
      idToken: 'required',
      evse: { id: 1, connectorId: 1 },
    },
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'Charging' },
    // E_21: one event, RemoteStop, Ended, Remote (TxStopPoint holds Authorized).
    { eventType: 'Ended', triggerReason: 'RemoteStop', cs: 'EVConnected', stoppedReason: 'Remote' },
  ]);
  assert.equal(authorizeCount(h), 1);
  assertClean(h);
});

test('F01.FR.02/19 (TC_F_03_CS, TC_E_13_CS): remote start, AuthorizeRemoteStart=false, TxStartPoint=Authorized: no Authorize, Started RemoteStart at once; the plug follows as an Updated with evse', async (t) => {
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStartPoint=Authorized', 'AuthCtrlr.AuthorizeRemoteStart=false'],
  });
  t.after(() => h.close());
  assert.deepEqual(await requestStart(h, { evseId: 1, remoteStartId: 7 }), { status: 'Accepted' });
  await nextTx(h, (e) => e.eventType === 'Started');
  h.station.onSessionStarted(1, 1);
  h.station.onEnergyTransferStarted(1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    {
      eventType: 'Started',
      triggerReason: 'RemoteStart',
      remoteStartId: 7,
      cs: 'Idle',
      idToken: 'required',
      evse: { id: 1 },
    },
    {
      eventType: 'Updated',
      triggerReason: 'CablePluggedIn',
      cs: 'EVConnected',
      evse: { id: 1, connectorId: 1 },
    },
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'Charging' },
  ]);
  assert.equal(authorizeCount(h), 0, 'F01.FR.02: no AuthorizeRequest');
  assertClean(h);
});

test('F01.FR.13 (TC_F_01_CS): cable first with TxStartPoint=EVConnected: the response names the running transaction, the next event is Updated RemoteStart', async (t) => {
  const h = await startTxHarness({ set: ['TxCtrlr.TxStartPoint=EVConnected'] });
  t.after(() => h.close());
  h.station.onSessionStarted(1, 1);
  const started = await nextTx(h, (e) => e.eventType === 'Started');
  const transactionId = started.transactionInfo.transactionId;
  const response = await requestStart(h, { evseId: 1, remoteStartId: 3 });
  assert.deepEqual(response, { status: 'Accepted', transactionId });
  await settle(h);
  h.station.onEnergyTransferStarted(1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    {
      eventType: 'Started',
      triggerReason: 'CablePluggedIn',
      cs: 'EVConnected',
      evse: { id: 1, connectorId: 1 },
    },
    {
      eventType: 'Updated',
      triggerReason: 'RemoteStart',
      remoteStartId: 3,
      cs: 'EVConnected',
      idToken: 'required',
    },
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'Charging' },
  ]);
  assert.equal(authorizeCount(h), 1, 'AuthorizeRemoteStart defaults to true in the example configuration');
  assertClean(h);
});

test('F01.FR.20: without evseId the EVSE whose EV waits is chosen (cable first on EVSE 2, TxStartPoint PowerPathClosed)', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  h.station.onSessionStarted(2, 1);
  await settle(h);
  assert.equal(txEvents(h).length, 0);
  assert.deepEqual(await requestStart(h, { remoteStartId: 11 }), { status: 'Accepted' });
  await settle(h);
  assertTxSequence(
    txEvents(h),
    [
      {
        eventType: 'Started',
        triggerReason: 'RemoteStart',
        remoteStartId: 11,
        cs: 'SuspendedEVSE',
        idToken: 'required',
        evse: { id: 2, connectorId: 1 },
      },
    ],
    { evseId: 2 },
  );
  assert.equal(h.station.hasActiveTransaction(1), false);
  assert.equal(h.station.hasActiveTransaction(2), true);
  assertClean(h);
});

test('F01.FR.23/24: RequestStartTransaction is Rejected for an unknown EVSE, an Inoperative EVSE and an EVSE with an authorized transaction; nothing is sent for them', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const unknown = await requestStart(h, { evseId: 9, remoteStartId: 1 });
  assert.equal(unknown.status, 'Rejected');
  assert.equal(unknown.statusInfo?.reasonCode, 'UnknownEvse');
  const availability = (await h.csms.call(h.identity, 'ChangeAvailability', {
    operationalStatus: 'Inoperative',
    evse: { id: 2 },
  })) as ChangeAvailabilityResponse;
  assert.equal(availability.status, 'Accepted');
  await h.csms.waitForCall(
    'StatusNotification',
    (c) =>
      (c.payload as { evseId: number; connectorStatus: string }).evseId === 2 &&
      (c.payload as { connectorStatus: string }).connectorStatus === 'Unavailable',
  );
  const unavailable = await requestStart(h, { evseId: 2, remoteStartId: 2 });
  assert.equal(unavailable.status, 'Rejected');
  assert.equal(unavailable.statusInfo?.reasonCode, 'UnavailableEvse');
  const transactionId = await startCharging(h, 1);
  const before = txEvents(h).length;
  const busy = await requestStart(h, { evseId: 1, remoteStartId: 3, idToken: OTHER_TOKEN });
  assert.equal(busy.status, 'Rejected');
  assert.equal(busy.statusInfo?.reasonCode, 'TxInProgress');
  assert.equal(busy.transactionId, undefined);
  await settle(h);
  assert.equal(txEvents(h).length, before, 'no TransactionEvent for a rejected request');
  assert.equal(authorizeCount(h), 1, 'only the local presentation was authorized');
  assert.equal(h.station.getTransactionId(1), transactionId);
  assertClean(h);
});

test('F03.FR.08 (TC_F_09_CS): RequestStopTransaction for a transaction the station does not have is Rejected', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  const response = await requestStop(h, 'not-a-transaction');
  assert.equal(response.status, 'Rejected');
  await settle(h);
  assert.equal(txEvents(h).length, 2, 'no event for the rejected stop');
  assert.equal(h.station.getTransactionId(1), transactionId);
  assertClean(h);
});

test('F03.FR.02/07 (TC_F_08_CS, TC_E_14_CS errata): with TxStopPoint=EVConnected a remote stop is Updated RemoteStop, energy stops, the unplug ends it with Remote', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStopPoint=EVConnected'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  assert.equal(host.permitted.items.at(-1)?.permitted, true);
  assert.deepEqual(await requestStop(h, transactionId), { status: 'Accepted' });
  await settle(h);
  assert.equal(host.permitted.items.at(-1)?.permitted, false, 'F03.FR.02: energy delivery stops');
  assert.equal(h.station.getTransactionId(1), transactionId, 'the transaction goes on until the unplug');
  h.station.onSessionFinished(1, 1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Updated', triggerReason: 'RemoteStop', cs: 'EVConnected' },
    { eventType: 'Ended', triggerReason: 'EVCommunicationLost', cs: 'Idle', stoppedReason: 'Remote' },
  ]);
  assertClean(h);
});

test('F05.FR.02/03/04/06 (TC_F_05/06/07/10_CS): UnlockConnector during an authorized transaction, with a cable and no transaction, with no cable, unknown connector', async (t) => {
  const host = txHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  const unlock = async (evseId: number, connectorId: number) =>
    ((await h.csms.call(h.identity, 'UnlockConnector', { evseId, connectorId })) as UnlockConnectorResponse)
      .status;
  await startCharging(h, 1);
  assert.equal(await unlock(1, 1), 'OngoingAuthorizedTransaction', 'TC_F_05');
  assert.equal(host.unlocks.items.length, 0, 'nothing is unlocked during an authorized transaction');
  // EVSE 2: cable in, no transaction (PowerPathClosed needs an authorization).
  h.station.onSessionStarted(2, 1);
  assert.equal(await unlock(2, 1), 'Unlocked', 'TC_F_06');
  assert.deepEqual(host.unlocks.items, [{ evseId: 2, connectorId: 1 }]);
  h.station.onSessionFinished(2, 1);
  assert.equal(await unlock(2, 1), 'Unlocked', 'TC_F_07: no cable');
  assert.equal(await unlock(1, 999), 'UnknownConnector', 'TC_F_10');
  assert.equal(await unlock(9, 1), 'UnknownConnector');
  await settle(h);
  assert.equal(txEvents(h).length, 2, 'the transaction on EVSE 1 was not touched');
  assertClean(h);
});

test('F06.FR.06 (TC_F_11_CS, TC_F_12_CS): TriggerMessage MeterValues for one EVSE and for all: MeterValuesRequest per EVSE with context Trigger', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  h.station.onMeterValue(1, energyReading(1_000));
  h.station.onMeterValue(2, energyReading(2_000));
  const one = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'MeterValues',
    evse: { id: 1 },
  })) as TriggerMessageResponse;
  assert.equal(one.status, 'Accepted');
  const first = (await h.csms.waitForCall('MeterValues')).payload as MeterValuesRequest;
  assert.equal(first.evseId, 1);
  assert.equal(first.meterValue[0].sampledValue[0].context, 'Trigger');
  assert.equal(first.meterValue[0].sampledValue[0].value, 1_000);
  const all = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'MeterValues',
  })) as TriggerMessageResponse;
  assert.equal(all.status, 'Accepted');
  const a = (await h.csms.waitForCall('MeterValues')).payload as MeterValuesRequest;
  const b = (await h.csms.waitForCall('MeterValues')).payload as MeterValuesRequest;
  assert.deepEqual([a.evseId, b.evseId].sort(), [1, 2]);
  for (const m of [a, b]) assert.equal(m.meterValue[0].sampledValue[0].context, 'Trigger');
  await settle(h);
  assert.equal(h.csms.calls.filter((c) => c.action === 'MeterValues').length, 3);
  assertClean(h);
});

test('F06.FR.07 (TC_F_13_CS, TC_F_14_CS): TriggerMessage TransactionEvent for one EVSE and for all: Updated Trigger with evse, Charging and Trigger meter values', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const none = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'TransactionEvent',
  })) as TriggerMessageResponse;
  assert.equal(none.status, 'Rejected', 'no transaction runs');
  h.station.onMeterValue(1, energyReading(1_000));
  h.station.onMeterValue(2, energyReading(2_000));
  const tx1 = await startCharging(h, 1, TOKEN);
  const tx2 = await startCharging(h, 2, OTHER_TOKEN);
  const one = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'TransactionEvent',
    evse: { id: 1 },
  })) as TriggerMessageResponse;
  assert.equal(one.status, 'Accepted');
  const triggered = await nextTx(h, (e) => e.triggerReason === 'Trigger');
  assert.equal(triggered.transactionInfo.transactionId, tx1);
  await settle(h);
  const all = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'TransactionEvent',
  })) as TriggerMessageResponse;
  assert.equal(all.status, 'Accepted');
  await settle(h);
  const triggers = txEvents(h).filter((e) => e.triggerReason === 'Trigger');
  assert.equal(triggers.length, 3, 'one for EVSE 1, then one per EVSE');
  const target = (e: (typeof triggers)[number]) => [e.transactionInfo.transactionId, e.evse?.id];
  assert.deepEqual(target(triggers[0]!), [tx1, 1]);
  assert.deepEqual(
    triggers
      .slice(1)
      .map(target)
      .sort((x, y) => Number(x[1]) - Number(y[1])),
    [
      [tx1, 1],
      [tx2, 2],
    ],
  );
  for (const e of triggers) {
    assert.equal(e.eventType, 'Updated');
    assert.equal(e.transactionInfo.chargingState, 'Charging');
    assert.equal(e.idToken, undefined);
    assert.ok(
      meterContexts(e).length > 0 && meterContexts(e).every((c) => c === 'Trigger'),
      'Trigger meter values',
    );
  }
  // seqNo stays contiguous per transaction with the triggered events in it.
  for (const id of [tx1, tx2]) txEvents(h, id).forEach((e, i) => assert.equal(e.seqNo, i));
  assertClean(h);
});

test('F01.FR.01/03: remote start with AuthorizeRemoteStart=true and the token Invalid in the AuthorizeResponse: no transaction starts, nothing is sent', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStartPoint=Authorized', 'AuthCtrlr.AuthorizeRemoteStart=true'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  h.csms.onCall('Authorize', () => ({ idTokenInfo: { status: 'Invalid' } }));
  assert.equal((await requestStart(h, { evseId: 1, remoteStartId: 5 })).status, 'Accepted');
  await h.csms.waitForCall('Authorize');
  await settle(h);
  assert.equal(txEvents(h).length, 0);
  assert.equal(h.station.hasActiveTransaction(1), false);
  assert.equal(h.station.station.openSession(1), undefined, 'no session is left open');
  assert.ok(!host.permitted.items.some((p) => p.permitted));
  // The EVSE is free for the next one.
  h.csms.onCall('Authorize', () => ({ idTokenInfo: { status: 'Accepted' } }));
  assert.equal((await requestStart(h, { evseId: 1, remoteStartId: 6 })).status, 'Accepted');
  const started = await nextTx(h, (e) => e.eventType === 'Started');
  assert.equal(started.transactionInfo.remoteStartId, 6);
  assertClean(h);
});

test('C05.FR.01: a remote start with a Central idToken sends no AuthorizeRequest even with AuthorizeRemoteStart=true; the transaction starts', async (t) => {
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStartPoint=Authorized', 'AuthCtrlr.AuthorizeRemoteStart=true'],
  });
  t.after(() => h.close());
  const central = { idToken: 'CSMS-ACCOUNT-7', type: 'Central' as const };
  const response = await requestStart(h, { evseId: 1, remoteStartId: 7, idToken: central });
  assert.equal(response.status, 'Accepted');
  const started = await nextTx(h, (e) => e.eventType === 'Started');
  assert.deepEqual(started.idToken, central);
  assert.equal(started.triggerReason, 'RemoteStart');
  await settle(h);
  assert.equal(authorizeCount(h), 0);
});
