/**
 * G03/G04 and B12 while a transaction runs: ChangeAvailability Inoperative is Scheduled and applied
 * the moment the transaction ends, cable still in (TC_G_11/14/17); Reset OnIdle is Scheduled and
 * runs when the last transaction ended, booting with ScheduledReset (TC_B_21/41/26); Reset
 * Immediate ends the transactions (ResetCommand, ImmediateReset, stored before resetCallback) and
 * boots with RemoteReset (TC_B_22/27).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type {
  BootNotificationRequest,
  ChangeAvailabilityResponse,
  ResetResponse,
  StatusNotificationRequest,
  TransactionEventRequest,
} from '../../src/generated/ocpp-types.js';
import type { ReceivedCall } from '../../src/testing/index.js';
import { profile, type Harness } from './station-harness.js';
import {
  assertClean,
  assertTxSequence,
  CHARGING,
  holdTransactionEvents,
  OTHER_TOKEN,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txEvents,
  txHost,
} from './transactions-helpers.js';

const status = (call: ReceivedCall) => call.payload as StatusNotificationRequest;
const isStatus = (evseId: number, connectorStatus: string) => (call: ReceivedCall) =>
  status(call).evseId === evseId &&
  status(call).connectorId === 1 &&
  status(call).connectorStatus === connectorStatus;
const statusesOf = (h: Harness, evseId: number) =>
  h.csms.calls
    .filter((c) => c.action === 'StatusNotification' && status(c).evseId === evseId)
    .map((c) => status(c).connectorStatus);

/** `call` came after `first` at the CSMS. */
const later = (h: Harness, first: ReceivedCall, call: ReceivedCall) =>
  h.csms.calls.indexOf(call) > h.csms.calls.indexOf(first);

async function changeAvailability(h: Harness, payload: object): Promise<ChangeAvailabilityResponse> {
  return (await h.csms.call(h.identity, 'ChangeAvailability', payload)) as ChangeAvailabilityResponse;
}

/** The index in the CSMS's log of the first call matching, or -1. */
const callIndex = (h: Harness, predicate: (c: ReceivedCall) => boolean) => h.csms.calls.findIndex(predicate);
const endedIndex = (h: Harness, transactionId: string) =>
  callIndex(
    h,
    (c) =>
      c.action === 'TransactionEvent' &&
      (c.payload as TransactionEventRequest).eventType === 'Ended' &&
      (c.payload as TransactionEventRequest).transactionInfo.transactionId === transactionId,
  );

for (const [label, target, cases] of [
  ['EVSE', { evse: { id: 1 } }, 'G03.FR.05 (TC_G_11_CS)'],
  ['connector', { evse: { id: 1, connectorId: 1 } }, 'G03.FR.05 (TC_G_17_CS)'],
] as const) {
  test(`${cases}: ChangeAvailability Inoperative of the ${label} with a transaction is Scheduled, applied when the transaction ends (cable still in), kept over a reboot`, async (t) => {
    const h = await startTxHarness();
    t.after(() => h.close());
    const transactionId = await startCharging(h);
    assert.equal(
      (await changeAvailability(h, { operationalStatus: 'Inoperative', ...target })).status,
      'Scheduled',
    );
    await settle(h);
    assert.equal(h.station.connectorStatus(1, 1), 'Occupied', 'nothing changes while the transaction runs');
    assert.ok(!statusesOf(h, 1).includes('Unavailable'));
    // TxStopPoint EVConnected,Authorized: the stop token ends the transaction, the cable stays in.
    await h.station.onAuthorizationPresented(TOKEN, 1);
    const unavailable = await h.csms.waitForCall('StatusNotification', isStatus(1, 'Unavailable'));
    assert.ok(
      endedIndex(h, transactionId) >= 0 && endedIndex(h, transactionId) < h.csms.calls.indexOf(unavailable),
    );
    assert.equal(h.station.connectorStatus(1, 1), 'Unavailable');
    h.station.onSessionFinished(1, 1);
    await settle(h);
    assert.equal(h.station.connectorStatus(1, 1), 'Unavailable', 'the unplug does not make it Available');
    assert.equal(statusesOf(h, 1).at(-1), 'Unavailable');
    // G03.FR.07: persistent.
    await h.restart();
    const boot = await h.csms.waitForCall('BootNotification');
    await h.csms.waitForCall('StatusNotification', (c) => isStatus(1, 'Unavailable')(c) && later(h, boot, c));
    assert.equal(h.station.connectorStatus(1, 1), 'Unavailable');
    assertClean(h);
  });
}

test('G04.FR.06 (TC_G_14_CS): ChangeAvailability Inoperative of the station: Scheduled, the idle EVSE goes Unavailable at once, the busy one when its transaction ends', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  assert.equal((await changeAvailability(h, { operationalStatus: 'Inoperative' })).status, 'Scheduled');
  await h.csms.waitForCall('StatusNotification', isStatus(2, 'Unavailable'));
  await settle(h);
  assert.equal(h.station.connectorStatus(1, 1), 'Occupied');
  assert.equal(h.station.hasActiveTransaction(1), true);
  await h.station.onAuthorizationPresented(TOKEN, 1);
  const unavailable = await h.csms.waitForCall('StatusNotification', isStatus(1, 'Unavailable'));
  assert.ok(endedIndex(h, transactionId) < h.csms.calls.indexOf(unavailable));
  assertClean(h);
});

test('B12.FR.01/03, B01.FR.09 (TC_B_21_CS): Reset OnIdle during a transaction is Scheduled; the reset runs when it ended (cable still in); the boot says ScheduledReset and the connector is Occupied', async (t) => {
  const host = txHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  const response = (await h.csms.call(h.identity, 'Reset', { type: 'OnIdle' })) as ResetResponse;
  assert.equal(response.status, 'Scheduled');
  await settle(h);
  assert.equal(host.resets.items.length, 0, 'no reset while the transaction runs');
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await host.resets.waitFor(() => true, 'the scheduled reset');
  assert.deepEqual(host.resets.items, [{ evseId: undefined, type: 'OnIdle' }]);
  assert.ok(
    host.produced.items.some((p) => p.request.eventType === 'Ended'),
    'the transaction ended before the reset',
  );
  // The host reboots; the cable is still in.
  await h.restart();
  h.station.onSessionStarted(1, 1);
  const boot = await h.csms.waitForCall('BootNotification');
  assert.equal((boot.payload as BootNotificationRequest).reason, 'ScheduledReset');
  await h.csms.waitForCall('StatusNotification', (c) => isStatus(1, 'Occupied')(c) && later(h, boot, c));
  await settle(h);
  assertTxSequence(txEvents(h, transactionId), [
    ...CHARGING,
    {
      eventType: 'Ended',
      triggerReason: 'StopAuthorized',
      cs: 'EVConnected',
      idToken: 'optional',
      stoppedReason: 'Local',
    },
  ]);
  assert.equal(txEvents(h).length, 3, 'nothing more after the reboot');
  assertClean(h);
});

test('B12.FR.01 (TC_B_41_CS): Reset OnIdle with transactions on two EVSEs waits for the last one (TxStopPoint EVConnected: the unplug)', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['TxCtrlr.TxStopPoint=EVConnected'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  await startCharging(h, 1, TOKEN);
  await startCharging(h, 2, OTHER_TOKEN);
  assert.equal(
    ((await h.csms.call(h.identity, 'Reset', { type: 'OnIdle' })) as ResetResponse).status,
    'Scheduled',
  );
  await h.station.onAuthorizationPresented(TOKEN, 1);
  h.station.onSessionFinished(1, 1);
  await h.station.onAuthorizationPresented(OTHER_TOKEN, 2);
  await settle(h);
  assert.equal(h.station.hasActiveTransaction(1), false);
  assert.equal(h.station.hasActiveTransaction(2), true, 'EVSE 2 waits for its unplug');
  assert.equal(host.resets.items.length, 0);
  h.station.onSessionFinished(2, 1);
  await host.resets.waitFor(() => true, 'the scheduled reset');
  assert.deepEqual(host.resets.items, [{ evseId: undefined, type: 'OnIdle' }]);
  assert.equal(txEvents(h).filter((e) => e.eventType === 'Ended').length, 2);
  assertClean(h);
});

test('B12.FR.02/04/08, B01.FR.09 (TC_B_22_CS): Reset Immediate during a transaction: Ended ResetCommand ImmediateReset EVConnected without idToken, stored before resetCallback; the boot says RemoteReset and nothing more is sent for it', async (t) => {
  const h0: { h?: Harness } = {};
  const storedAtReset: boolean[] = [];
  const host = txHost({
    resetCallback: () => {
      const h = h0.h!;
      // Read the store through another connection: the Ended row is committed (or already answered).
      const db = new Database(h.dbPath, { readonly: true });
      try {
        const rows = db
          .prepare("SELECT payload_json FROM message_queue WHERE action = 'TransactionEvent'")
          .all() as Array<{ payload_json: string }>;
        const stored = rows.some(
          (r) => (JSON.parse(r.payload_json) as TransactionEventRequest).eventType === 'Ended',
        );
        const delivered = txEvents(h).some((e) => e.eventType === 'Ended');
        storedAtReset.push(stored || delivered);
      } finally {
        db.close();
      }
    },
  });
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  h0.h = h;
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  const response = (await h.csms.call(h.identity, 'Reset', { type: 'Immediate' })) as ResetResponse;
  assert.equal(response.status, 'Accepted');
  await host.resets.waitFor(() => true, 'resetCallback');
  assert.deepEqual(storedAtReset, [true], 'B12.FR.04: the Ended event was stored before resetCallback');
  // Power off at once, then boot again with the cable still in.
  await h.restart();
  h.station.onSessionStarted(1, 1);
  const boot = await h.csms.waitForCall('BootNotification');
  assert.equal((boot.payload as BootNotificationRequest).reason, 'RemoteReset');
  await h.csms.waitForCall('StatusNotification', (c) => isStatus(1, 'Occupied')(c) && later(h, boot, c));
  await h.csms.waitForCall(
    'TransactionEvent',
    (c) => (c.payload as TransactionEventRequest).eventType === 'Ended',
  );
  await settle(h);
  assertTxSequence(txEvents(h, transactionId), [
    ...CHARGING,
    { eventType: 'Ended', triggerReason: 'ResetCommand', cs: 'EVConnected', stoppedReason: 'ImmediateReset' },
  ]);
  assert.equal(txEvents(h).length, 3);
  assertClean(h);
});

test('B12.FR.04: Reset Immediate while the CSMS does not answer: resetCallback comes after one message timeout at most, the Ended event stored; the next run sends it again with the same message id', async (t) => {
  const h0: { h?: Harness } = {};
  const stored: boolean[] = [];
  const host = txHost({
    resetCallback: () => {
      const db = new Database(h0.h!.dbPath, { readonly: true });
      try {
        const rows = db
          .prepare("SELECT payload_json FROM message_queue WHERE action = 'TransactionEvent'")
          .all() as Array<{ payload_json: string }>;
        stored.push(
          rows.some((r) => (JSON.parse(r.payload_json) as TransactionEventRequest).eventType === 'Ended'),
        );
      } finally {
        db.close();
      }
    },
  });
  const h = await startTxHarness({
    // A message timeout of 1 s: the unanswered Ended times out quickly.
    profiles: (csms) => [profile(1, csms.url, { messageTimeout: 1 })],
    // E13: the retry after the reboot comes 1 s × attempts later.
    set: ['OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]=1'],
    station: { callbacks: host.callbacks },
  });
  h0.h = h;
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  const hold = holdTransactionEvents(h);
  assert.equal(
    ((await h.csms.call(h.identity, 'Reset', { type: 'Immediate' })) as ResetResponse).status,
    'Accepted',
  );
  await host.resets.waitFor(() => true, 'resetCallback');
  assert.deepEqual(stored, [true], 'the Ended event is in the store when the host resets');
  await h.restart();
  hold.release();
  await h.csms.waitForCall('BootNotification');
  const sent = h.csms.calls.filter(
    (c) => c.action === 'TransactionEvent' && (c.payload as TransactionEventRequest).eventType === 'Ended',
  );
  await h.csms.waitForCall(
    'TransactionEvent',
    (c) => (c.payload as TransactionEventRequest).eventType === 'Ended' && !sent.includes(c),
  );
  await settle(h);
  const ended = h.csms.calls.filter(
    (c) => c.action === 'TransactionEvent' && (c.payload as TransactionEventRequest).eventType === 'Ended',
  );
  assert.equal(ended.length, 2, 'sent once before the reset (not answered), once after');
  assert.equal(ended[0]!.messageId, ended[1]!.messageId, 'a retransmission of the same message');
  assert.deepEqual(ended[0]!.payload, ended[1]!.payload);
  assert.equal((ended[1]!.payload as TransactionEventRequest).transactionInfo.transactionId, transactionId);
  assertClean(h);
});

test("B12.FR.05/08 (TC_B_26_CS, TC_B_27_CS): EVSE reset OnIdle is Scheduled until its transaction ends; Immediate ends only that EVSE's transaction", async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['EVSE@1.AllowReset=true', 'EVSE@2.AllowReset=true'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  const tx1 = await startCharging(h, 1, TOKEN);
  const tx2 = await startCharging(h, 2, OTHER_TOKEN);
  // TC_B_26: OnIdle for EVSE 1.
  const scheduled = (await h.csms.call(h.identity, 'Reset', { type: 'OnIdle', evseId: 1 })) as ResetResponse;
  assert.equal(scheduled.status, 'Scheduled');
  await settle(h);
  assert.equal(host.resets.items.length, 0);
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await host.resets.waitFor(() => true, 'the EVSE reset');
  assert.deepEqual(host.resets.items, [{ evseId: 1, type: 'OnIdle' }]);
  assert.equal(h.station.hasActiveTransaction(2), true, 'EVSE 2 is not touched');
  // TC_B_27: Immediate for EVSE 2.
  const immediate = (await h.csms.call(h.identity, 'Reset', {
    type: 'Immediate',
    evseId: 2,
  })) as ResetResponse;
  assert.equal(immediate.status, 'Accepted');
  await host.resets.waitFor((r) => r.evseId === 2, 'the EVSE 2 reset');
  await settle(h);
  const ended2 = txEvents(h, tx2).at(-1)!;
  assert.equal(ended2.eventType, 'Ended');
  assert.equal(ended2.triggerReason, 'ResetCommand');
  assert.equal(ended2.transactionInfo.stoppedReason, 'ImmediateReset');
  assert.equal(ended2.transactionInfo.chargingState, 'EVConnected');
  assert.equal(ended2.idToken, undefined);
  assert.equal(txEvents(h, tx1).at(-1)?.triggerReason, 'StopAuthorized');
  // An EVSE reset is not a reboot.
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assertClean(h);
});

test('B01.FR.09, G03.FR.05: a power loss while a Reset OnIdle and an Inoperative wait for the transaction: the boot says PowerUp (no reset happened), the resumed transaction ends and the EVSE goes Unavailable then', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['InternalCtrlr.ResumeTransactionsOnBoot=true'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  assert.equal(
    ((await h.csms.call(h.identity, 'Reset', { type: 'OnIdle' })) as ResetResponse).status,
    'Scheduled',
  );
  assert.equal(
    (await changeAvailability(h, { operationalStatus: 'Inoperative', evse: { id: 1 } })).status,
    'Scheduled',
  );
  await settle(h);
  // The power goes off before the transaction ends.
  await h.restart();
  h.station.onSessionStarted(1, 1);
  h.station.onEnergyTransferStarted(1);
  const boot = await h.csms.waitForCall('BootNotification');
  assert.equal((boot.payload as BootNotificationRequest).reason, 'PowerUp');
  await settle(h);
  assert.equal(h.station.getTransactionId(1), transactionId);
  assert.equal(h.station.connectorStatus(1, 1), 'Occupied');
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await h.csms.waitForCall('StatusNotification', (c) => isStatus(1, 'Unavailable')(c) && later(h, boot, c));
  await settle(h);
  assert.equal(txEvents(h, transactionId).at(-1)?.eventType, 'Ended');
  assertClean(h);
});
