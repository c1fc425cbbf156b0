/**
 * J02.FR.12/13 with the whole station: a long outage with a transaction running fills the queue past
 * InternalCtrlr.MessageQueueSizeThreshold; every other meter-data TransactionEvent is given up, the
 * first one first and never the newest; every other event (Started, Ended, state changes) arrives,
 * in order, after the reconnect. The CSMS sees a seqNo gap exactly where a reading was dropped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueueBoundDropError } from '../../src/queue/message-queue.js';
import {
  goOffline,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txEvents,
  txHost,
} from './transactions-helpers.js';

const THRESHOLD = 3;

test('J02.FR.12/13: past MessageQueueSizeThreshold offline, every other periodic event is dropped; the rest arrives in order', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    // No clock-aligned readings (AlignedDataInterval 0): the run would otherwise cross a 900 s
    // boundary of the real clock now and then, and its MeterValueClock event would be a candidate too.
    set: [
      'SampledDataCtrlr.TxUpdatedInterval=1',
      'AlignedDataCtrlr.Interval=0',
      `InternalCtrlr.MessageQueueSizeThreshold=${THRESHOLD}`,
    ],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  h.station.onMeterValue(1, { timestamp: new Date().toISOString(), sampledValue: [{ value: 500 }] });
  const transactionId = await startCharging(h);
  await goOffline(h, host);
  const offlineFrom = host.produced.items.length;
  // Enough periodic events offline for two thinning passes.
  const wanted = THRESHOLD + 4;
  await host.produced.waitFor(
    () =>
      host.produced.items.slice(offlineFrom).filter((p) => p.request.triggerReason === 'MeterValuePeriodic')
        .length >= wanted,
    `${wanted} periodic events while offline`,
    { from: offlineFrom, timeoutMs: 60_000 },
  );
  // The driver stops while still offline: the Ended is never dropped.
  await h.station.onAuthorizationPresented(TOKEN, 1);
  h.station.connectWebsocket();
  await h.csms.waitForClient(h.identity);
  await settle(h);

  const produced = host.produced.items.map((p) => p.request);
  const received = txEvents(h, transactionId);
  const receivedSeqNos = new Set(received.map((e) => e.seqNo));
  const dropped = produced.filter((e) => !receivedSeqNos.has(e.seqNo));
  t.diagnostic(
    `produced seqNo ${produced.map((e) => `${e.seqNo}${e.triggerReason === 'MeterValuePeriodic' ? 'p' : ''}`).join(' ')}; ` +
      `dropped ${dropped.map((e) => e.seqNo).join(' ')}`,
  );
  assert.ok(dropped.length > 0, 'some periodic events were dropped');
  for (const e of dropped) {
    assert.equal(e.eventType, 'Updated', `seqNo ${e.seqNo}`);
    assert.equal(e.triggerReason, 'MeterValuePeriodic', `seqNo ${e.seqNo}: only meter data is dropped`);
    assert.equal(e.offline, true, `seqNo ${e.seqNo}: only what was queued offline`);
  }
  // J02.FR.13: the first periodic event of the outage goes first; the newest one made offline stays.
  const offlinePeriodic = produced.filter(
    (e) => e.offline === true && e.triggerReason === 'MeterValuePeriodic',
  );
  assert.equal(dropped[0]?.seqNo, offlinePeriodic[0]?.seqNo, 'the 1st is dropped first');
  assert.ok(receivedSeqNos.has(offlinePeriodic.at(-1)!.seqNo), 'the newest reading is kept');
  // Everything else arrives, as produced, in order.
  assert.deepEqual(
    received,
    produced.filter((e) => receivedSeqNos.has(e.seqNo)),
    'the rest arrives unchanged and in order',
  );
  assert.equal(received.at(-1)?.eventType, 'Ended');
  received.forEach((e, i) => {
    if (i > 0)
      assert.ok(e.seqNo > received[i - 1]!.seqNo, `seqNo ${e.seqNo} after ${received[i - 1]!.seqNo}`);
  });
  assert.ok(
    h.errors.some(
      (e) =>
        String((e as Error).message).includes(QueueBoundDropError.name) ||
        String(e).includes('MessageQueueSizeThreshold'),
    ),
    'the drops are reported',
  );
});
