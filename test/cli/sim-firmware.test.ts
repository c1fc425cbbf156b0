/**
 * L01/L02 in the simulated station (docs/cli.md): an UpdateFirmware from the strict test CSMS is
 * downloaded from a local http server, "installed" by recording the version the file carries, and
 * the station reboots inside the process into it: InstallRebooting, BootNotification with reason
 * FirmwareUpdate and the new chargingStation.firmwareVersion, then Installed. `firmware` events
 * follow every status. Waits for events and CSMS calls; nothing sleeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootNotificationRequest, FirmwareStatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import { firmwareVersionOf } from '../../src/cli/sim-firmware.js';
import { startFileServer, updateRequest } from '../integration/firmware-helpers.js';
import { startStationHarness } from './helpers/station-harness.js';

test('firmwareVersionOf: a short printable text is the version; otherwise the location file name', () => {
  assert.equal(firmwareVersionOf(Buffer.from('2.5.0\n'), 'http://h/fw.bin'), '2.5.0');
  assert.equal(firmwareVersionOf(Buffer.from([0, 1, 2, 255]), 'http://h/dir/station-3.0.1.bin'), 'station-3.0.1');
  assert.equal(firmwareVersionOf(Buffer.from('x'.repeat(60)), 'not a url'), 'unknown');
});

test('L01.FR.15/28/32: the simulated station installs by rebooting in-process into the new version (BootNotification FirmwareUpdate with the new firmwareVersion), then reports Installed', async (t) => {
  const server = await startFileServer({ 'fw.bin': Buffer.from('sim-2.5.0\n') });
  t.after(() => server.close());
  const h = await startStationHarness({ stationId: 'CS-FW' });
  t.after(() => h.close());
  const first = await h.csms.waitForCall('BootNotification');
  assert.notEqual((first.payload as BootNotificationRequest).chargingStation.firmwareVersion, 'sim-2.5.0');
  await h.csms.waitForCall('StatusNotification');
  const response = (await h.csms.call('CS-FW', 'UpdateFirmware', updateRequest(5, server.url('fw.bin')))) as { status: string };
  assert.equal(response.status, 'Accepted');
  const boot = await h.csms.waitForCall('BootNotification', (c) => (c.payload as BootNotificationRequest).reason === 'FirmwareUpdate');
  assert.equal((boot.payload as BootNotificationRequest).chargingStation.firmwareVersion, 'sim-2.5.0');
  await h.csms.waitForCall('FirmwareStatusNotification', (c) => (c.payload as FirmwareStatusNotificationRequest).status === 'Installed');
  const statuses = h.csms.calls
    .filter((c) => c.action === 'FirmwareStatusNotification')
    .map((c) => (c.payload as FirmwareStatusNotificationRequest).status);
  assert.deepEqual(statuses, ['Downloading', 'Downloaded', 'Installing', 'InstallRebooting', 'Installed']);
  await h.waitFor('firmware event Installed', (e) => e.type === 'firmware' && e.status === 'Installed');
  assert.deepEqual(
    h.events.filter((e) => e.type === 'firmware').map((e) => (e.type === 'firmware' ? [e.status, e.requestId] : [])),
    statuses.map((s) => [s, 5]),
  );
  assert.deepEqual(h.csms.validationFailures, []);
  assert.deepEqual(h.fatal, []);
});
