/**
 * Threshold monitors that change or go while their threshold is exceeded (N07.FR.11/12, TC_N_51_CS,
 * TC_N_52_CS), a monitor on a write-only variable (N07.FR.10, TC_N_48_CS) and SetMonitoringBase
 * All after HardWiredOnly (N03.FR.03/05), against a real station and the strict test CSMS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ClearVariableMonitoringResponse,
  GetVariablesResponse,
  SetMonitoringBaseResponse,
} from '../../src/generated/ocpp-types.js';
import { registered } from './csms-helpers.js';
import {
  eventsSoFar,
  HARD_WIRED_ID,
  monitorData,
  nextEvent,
  PRECONFIGURED_ID,
  setMonitoring,
  TEMPERATURE,
} from './monitoring-helpers.js';
import { startHarness } from './station-harness.js';

async function station() {
  const h = await startHarness();
  await registered(h);
  return h;
}

test('N07.FR.11 (TC_N_51_CS): a changed threshold is judged against the value now: cleared when it no longer holds, alerting when it newly does', async (t) => {
  const h = await station();
  t.after(() => h.close());
  const [set] = await setMonitoring(h, monitorData('UpperThreshold', 40, 5));
  const id = set!.id!;
  await h.station.setVariableFromHost(TEMPERATURE, '45');
  assert.deepEqual(
    [(await nextEvent(h, (e) => e.variableMonitoringId === id)).cleared],
    [false],
    'exceeded at 45 > 40',
  );
  // Replaced (same id) by 50: 45 no longer exceeds it, so the old alert is cleared.
  await setMonitoring(h, monitorData('UpperThreshold', 50, 5, { id }));
  const cleared = await nextEvent(h, (e) => e.variableMonitoringId === id);
  assert.deepEqual([cleared.trigger, cleared.cleared, cleared.actualValue], ['Alerting', true, '45']);
  // Replaced by 30: 45 exceeds the new threshold.
  await setMonitoring(h, monitorData('UpperThreshold', 30, 5, { id }));
  const alert = await nextEvent(h, (e) => e.variableMonitoringId === id);
  assert.deepEqual([alert.trigger, alert.cleared, alert.actualValue], ['Alerting', false, '45']);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('N07.FR.12 (TC_N_52_CS): a threshold monitor removed while exceeded sends no cleared event', async (t) => {
  const h = await station();
  t.after(() => h.close());
  const [set] = await setMonitoring(h, monitorData('LowerThreshold', 10, 5));
  const id = set!.id!;
  await h.station.setVariableFromHost(TEMPERATURE, '5');
  assert.equal((await nextEvent(h, (e) => e.variableMonitoringId === id)).cleared, false);
  const clear = (await h.csms.call(h.identity, 'ClearVariableMonitoring', { id: [id] })) as ClearVariableMonitoringResponse;
  assert.deepEqual(clear.clearMonitoringResult, [{ id, status: 'Accepted' }]);
  // The value goes back within the removed threshold, then past the hard-wired one (a barrier).
  await h.station.setVariableFromHost(TEMPERATURE, '20');
  await h.station.setVariableFromHost(TEMPERATURE, '65');
  await nextEvent(h, (e) => e.variableMonitoringId === HARD_WIRED_ID && e.cleared === false);
  assert.deepEqual(
    eventsSoFar(h).filter((e) => e.variableMonitoringId === id).map((e) => e.cleared),
    [false],
    'only the alert of the removed monitor, never its cleared event',
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('N07.FR.10 (TC_N_48_CS): a Delta monitor on a WriteOnly variable reports the change with an empty actualValue', async (t) => {
  const h = await station();
  t.after(() => h.close());
  const password = { component: 'SecurityCtrlr', variable: 'BasicAuthPassword' } as const;
  const [set] = await setMonitoring(
    h,
    monitorData('Delta', 0, 5, { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }),
  );
  assert.equal(set?.status, 'Accepted');
  await h.station.setVariableFromHost(password, 'A-NEW-PASSWORD-0123');
  const event = await nextEvent(h, (e) => e.variableMonitoringId === set!.id);
  assert.deepEqual([event.trigger, event.actualValue], ['Delta', '']);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('N03.FR.03/05 (TC_N_05_CS): after HardWiredOnly, All brings the preconfigured monitors back and keeps the custom ones; ActiveMonitoringBase follows', async (t) => {
  const h = await station();
  t.after(() => h.close());
  const base = async (monitoringBase: string) =>
    ((await h.csms.call(h.identity, 'SetMonitoringBase', { monitoringBase })) as SetMonitoringBaseResponse).status;
  const kinds = () => h.station.monitors().map((m) => [m.id, m.kind]);
  assert.equal(await base('HardWiredOnly'), 'Accepted');
  assert.deepEqual(kinds(), [[HARD_WIRED_ID, 'HardWiredMonitor']], 'N03.FR.05: only hard-wired monitors remain');
  const [custom] = await setMonitoring(h, monitorData('UpperThreshold', 55, 7));
  assert.equal(await base('All'), 'Accepted');
  assert.deepEqual(kinds(), [
    [HARD_WIRED_ID, 'HardWiredMonitor'],
    [PRECONFIGURED_ID, 'PreconfiguredMonitor'],
    [custom!.id, 'CustomMonitor'],
  ]);
  const active = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: 'MonitoringCtrlr' }, variable: { name: 'ActiveMonitoringBase' } }],
  })) as GetVariablesResponse;
  assert.equal(active.getVariableResult[0]?.attributeValue, 'All');
  assert.deepEqual(h.csms.validationFailures, []);
});
