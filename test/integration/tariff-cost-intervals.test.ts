/**
 * I02 "running cost at the intervals the CSMS asks" (issue 11): OCPP 2.0.1 has no TariffCostCtrlr
 * interval variable; I02.FR.01 leaves the interval to the CSMS, which either sends CostUpdated when
 * it likes (TC_I_01_CS) or answers the Updated events the station sends every
 * SampledDataCtrlr.TxUpdatedInterval, an interval the CSMS sets (TC_I_07_CS). Both are driven here
 * on a simulated clock against the strict test CSMS; every answer's cost reaches the host
 * (setRunningCostCallback) and the simulated screen shows the newest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStationClock } from '../../src/clock.js';
import type { SetVariablesResponse, TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import type { RunningCost } from '../../src/tariff/tariff-types.js';
import { SimulatedTimers } from '../helpers/simulated-timers.js';
import { recorder } from './recorder.js';
import { acceptedTxAnswer, assertClean, startCharging, startTxHarness, txHost } from './transactions-helpers.js';

const START = Date.parse('2026-01-01T10:00:00.000Z');

async function costStation() {
  const costs = recorder<{ cost: RunningCost; decimals: number; currency: string | undefined }>();
  const host = txHost({ setRunningCostCallback: (cost, decimals, currency) => costs.push({ cost, decimals, currency }) });
  const timers = new SimulatedTimers(START);
  const clock = createStationClock(undefined, () => timers.nowMs);
  const h = await startTxHarness({
    // The CSMS's time must not move the simulated clock.
    set: ['ClockCtrlr.TimeSource=RealTimeClock', 'TariffCostCtrlr.Enabled[Cost]=true'],
    station: { callbacks: host.callbacks, clock, timers },
  });
  return { h, costs, timers };
}

test('I02.FR.01/04 (TC_I_07_CS): the CSMS sets TxUpdatedInterval; every Updated answer’s totalCost is shown, at that interval', async (t) => {
  const { h, costs, timers } = await costStation();
  t.after(() => h.close());
  // The CSMS asks for an Updated event (and so a running cost) every 60 s.
  const set = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [{ component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, attributeValue: '60' }],
  })) as SetVariablesResponse;
  assert.equal(set.setVariableResult[0]?.attributeStatus, 'Accepted');
  let price = 0;
  h.csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as TransactionEventRequest;
    const answer = acceptedTxAnswer(request);
    if (request.triggerReason !== 'MeterValuePeriodic') return answer;
    price += 0.25;
    return { ...answer, totalCost: price };
  });
  const transactionId = await startCharging(h);
  const periodicAt: string[] = [];
  for (let n = 1; n <= 3; n++) {
    await timers.advance(60_000);
    const shown = await costs.waitFor((c) => c.cost.cost === n * 0.25, `running cost ${n}`);
    assert.deepEqual([shown.cost.transactionId, shown.cost.state], [transactionId, 'Charging']);
    assert.equal(h.station.screen().tariffCost.cost?.cost, n * 0.25, 'the screen shows the newest cost');
    periodicAt.push(shown.cost.timestamp ?? '');
  }
  // One running cost per interval, stamped with its event's time: 60 s apart.
  const gaps = periodicAt.slice(1).map((at, i) => Date.parse(at) - Date.parse(periodicAt[i]!));
  assert.deepEqual(gaps, [60_000, 60_000]);
  assert.equal(costs.count((c) => c.cost.state === 'Charging'), 3);
  assertClean(h);
});

test('I02.FR.02/03 (TC_I_01_CS): a series of CostUpdated, each answered and shown; an unknown transaction is answered, not shown', async (t) => {
  const { h, costs, timers } = await costStation();
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  for (const totalCost of [0.5, 1.25, 2]) {
    await timers.advance(30_000); // the CSMS's own interval
    assert.deepEqual(await h.csms.call(h.identity, 'CostUpdated', { transactionId, totalCost }), {});
    await costs.waitFor((c) => c.cost.cost === totalCost, `cost ${totalCost}`);
    assert.equal(h.station.screen().tariffCost.cost?.cost, totalCost);
  }
  assert.deepEqual(await h.csms.call(h.identity, 'CostUpdated', { transactionId: 'not-running', totalCost: 9 }), {});
  assert.deepEqual(
    costs.items.map((c) => [c.cost.cost, c.cost.state, c.decimals, c.currency]),
    [
      [0.5, 'Charging', 2, 'EUR'],
      [1.25, 'Charging', 2, 'EUR'],
      [2, 'Charging', 2, 'EUR'],
    ],
  );
  assertClean(h);
});
