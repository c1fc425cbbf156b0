import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './station-harness.js';
import type {
  BootNotificationRequest,
  SetVariablesResponse,
  StatusNotificationRequest,
} from '../../src/generated/ocpp-types.js';

test('B01: boot Accepted, StatusNotification per connector, security event, heartbeat', async (t) => {
  const h = await startHarness({ csms: { boot: { heartbeatInterval: 1 } } });
  t.after(() => h.close());
  const boot = await h.csms.waitForCall('BootNotification');
  const request = boot.payload as BootNotificationRequest;
  assert.equal(request.reason, 'PowerUp');
  assert.equal(request.chargingStation.vendorName, 'EVerestVendor');
  const statuses = [
    await h.csms.waitForCall('StatusNotification'),
    await h.csms.waitForCall('StatusNotification'),
  ].map((c) => c.payload as StatusNotificationRequest);
  assert.deepEqual(statuses.map((s) => `${s.evseId}/${s.connectorId}:${s.connectorStatus}`).sort(), [
    '1/1:Available',
    '2/1:Available',
  ]);
  const security = await h.csms.waitForCall('SecurityEventNotification');
  assert.equal((security.payload as { type: string }).type, 'StartupOfTheDevice');
  // B01.FR.04: the interval of the response becomes the heartbeat interval.
  await h.csms.waitForCall('Heartbeat');
  assert.equal(
    h.station.deviceModel.getInteger({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }),
    1,
  );
  assert.equal(h.station.registrationStatus, 'Accepted');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('G01: plugging a cable reports Occupied, unplugging Available', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');
  h.station.onSessionStarted(2, 1);
  const occupied = await h.csms.waitForCall('StatusNotification');
  assert.deepEqual(
    [
      (occupied.payload as StatusNotificationRequest).evseId,
      (occupied.payload as StatusNotificationRequest).connectorStatus,
    ],
    [2, 'Occupied'],
  );
  h.station.onSessionFinished(2, 1);
  const available = await h.csms.waitForCall('StatusNotification');
  assert.equal((available.payload as StatusNotificationRequest).connectorStatus, 'Available');
});

test('G02: a HeartbeatInterval set by the CSMS after boot re-arms the heartbeat (the boot\'s own write is not echoed)', async (t) => {
  const h = await startHarness({ csms: { boot: { heartbeatInterval: 3600 } } });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');
  // B01.FR.04: the response's interval was stored, and the chart runs with it.
  const boot = () => h.station.station.station.system.get('boot')?.getSnapshot() as
    | { context: { heartbeatIntervalS: number } }
    | undefined;
  assert.equal(boot()?.context.heartbeatIntervalS, 3600);
  const response = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '1' },
    ],
  })) as SetVariablesResponse;
  assert.equal(response.setVariableResult[0]?.attributeStatus, 'Accepted');
  // The wait of 3600 s is replaced: a Heartbeat comes after the new interval.
  await h.csms.waitForCall('Heartbeat', undefined, 15_000);
  assert.equal(boot()?.context.heartbeatIntervalS, 1);
});
