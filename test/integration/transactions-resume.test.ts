/**
 * A restart of the station on the same database in the middle of a transaction (power loss, docs/
 * transactions.md "Durability and power loss"): with InternalCtrlr.ResumeTransactionsOnBoot the
 * transaction goes on with the same transactionId and the next seqNo (no gap, no repeat), its
 * periodic timer re-armed; without it the transaction ends at boot (AbnormalCondition, PowerLoss).
 * A session that never became a transaction is dropped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootNotificationRequest, TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import {
  assertClean,
  assertTxSequence,
  CHARGING,
  describeTx,
  energyReading,
  nextTx,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txEvents,
  txEventsOnce,
} from './transactions-helpers.js';

test('ResumeTransactionsOnBoot=true: after a restart the transaction goes on: same transactionId, next seqNo, no new Started, the driver stops it with the same token', async (t) => {
  const h = await startTxHarness({ set: ['InternalCtrlr.ResumeTransactionsOnBoot=true'] });
  t.after(() => h.close());
  h.station.onMeterValue(1, energyReading(1_000));
  const transactionId = await startCharging(h);
  await h.restart();
  const boot = await h.csms.waitForCall('BootNotification');
  assert.equal((boot.payload as BootNotificationRequest).reason, 'PowerUp');
  // The host reports the hardware as it is (idempotent facts).
  h.station.onSessionStarted(1, 1);
  h.station.onEnergyTransferStarted(1);
  await settle(h);
  assert.equal(h.station.getTransactionId(1), transactionId);
  assert.equal(txEvents(h).length, 2, 'nothing is sent for the restart itself');
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'stopped');
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    {
      eventType: 'Ended',
      triggerReason: 'StopAuthorized',
      cs: 'EVConnected',
      idToken: 'optional',
      stoppedReason: 'Local',
    },
  ]);
  assert.equal(
    h.csms.calls.filter((c) => c.action === 'Authorize').length,
    1,
    'the stop token is known after the restart',
  );
  assertClean(h);
});

test('ResumeTransactionsOnBoot=true: periodic events go on after the restart with contiguous seqNo', async (t) => {
  const h = await startTxHarness({
    set: ['InternalCtrlr.ResumeTransactionsOnBoot=true', 'SampledDataCtrlr.TxUpdatedInterval=1'],
  });
  t.after(() => h.close());
  h.station.onMeterValue(1, energyReading(1_000));
  const transactionId = await startCharging(h);
  await nextTx(h, (e) => e.triggerReason === 'MeterValuePeriodic');
  // The power goes off at any moment: a periodic event may be in flight (its answer lost).
  await h.restart();
  const restartedAt = h.csms.calls.length;
  h.station.onSessionStarted(1, 1);
  h.station.onMeterValue(1, energyReading(1_500));
  h.station.onEnergyTransferStarted(1);
  await h.csms.waitForCall('BootNotification');
  // A periodic event made by the new run (not a retransmission of the old one).
  const periodicAfter = txEventsOnce(h).length;
  await h.csms.waitForCall(
    'TransactionEvent',
    (c) =>
      h.csms.calls.indexOf(c) >= restartedAt &&
      (c.payload as TransactionEventRequest).triggerReason === 'MeterValuePeriodic' &&
      txEventsOnce(h).length > periodicAfter,
  );
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await settle(h);
  const events = txEventsOnce(h);
  events.forEach((e, i) => {
    assert.equal(e.seqNo, i, `seqNo ${i}\n${describeTx(events)}`);
    assert.equal(e.transactionInfo.transactionId, transactionId);
  });
  assert.equal(events.filter((e) => e.eventType === 'Started').length, 1);
  assert.equal(events.at(-1)?.eventType, 'Ended');
  assert.ok(events.filter((e) => e.triggerReason === 'MeterValuePeriodic').length >= 2);
  assertClean(h);
});

test('ResumeTransactionsOnBoot=false: after a restart the transaction ends at boot: Ended AbnormalCondition PowerLoss, next seqNo, no idToken; a new session gets a new transaction', async (t) => {
  const h = await startTxHarness({ set: ['InternalCtrlr.ResumeTransactionsOnBoot=false'] });
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  await h.restart();
  await nextTx(h, (e) => e.eventType === 'Ended');
  await settle(h);
  assertTxSequence(txEvents(h, transactionId), [
    ...CHARGING,
    // Made at boot, before the connection is up: offline (E04.FR.03; libocpp does the same).
    {
      eventType: 'Ended',
      triggerReason: 'AbnormalCondition',
      cs: 'EVConnected',
      stoppedReason: 'PowerLoss',
      offline: true,
    },
  ]);
  assert.equal(h.station.hasActiveTransaction(1), false);
  // The EV is still there: the host reports it, the driver authorizes again.
  h.station.onSessionStarted(1, 1);
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'started');
  await settle(h);
  const next = h.station.getTransactionId(1);
  assert.ok(next && next !== transactionId, 'a new transaction');
  assertTxSequence(txEvents(h, next), [
    {
      eventType: 'Started',
      triggerReason: 'Authorized',
      cs: 'SuspendedEVSE',
      idToken: 'required',
      evse: { id: 1, connectorId: 1 },
    },
  ]);
  assertClean(h);
});

test('A session that had not become a transaction is dropped at a restart; nothing is sent about it', async (t) => {
  const h = await startTxHarness({ set: ['InternalCtrlr.ResumeTransactionsOnBoot=true'] });
  t.after(() => h.close());
  // TxStartPoint PowerPathClosed: the plug alone opens a session, no transaction.
  h.station.onSessionStarted(1, 1);
  await settle(h);
  const dropped = h.station.station.openSession(1)?.transactionId;
  assert.ok(dropped);
  await h.restart();
  await h.csms.waitForCall('BootNotification');
  h.station.onSessionStarted(1, 1);
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'started');
  await settle(h);
  const events = txEvents(h);
  assert.equal(events.length, 1);
  assert.notEqual(events[0]!.transactionInfo.transactionId, dropped);
  assertTxSequence(events, [
    {
      eventType: 'Started',
      triggerReason: 'Authorized',
      cs: 'SuspendedEVSE',
      idToken: 'required',
      evse: { id: 1, connectorId: 1 },
    },
  ]);
  assertClean(h);
});
