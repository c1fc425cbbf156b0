/**
 * E04/E11/E12 offline transactions and E14 GetTransactionStatus (TC_E_28–34, TC_E_40, TC_E_43/44):
 * events created while the websocket is down carry offline=true, are queued durably and are sent
 * in seqNo order after the reconnect; GetTransactionStatus right after the reconnect sees them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  GetTransactionStatusResponse,
  TransactionEventRequest,
} from '../../src/generated/ocpp-types.js';
import type { Harness } from './station-harness.js';
import {
  assertClean,
  assertTxSequence,
  CHARGING,
  describeTx,
  goOffline,
  holdTransactionEvents,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txEvents,
  txHost,
} from './transactions-helpers.js';

async function transactionStatus(h: Harness, transactionId?: string): Promise<GetTransactionStatusResponse> {
  return (await h.csms.call(
    h.identity,
    'GetTransactionStatus',
    transactionId === undefined ? {} : { transactionId },
  )) as GetTransactionStatusResponse;
}


test('E14.FR.01/06/07 (TC_E_28_CS, TC_E_34_CS): GetTransactionStatus for an unknown transaction and without one, nothing queued', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.deepEqual(await transactionStatus(h, 'no-such-transaction'), {
    ongoingIndicator: false,
    messagesInQueue: false,
  });
  // E14.FR.06: without a transactionId the ongoingIndicator is left out.
  assert.deepEqual(await transactionStatus(h), { messagesInQueue: false });
  assertClean(h);
});

test('E14.FR.02/03/05 (TC_E_30_CS, TC_E_32_CS): a running transaction with everything answered, then ended', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  assert.deepEqual(await transactionStatus(h, transactionId), {
    ongoingIndicator: true,
    messagesInQueue: false,
  });
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await settle(h);
  assert.equal(txEvents(h).at(-1)?.eventType, 'Ended');
  assert.deepEqual(await transactionStatus(h, transactionId), {
    ongoingIndicator: false,
    messagesInQueue: false,
  });
  assertClean(h);
});

test('E11.FR.02/E04.FR.03, E14.FR.04/07 (TC_E_29_CS, TC_E_33_CS, TC_E_40_CS): periodic events made offline are queued with offline=true, GetTransactionStatus right after the reconnect sees them, they arrive in seqNo order', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['SampledDataCtrlr.TxUpdatedInterval=1'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  h.station.onMeterValue(1, { timestamp: new Date().toISOString(), sampledValue: [{ value: 500 }] });
  const transactionId = await startCharging(h);
  // One periodic event online, then the link goes down.
  await host.produced.waitFor(
    (p) => p.request.triggerReason === 'MeterValuePeriodic',
    'a periodic event online',
  );
  await goOffline(h, host);
  const linkFrom = host.link.items.length;
  const offlineFrom = host.produced.items.length;
  // Two periodic events are made while offline (E_29/E_40: they keep being generated and queued).
  await host.produced.waitFor(
    (p) =>
      p.request.triggerReason === 'MeterValuePeriodic' && host.produced.items.indexOf(p) >= offlineFrom + 1,
    'two periodic events while offline',
    { from: offlineFrom },
  );
  // The CSMS answers no TransactionEvent until it has asked for the status.
  const hold = holdTransactionEvents(h);
  h.station.connectWebsocket();
  await h.csms.waitForClient(h.identity);
  // TC_E_29: immediately on reconnect; TC_E_33: without transactionId the ongoingIndicator is absent.
  assert.deepEqual(await transactionStatus(h, transactionId), {
    ongoingIndicator: true,
    messagesInQueue: true,
  });
  assert.deepEqual(await transactionStatus(h), { messagesInQueue: true });
  hold.release();
  // The driver stops online; then everything the station produced must have arrived, as produced.
  await host.link.waitFor((up) => up, 'the link to come back', { from: linkFrom });
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await settle(h);

  const produced = host.produced.items.map((p) => p.request);
  const received = txEvents(h, transactionId);
  assert.deepEqual(received, produced, 'the CSMS received each event as it was stored, in order');
  received.forEach((e, i) => assert.equal(e.seqNo, i, `seqNo ${i}\n${describeTx(received)}`));
  assert.equal(received.at(-1)?.eventType, 'Ended');
  // offline=true exactly for the events made while the host saw the link down.
  for (const { request, linkUp } of host.produced.items) {
    assert.equal(
      request.offline ?? false,
      !linkUp,
      `offline flag of seqNo ${request.seqNo}\n${describeTx(received)}`,
    );
  }
  const offline = received.filter((e) => e.offline);
  assert.ok(offline.length >= 2, 'at least two events were made offline');
  for (const e of offline) {
    assert.equal(e.eventType, 'Updated');
    assert.equal(e.triggerReason, 'MeterValuePeriodic');
    assert.ok(e.meterValue && e.meterValue.length > 0, 'TC_E_40: meterValue present');
  }
  assertClean(h);
});

test('E12/E14.FR.05 (TC_E_31_CS, TC_E_44_CS): a transaction stopped while offline: GetTransactionStatus says ended with messages queued; the flush has every offline event', async (t) => {
  const host = txHost();
  // TxStopPoint EVConnected: the stop token is an Updated, the unplug ends it (two offline events).
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStopPoint=EVConnected'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  await goOffline(h, host);
  const linkFrom = host.link.items.length;
  // E07.FR.01: the same token ends the authorization offline, without asking anyone.
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'stopped');
  h.station.onSessionFinished(1, 1);
  await host.produced.waitFor((p) => p.request.eventType === 'Ended', 'the Ended event (offline)');
  const hold = holdTransactionEvents(h);
  h.station.connectWebsocket();
  await h.csms.waitForClient(h.identity);
  assert.deepEqual(await transactionStatus(h, transactionId), {
    ongoingIndicator: false,
    messagesInQueue: true,
  });
  hold.release();
  await host.link.waitFor((up) => up, 'the link to come back', { from: linkFrom });
  await settle(h);
  assertTxSequence(txEvents(h, transactionId), [
    ...CHARGING,
    {
      eventType: 'Updated',
      triggerReason: 'StopAuthorized',
      cs: 'EVConnected',
      idToken: 'optional',
      offline: true,
    },
    {
      eventType: 'Ended',
      triggerReason: 'EVCommunicationLost',
      cs: 'Idle',
      stoppedReason: 'Local',
      offline: true,
    },
  ]);
  // TC_E_32: all answered now.
  assert.deepEqual(await transactionStatus(h, transactionId), {
    ongoingIndicator: false,
    messagesInQueue: false,
  });
  assertClean(h);
});

test('E04/E11 (TC_E_43_CS): a transaction entirely offline after the CSMS closed the connection: all its events offline=true, one Started, one Ended, sent in order on reconnect', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    // Long enough a back-off that the whole session happens before the station reconnects.
    set: ['OCPPCommCtrlr.RetryBackOffWaitMinimum=3', 'AuthCtrlr.OfflineTxForUnknownIdEnabled=true'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  await h.csms.disconnect(h.identity);
  await host.link.waitFor((up) => !up, 'the link to go down');
  const linkFrom = host.link.items.length;
  h.station.onSessionStarted(1, 1);
  // C15.FR.01: offline, an unknown token is allowed (OfflineTxForUnknownIdEnabled).
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'started');
  h.station.onEnergyTransferStarted(1);
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'stopped');
  h.station.onSessionFinished(1, 1);
  assert.ok(
    host.produced.items.every((p) => !p.linkUp),
    'the session happened while the link was down',
  );
  await host.link.waitFor((up) => up, 'the station to reconnect', { from: linkFrom });
  await settle(h);
  const events: TransactionEventRequest[] = txEvents(h);
  assertTxSequence(events, [
    {
      eventType: 'Started',
      triggerReason: 'Authorized',
      cs: 'SuspendedEVSE',
      idToken: 'required',
      evse: { id: 1, connectorId: 1 },
      offline: true,
    },
    { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'Charging', offline: true },
    {
      eventType: 'Ended',
      triggerReason: 'StopAuthorized',
      cs: 'EVConnected',
      idToken: 'optional',
      stoppedReason: 'Local',
      offline: true,
    },
  ]);
  // No AuthorizeRequest was possible (offline); none is sent afterwards for it either.
  assert.equal(h.csms.calls.filter((c) => c.action === 'Authorize').length, 0);
  assertClean(h);
});
