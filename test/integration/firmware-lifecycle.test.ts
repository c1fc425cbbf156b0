/**
 * L01 firmware updates across time, transactions and restarts, through the real runtime (websocket
 * to the test CSMS, SQLite file, local http file server): scheduled download and installation
 * (retrieveDateTime / installDateTime as persisted deadlines), waiting for a running transaction
 * with the connectors made Unavailable (L01.FR.06/07, TC_L_15), a reboot into the new firmware
 * (InstallRebooting, BootNotification FirmwareUpdate, Installed), and power losses while
 * downloading (the download starts again) and while installing (never installed twice).
 */
import { test } from 'node:test';
import { waitFor } from '../../src/testing/index.js';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { BootNotificationRequest } from '../../src/generated/ocpp-types.js';
import { expectStatuses, firmwareHost, startFileServer, updateFirmware, updateRequest } from './firmware-helpers.js';
import { nextStatus } from './reservations-helpers.js';
import type { Harness } from './station-harness.js';
import { assertClean, settle, startCharging, startTxHarness, TOKEN } from './transactions-helpers.js';

const IMAGE = Buffer.from('firmware v2.1.0\n'.repeat(2048));
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

function storedFirmwareState(dbPath: string): unknown {
  const db = new Database(dbPath, { readonly: true });
  try {
    const row = db.prepare("SELECT snapshot_json FROM actor_snapshot WHERE actor_id = 'firmware'").get() as
      | { snapshot_json: string }
      | undefined;
    return row ? (JSON.parse(row.snapshot_json) as { value: unknown }).value : undefined;
  } finally {
    db.close();
  }
}

test('L01.FR.13/16 (TC_L_02/03): retrieveDateTime and installDateTime in the future: DownloadScheduled, then Downloading at retrieveDateTime; InstallScheduled, then Installing at installDateTime; the waits survive a restart', async (t) => {
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  const request = updateRequest(61, server.url('fw.bin'), { retrieveDateTime: inSeconds(2), installDateTime: inSeconds(4) });
  assert.equal(await updateFirmware(h, request), 'Accepted');
  await expectStatuses(h, 61, ['DownloadScheduled']);
  await settle(h);
  assert.deepEqual(server.requests, [], 'nothing is downloaded before retrieveDateTime');
  // A restart while waiting: the deadline is an instant in the snapshot, re-armed at start.
  await h.restart();
  await h.csms.waitForCall('BootNotification');
  await expectStatuses(h, 61, ['Downloading', 'Downloaded', 'InstallScheduled']);
  assert.equal(host.installs.length, 0);
  await expectStatuses(h, 61, ['Installing', 'Installed']);
  assert.ok(Date.now() >= Date.parse(request.firmware.installDateTime ?? ''), 'installed at installDateTime, not before');
  await settle(h);
  assert.equal(host.installs.length, 1);
  assertClean(h);
});

test('L01.FR.06/07/34 (TC_L_15): with a transaction running, InstallScheduled; the idle connector goes Unavailable at once, the busy one when its transaction ends; installing waits for that; afterwards both are Available', async (t) => {
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  await startCharging(h, 1);
  assert.equal(await updateFirmware(h, updateRequest(71, server.url('fw.bin'))), 'Accepted');
  // L01.FR.34 (TC_L_15 step 9): InstallScheduled while the installation waits for the transaction.
  await expectStatuses(h, 71, ['Downloading', 'Downloaded', 'InstallScheduled']);
  await nextStatus(h, 2, 'Unavailable');
  await settle(h);
  assert.equal(h.station.connectorStatus(1, 1), 'Occupied');
  assert.equal(host.installs.length, 0, 'not installed while the transaction runs');
  assert.ok(!h.csms.calls.some((c) => c.action === 'FirmwareStatusNotification' && (c.payload as { status: string }).status === 'Installing'));
  // A new session may not start on the Unavailable EVSE meanwhile.
  h.station.onSessionStarted(2, 1);
  assert.notEqual((await h.station.onAuthorizationPresented(TOKEN, 2)).action, 'started');
  h.station.onSessionFinished(2, 1);
  // The transaction ends (stop token; TxStopPoint Authorized): EVSE 1 goes Unavailable, then Installing.
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await nextStatus(h, 1, 'Unavailable');
  await expectStatuses(h, 71, ['Installing', 'Installed']);
  h.station.onSessionFinished(1, 1);
  await nextStatus(h, 2, 'Available');
  await settle(h);
  assert.equal(host.installs.length, 1);
  assert.equal(h.station.connectorStatus(1, 1), 'Available');
  assertClean(h);
});

test('L01.FR.15/32: an installation that needs a reboot: InstallRebooting, a reboot through resetCallback, BootNotification reason FirmwareUpdate, then Installed and SecurityEvent FirmwareUpdated; installed once', async (t) => {
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const running: { h?: Harness } = {};
  const resets: unknown[] = [];
  const host = firmwareHost({
    resetCallback: (evseId, type) => {
      resets.push([evseId, type]);
      // The host reboots (not from inside its own callback).
      const h = running.h;
      if (h) setImmediate(() => void h.restart().catch((e: unknown) => h.errors.push(e)));
    },
  });
  host.next = 'RebootRequired';
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  running.h = h;
  t.after(() => h.close());
  assert.equal(await updateFirmware(h, updateRequest(81, server.url('fw.bin'))), 'Accepted');
  await expectStatuses(h, 81, ['Downloading', 'Downloaded', 'Installing', 'InstallRebooting']);
  const boot = await h.csms.waitForCall('BootNotification', (c) => (c.payload as BootNotificationRequest).reason === 'FirmwareUpdate');
  assert.ok(boot);
  await expectStatuses(h, 81, ['Installed']);
  await h.csms.waitForCall('SecurityEventNotification', (c) => (c.payload as { type: string }).type === 'FirmwareUpdated');
  await nextStatus(h, 1, 'Available');
  await settle(h);
  assert.deepEqual(resets, [[undefined, 'Immediate']]);
  assert.equal(host.installs.length, 1);
  assert.equal(storedFirmwareState(h.dbPath), 'idle');
  assertClean(h);
});

test('L01 power loss while downloading: the restored actor downloads again (Downloading is not sent twice) and carries on to Installed', async (t) => {
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  const held = server.holdNext('fw.bin');
  assert.equal(await updateFirmware(h, updateRequest(91, server.url('fw.bin'))), 'Accepted');
  await expectStatuses(h, 91, ['Downloading']);
  await held.started;
  await settle(h);
  assert.deepEqual(storedFirmwareState(h.dbPath), { busy: 'downloading' });
  await h.restart();
  await expectStatuses(h, 91, ['Downloaded', 'Installing', 'Installed']);
  held.release();
  await settle(h);
  assert.deepEqual(server.requests, ['fw.bin', 'fw.bin']);
  assert.equal(host.installs.length, 1);
  assert.ok(host.installs[0]?.content.equals(IMAGE));
  assertClean(h);
});

test('L01 power loss while installing: the install is not run again; without a reboot into the new firmware it is reported InstallationFailed and the connectors come back', async (t) => {
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const host = firmwareHost();
  host.next = 'never';
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  assert.equal(await updateFirmware(h, updateRequest(95, server.url('fw.bin'))), 'Accepted');
  await expectStatuses(h, 95, ['Downloading', 'Downloaded', 'Installing']);
  // Installing is reported before the host's install call has read the file.
  await waitFor(host.changes, () => (host.installs.length >= 1 ? true : undefined), 'the install call', 30_000);
  await settle(h);
  assert.equal(host.installs.length, 1);
  // L01.FR.27: the installation under way cannot be cancelled.
  assert.equal(await updateFirmware(h, updateRequest(96, server.url('fw.bin'))), 'Rejected');
  assert.deepEqual(storedFirmwareState(h.dbPath), { busy: 'installing' });
  await h.restart();
  await expectStatuses(h, 95, ['InstallationFailed']);
  await nextStatus(h, 1, 'Available');
  await settle(h);
  assert.equal(host.installs.length, 1, 'installed once');
  assert.equal(storedFirmwareState(h.dbPath), 'idle');
  assertClean(h);
});
