/**
 * J01/J02 with transactions (TC_J_01/02/03/06/07/09/10): Transaction.Begin in Started with the
 * TxStartedMeasurands, MeterValuePeriodic every TxUpdatedInterval, the Ended event's TxEnded
 * samples and Transaction.End, clock-aligned MeterValues for the main meter and idle EVSEs,
 * MeterValueClock for the EVSE with a transaction, and AlignedDataSendDuringIdle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  MeterValuesRequest,
  MeterValueType,
  TransactionEventRequest,
} from '../../src/generated/ocpp-types.js';
import type { ReceivedCall } from '../../src/testing/index.js';
import type { Harness } from './station-harness.js';
import {
  assertClean,
  describeTx,
  meterContexts,
  nextTx,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txEvents,
  txHost,
} from './transactions-helpers.js';

/** A reading with several measurands; Power.Offered is configured nowhere and must never be reported. */
function reading(wh: number): MeterValueType {
  return {
    timestamp: new Date().toISOString(),
    sampledValue: [
      { value: wh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
      { value: 16, measurand: 'Current.Import', unitOfMeasure: { unit: 'A' } },
      { value: 230, measurand: 'Voltage', unitOfMeasure: { unit: 'V' } },
      { value: 50, measurand: 'Frequency' },
      { value: 11_000, measurand: 'Power.Offered', unitOfMeasure: { unit: 'W' } },
    ],
  };
}

const measurands = (m: MeterValueType) =>
  m.sampledValue.map((v) => v.measurand ?? 'Energy.Active.Import.Register');
const meterValuesOf = (h: Harness) =>
  h.csms.calls.filter((c) => c.action === 'MeterValues').map((c) => c.payload as MeterValuesRequest);
const msOfSecond = (iso: string) => Date.parse(iso) % 1000;

test('E01.FR.09, J02.FR.11 (TC_J_07_CS, TC_J_09_CS): Started carries Transaction.Begin with the TxStartedMeasurands; MeterValuePeriodic every TxUpdatedInterval with the TxUpdatedMeasurands', async (t) => {
  const h = await startTxHarness({ set: ['SampledDataCtrlr.TxUpdatedInterval=1'] });
  t.after(() => h.close());
  h.station.onMeterValue(1, reading(1_000));
  const transactionId = await startCharging(h);
  const first = await nextTx(h, (e) => e.triggerReason === 'MeterValuePeriodic');
  h.station.onMeterValue(1, reading(1_200));
  const second = await nextTx(h, (e) => e.triggerReason === 'MeterValuePeriodic');
  const started = txEvents(h, transactionId)[0]!;
  assert.equal(started.eventType, 'Started');
  assert.equal(started.meterValue?.length, 1);
  assert.deepEqual(meterContexts(started), ['Transaction.Begin', 'Transaction.Begin']);
  // SampledDataCtrlr.TxStartedMeasurands of the example: Energy.Active.Import.Register, Current.Import.
  assert.deepEqual(measurands(started.meterValue![0]), ['Energy.Active.Import.Register', 'Current.Import']);
  for (const periodic of [first, second]) {
    assert.equal(periodic.eventType, 'Updated');
    assert.equal(periodic.transactionInfo.transactionId, transactionId);
    assert.equal(periodic.meterValue?.length, 1);
    assert.ok(
      meterContexts(periodic).every((c) => c === 'Sample.Periodic'),
      'context Sample.Periodic',
    );
    // TxUpdatedMeasurands: those of the reading that are configured, Power.Offered left out.
    assert.deepEqual(measurands(periodic.meterValue![0]), [
      'Energy.Active.Import.Register',
      'Current.Import',
      'Voltage',
      'Frequency',
    ]);
  }
  assert.equal(second.meterValue![0].sampledValue[0].value, 1_200, 'the newest reading');
  assert.ok(Date.parse(second.timestamp) > Date.parse(first.timestamp));
  const events = txEvents(h, transactionId);
  events.forEach((e, i) => assert.equal(e.seqNo, i, describeTx(events)));
  assertClean(h);
});

test('E06.FR.11, J02 (TC_J_10_CS): Ended carries Transaction.Begin, the Sample.Periodic values of every TxEndedInterval and Transaction.End, in order', async (t) => {
  const h = await startTxHarness({
    // The periodic events show when TxEnded samples were taken (both grids start at the start).
    set: ['SampledDataCtrlr.TxEndedInterval=1', 'SampledDataCtrlr.TxUpdatedInterval=1'],
  });
  t.after(() => h.close());
  h.station.onMeterValue(1, reading(1_000));
  const transactionId = await startCharging(h);
  for (const wh of [1_100, 1_200, 1_300]) {
    await nextTx(h, (e) => e.triggerReason === 'MeterValuePeriodic');
    h.station.onMeterValue(1, reading(wh));
  }
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await settle(h);
  const ended = txEvents(h, transactionId).at(-1)!;
  assert.equal(ended.eventType, 'Ended');
  const contexts = ended.meterValue!.map((m) => m.sampledValue[0].context);
  assert.equal(contexts[0], 'Transaction.Begin');
  assert.equal(contexts.at(-1), 'Transaction.End');
  const samples = contexts.slice(1, -1);
  assert.ok(samples.length >= 2, `at least two TxEnded samples (got ${contexts.join(', ')})`);
  assert.ok(samples.every((c) => c === 'Sample.Periodic'));
  // SampledDataCtrlr.TxEndedMeasurands of the example: Energy.Active.Import.Register, Current.Import.
  for (const m of ended.meterValue!) {
    assert.deepEqual(measurands(m), ['Energy.Active.Import.Register', 'Current.Import']);
    assert.ok(m.sampledValue.every((v) => v.context === m.sampledValue[0].context));
  }
  const times = ended.meterValue!.map((m) => Date.parse(m.timestamp));
  assert.deepEqual(
    [...times].sort((a, b) => a - b),
    times,
    'in time order',
  );
  assert.equal(ended.meterValue![0].sampledValue[0].value, 1_000);
  assert.equal(ended.meterValue!.at(-1)!.sampledValue[0].value, 1_300);
  assertClean(h);
});

test('J01.FR.14/22, J02 (TC_J_01_CS, TC_J_02_CS, TC_J_03_CS): clock-aligned: MeterValues for EVSE 0 and idle EVSEs, MeterValueClock for the EVSE with a transaction, all of an interval with one timestamp on the grid; the Ended event has the aligned TxEnded samples', async (t) => {
  const h = await startTxHarness({
    set: [
      'AlignedDataCtrlr.Interval=1',
      'AlignedDataCtrlr.TxEndedInterval=1',
      // TC_J_03: only the clock-aligned TxEnded values.
      'SampledDataCtrlr.TxEndedMeasurands=',
    ],
  });
  t.after(() => h.close());
  for (const evseId of [0, 1, 2]) h.station.onMeterValue(evseId, reading(1_000 * (evseId + 1)));
  // TC_J_01: idle, one message per EVSE and for the main meter, same timestamp.
  const idle = await h.csms.waitForCall('MeterValues');
  const tick = (idle.payload as MeterValuesRequest).meterValue[0].timestamp;
  await h.csms.waitForCall(
    'MeterValues',
    (c) => (c.payload as MeterValuesRequest).meterValue[0].timestamp === tick,
  );
  await h.csms.waitForCall(
    'MeterValues',
    (c) => (c.payload as MeterValuesRequest).meterValue[0].timestamp === tick,
  );
  const ofTick = meterValuesOf(h).filter((m) => m.meterValue[0].timestamp === tick);
  assert.deepEqual(ofTick.map((m) => m.evseId).sort(), [0, 1, 2]);
  for (const m of ofTick) {
    assert.equal(m.meterValue[0].sampledValue[0].context, 'Sample.Clock');
    // AlignedDataCtrlr.Measurands of the example: Energy.Active.Import.Register, Voltage, Frequency.
    assert.deepEqual(measurands(m.meterValue[0]), ['Energy.Active.Import.Register', 'Voltage', 'Frequency']);
  }
  assert.equal(msOfSecond(tick), 0, 'on the 1 s grid');

  // TC_J_02: a transaction on EVSE 1.
  const transactionId = await startCharging(h);
  const clocks: TransactionEventRequest[] = [];
  for (let i = 0; i < 3; i++)
    clocks.push(await nextTx(h, (e) => e.triggerReason === 'MeterValueClock', 3_000));
  for (const e of clocks) {
    assert.equal(e.eventType, 'Updated');
    assert.equal(e.transactionInfo.transactionId, transactionId);
    assert.deepEqual(
      meterContexts(e).every((c) => c === 'Sample.Clock'),
      true,
    );
    assert.deepEqual(measurands(e.meterValue![0]), ['Energy.Active.Import.Register', 'Voltage', 'Frequency']);
    assert.equal(msOfSecond(e.timestamp), 0, 'on the grid');
    // The main meter and the idle EVSE report the same interval in MeterValues; EVSE 1 does not.
    const same = meterValuesOf(h).filter((m) => m.meterValue[0].timestamp === e.timestamp);
    assert.ok(!same.some((m) => m.evseId === 1), 'EVSE 1 reports in its TransactionEvent only');
  }
  const spacing = clocks.slice(1).map((e, i) => Date.parse(e.timestamp) - Date.parse(clocks[i]!.timestamp));
  assert.ok(
    spacing.every((ms) => ms > 0 && ms % 1000 === 0),
    `whole intervals apart: ${spacing.join(', ')}`,
  );
  await h.csms.waitForCall('MeterValues', (c) => {
    const m = c.payload as MeterValuesRequest;
    return m.evseId === 2 && m.meterValue[0].timestamp === clocks[2]!.timestamp;
  });

  // TC_J_03: the Ended event has Sample.Clock entries on the grid (AlignedDataTxEndedMeasurands).
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await settle(h);
  const ended = txEvents(h, transactionId).at(-1)!;
  assert.equal(ended.eventType, 'Ended');
  const entries = ended.meterValue ?? [];
  assert.ok(entries.length >= 2, `aligned TxEnded samples in Ended (${entries.length})`);
  for (const m of entries) {
    assert.ok(
      m.sampledValue.every((v) => v.context === 'Sample.Clock'),
      'only Sample.Clock (TxEndedMeasurands empty)',
    );
    // AlignedDataCtrlr.TxEndedMeasurands of the example: Energy.Active.Import.Register, Voltage.
    assert.deepEqual(measurands(m), ['Energy.Active.Import.Register', 'Voltage']);
    assert.equal(msOfSecond(m.timestamp), 0, `on the grid: ${entries.map((x) => x.timestamp).join(', ')}`);
  }
  assertClean(h);
});

test('J01.FR.19/20 (TC_J_06_CS): AlignedDataSendDuringIdle: clock-aligned values while idle, none at all (no MeterValues, no MeterValueClock) while a transaction runs, again afterwards', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: [
      'AlignedDataCtrlr.Interval=1',
      'AlignedDataCtrlr.SendDuringIdle=true',
      // The periodic events only mark time while the transaction runs.
      'SampledDataCtrlr.TxUpdatedInterval=1',
      'SampledDataCtrlr.TxUpdatedMeasurands=',
    ],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  for (const evseId of [0, 1, 2]) h.station.onMeterValue(evseId, reading(1_000));
  await h.csms.waitForCall('MeterValues');
  const transactionId = await startCharging(h);
  const startedAt = h.csms.calls.length;
  // Two periodic events: more than one aligned interval passed during the transaction.
  await nextTx(h, (e) => e.triggerReason === 'MeterValuePeriodic');
  await nextTx(h, (e) => e.triggerReason === 'MeterValuePeriodic');
  await nextTx(h, (e) => e.triggerReason === 'MeterValuePeriodic');
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await settle(h);
  const during = h.csms.calls.slice(startedAt);
  const endedAt = during.findIndex(
    (c: ReceivedCall) =>
      c.action === 'TransactionEvent' && (c.payload as TransactionEventRequest).eventType === 'Ended',
  );
  assert.ok(endedAt >= 0);
  const whileRunning = during.slice(0, endedAt);
  assert.deepEqual(
    whileRunning
      .filter((c) => c.action === 'MeterValues')
      .map((c) => (c.payload as MeterValuesRequest).evseId),
    [],
    'J01.FR.20: no MeterValues for any EVSE or the main meter',
  );
  assert.equal(txEvents(h, transactionId).filter((e) => e.triggerReason === 'MeterValueClock').length, 0);
  for (const e of txEvents(h, transactionId).filter((x) => x.triggerReason === 'MeterValuePeriodic')) {
    assert.equal(e.meterValue, undefined, 'TxUpdatedMeasurands is empty');
  }
  // Idle again: the clock-aligned values come back.
  const after = h.csms.calls.length;
  await h.csms.waitForCall('MeterValues', (c) => h.csms.calls.indexOf(c) >= after);
  assertClean(h);
});
