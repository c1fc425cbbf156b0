/**
 * N02 GetMonitoringReport over the wire: criteria and componentVariable filters, EmptyResultSet,
 * NotifyMonitoringReport parts (seqNo, tbc, requestId) within ItemsPerMessage GetReport.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  GetMonitoringReportRequest,
  GetMonitoringReportResponse,
  NotifyMonitoringReportRequest,
  NotifyReportRequest,
} from '../../src/generated/ocpp-types.js';
import { registered } from './csms-helpers.js';
import {
  HARD_WIRED_ID,
  PRECONFIGURED_ID,
  TEMPERATURE,
  monitorData,
  nextEvent,
  setMonitoring,
} from './monitoring-helpers.js';
import { startHarness, type Harness } from './station-harness.js';

async function report(h: Harness, request: GetMonitoringReportRequest) {
  const response = (await h.csms.call(
    h.identity,
    'GetMonitoringReport',
    request,
  )) as GetMonitoringReportResponse;
  if (response.status !== 'Accepted') return { status: response.status, parts: [] };
  const parts: NotifyMonitoringReportRequest[] = [];
  for (;;) {
    const call = await h.csms.waitForCall(
      'NotifyMonitoringReport',
      (c) => (c.payload as NotifyMonitoringReportRequest).requestId === request.requestId,
    );
    const part = call.payload as NotifyMonitoringReportRequest;
    parts.push(part);
    if (!part.tbc) return { status: response.status, parts };
  }
}

test('N02.FR.01-21: GetMonitoringReport filters, groups per variable and splits into parts', async (t) => {
  const h = await startHarness({ set: ['DeviceDataCtrlr.ItemsPerMessage[GetReport]=2'] });
  t.after(() => h.close());
  await registered(h);
  const [delta, periodic, heartbeat] = await setMonitoring(
    h,
    monitorData('Delta', 5, 7),
    monitorData('Periodic', 3600, 8),
    monitorData('Delta', 1, 7, {
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'HeartbeatInterval' },
    }),
  );

  // N02.FR.11: all monitors; one entry per component/variable (3 variables), 2 per part (N02.FR.09).
  const all = await report(h, { requestId: 1 });
  assert.equal(all.status, 'Accepted');
  assert.deepEqual(
    all.parts.map((p) => [p.seqNo, p.tbc]),
    [
      [0, true],
      [1, false],
    ],
  );
  const entries = all.parts.flatMap((p) => p.monitor ?? []);
  const ids = (name: string, variable: string) =>
    entries
      .find((e) => e.component.name === name && e.variable.name === variable)
      ?.variableMonitoring.map((m) => m.id)
      .sort((a, b) => a - b);
  assert.equal(entries.length, 3);
  assert.deepEqual(ids('ChargingStation', 'Temperature'), [HARD_WIRED_ID, delta?.id, periodic?.id]);
  assert.deepEqual(ids('ChargingStation', 'Problem'), [PRECONFIGURED_ID]);
  assert.deepEqual(ids('OCPPCommCtrlr', 'HeartbeatInterval'), [heartbeat?.id]);

  // N02.FR.06/13: DeltaMonitoring only.
  const deltas = await report(h, { requestId: 2, monitoringCriteria: ['DeltaMonitoring'] });
  const deltaIds = deltas.parts
    .flatMap((p) => p.monitor ?? [])
    .flatMap((e) => e.variableMonitoring.map((m) => m.id));
  assert.deepEqual(
    deltaIds.sort((a, b) => a - b),
    [PRECONFIGURED_ID, delta?.id, heartbeat?.id],
  );

  // N02.FR.05/14/16: both filters; a component without variable means all its variables.
  const both = await report(h, {
    requestId: 3,
    monitoringCriteria: ['PeriodicMonitoring', 'ThresholdMonitoring'],
    componentVariable: [{ component: { name: 'chargingstation' } }],
  });
  assert.deepEqual(
    both.parts
      .flatMap((p) => p.monitor ?? [])
      .flatMap((e) => e.variableMonitoring.map((m) => [m.id, m.type])),
    [
      [HARD_WIRED_ID, 'UpperThreshold'],
      [periodic?.id, 'Periodic'],
    ],
  );

  // N02.FR.10
  const empty = await report(h, {
    requestId: 4,
    componentVariable: [{ component: { name: 'SecurityCtrlr' } }],
  });
  assert.equal(empty.status, 'EmptyResultSet');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B07 SummaryInventory lists the variables whose threshold monitors are exceeded', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const summary = async (requestId: number) => {
    await h.csms.call(h.identity, 'GetBaseReport', { requestId, reportBase: 'SummaryInventory' });
    const names: string[] = [];
    for (;;) {
      const call = await h.csms.waitForCall(
        'NotifyReport',
        (c) => (c.payload as NotifyReportRequest).requestId === requestId,
      );
      const part = call.payload as NotifyReportRequest;
      names.push(...(part.reportData ?? []).map((d) => `${d.component.name}.${d.variable.name}`));
      if (!part.tbc) return names;
    }
  };
  assert.ok(!(await summary(1)).includes('ChargingStation.Temperature'));
  await h.station.setVariableFromHost(TEMPERATURE, '75');
  await nextEvent(h, (e) => e.variableMonitoringId === HARD_WIRED_ID);
  assert.ok((await summary(2)).includes('ChargingStation.Temperature'));
  assert.deepEqual(h.csms.validationFailures, []);
});
