/**
 * What a station's boot writes and runs (issue 9): the `firmware` and `log-upload` actors start at
 * their first request, and an actor created with nothing stored to resume has nothing to restore,
 * so a fresh boot stores no snapshot row of them; their first real change is stored as always
 * (DESIGN.md restore rules), and a restart resumes it. A restart with nothing changed rewrites no
 * `device_model` or `variable_monitor` row; a value changed meanwhile is written at start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GetLogResponse, LogStatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import { registered } from './csms-helpers.js';
import { startHarness } from './station-harness.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import { FAST } from './station-harness.js';
import { storedActors, storedValues } from './stored-actors.js';

test('a fresh boot stores no snapshot of the idle firmware and log-upload actors; their first change is stored and survives a restart', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  await h.station.station.persistence.flushed();
  const afterBoot = storedActors(h.dbPath, h.identity);
  assert.ok(!afterBoot.includes('firmware') && !afterBoot.includes('log-upload'), afterBoot.join(', '));
  // The EVSEs changed only in their connectors' report state (src/runtime/evse-snapshot-key.ts).
  assert.deepEqual(afterBoot, []);
  // Neither actor runs before its first request (machines/station.ts `service.start`).
  const system = () => h.station.station.station.system;
  assert.equal(system().get('firmware'), undefined);
  assert.equal(system().get('log-upload'), undefined);
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' });
  assert.deepEqual((await h.csms.waitForCall('LogStatusNotification', undefined, 15_000)).payload, {
    status: 'Idle',
  });

  // N01: an upload to a closed port fails at once (no retries): the log-upload actor changed.
  const response = (await h.csms.call(h.identity, 'GetLog', {
    logType: 'SecurityLog',
    requestId: 7,
    retries: 0,
    log: { remoteLocation: 'http://127.0.0.1:1/up' },
  })) as GetLogResponse;
  assert.equal(response.status, 'Accepted');
  assert.notEqual(system().get('log-upload'), undefined);
  assert.equal(system().get('firmware'), undefined);
  const statuses: string[] = [];
  while (!statuses.includes('UploadFailure')) {
    const call = await h.csms.waitForCall('LogStatusNotification', undefined, 15_000);
    statuses.push((call.payload as LogStatusNotificationRequest).status);
  }
  await h.station.station.persistence.flushed();
  assert.ok(storedActors(h.dbPath, h.identity).includes('log-upload'));

  // The restarted station resumes the stored actor: TriggerMessage tells the last upload's status
  // (a fresh actor would say Idle without a requestId).
  await h.restart();
  await registered(h);
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' });
  const call = await h.csms.waitForCall('LogStatusNotification', undefined, 15_000);
  assert.deepEqual(call.payload, { status: statuses.at(-1), requestId: 7 });
  // The only errors reported are the refused uploads.
  assert.deepEqual([...new Set(h.errors.map((e) => (e as Error).name))], ['TransferError']);
});

test('a restart with nothing changed rewrites no device_model or monitor row; a value changed meanwhile is written at start and kept by the next restart', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  await h.station.stop();
  const first = storedValues(h.dbPath, h.identity);
  // The harness's overrides, the host's values (network profile, AvailabilityState, ...) and the
  // CSMS's HeartbeatInterval; the preconfigured Delta monitor with the reference it took at start.
  assert.ok(first.deviceModel.some((row) => row.variable === 'HeartbeatInterval' && row.value_source === 'csms'));
  assert.deepEqual(
    first.monitors.map((row) => row.monitor_id),
    [2],
    'the hard-wired threshold monitor is as the configuration starts it: no row',
  );

  await h.restart();
  await registered(h);
  await h.station.stop();
  assert.deepEqual(storedValues(h.dbPath, h.identity), first, 'same rows, same updated_at: nothing rewritten');

  // ChargingStation.Temperature above the hard-wired monitor's 60 while the station was down: the
  // start writes the value's row and the monitor's exceeded state (N07), and a restart with the
  // same configuration keeps both as they are.
  const hot = [...FAST, 'ChargingStation.Temperature=70'].map(parseSetArgument);
  await h.restart({ deviceModel: { overrides: hot } });
  await registered(h);
  await h.station.stop();
  const heated = storedValues(h.dbPath, h.identity);
  const temperature = heated.deviceModel.find((row) => row.variable === 'Temperature');
  assert.equal(temperature?.value, '70');
  assert.equal(heated.monitors.find((row) => row.monitor_id === 1)?.exceeded, 1);
  await h.restart({ deviceModel: { overrides: hot } });
  await registered(h);
  await h.station.stop();
  assert.deepEqual(storedValues(h.dbPath, h.identity), heated);

  // Back at the configured 25: the override's row goes, and the threshold clears at start (N07.FR.14).
  await h.restart();
  await registered(h);
  await h.station.stop();
  const cooled = storedValues(h.dbPath, h.identity);
  assert.equal(cooled.deviceModel.find((row) => row.variable === 'Temperature'), undefined);
  assert.equal(cooled.monitors.find((row) => row.monitor_id === 1)?.exceeded, 0);
  assert.deepEqual(h.errors, []);
});

test('a fresh boot stores only the host values that differ from the configuration: no CertificateEntries or EVSE AvailabilityState row', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  assert.equal(h.station.deviceModel.get({ component: 'SecurityCtrlr', variable: 'CertificateEntries' }), '0');
  assert.equal(h.station.deviceModel.get({ component: 'EVSE', evseId: 2, variable: 'AvailabilityState' }), 'Available');
  await h.station.stop();
  const host = storedValues(h.dbPath, h.identity)
    .deviceModel.filter((row) => row.value_source === 'host')
    .map((row) => `${String(row.component)}${row.evse_id === null ? '' : String(row.evse_id)}.${String(row.variable)}`);
  // The shipped CertificateEntries is 0, the count a station without certificates has, and the
  // shipped EVSE AvailabilityState is Available, what an operative EVSE whose connectors are
  // Available reports (issue 9: one device-model transaction less per new station each; the
  // network profile list of the CSMS URL is the station's own).
  assert.ok(!host.includes('SecurityCtrlr.CertificateEntries'), host.join(', '));
  assert.ok(!host.some((row) => row.endsWith('.AvailabilityState')), host.join(', '));
  assert.deepEqual(h.errors, []);
});
