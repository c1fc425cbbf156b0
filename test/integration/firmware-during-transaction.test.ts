/**
 * L01 with a transaction running, for each capability of the station (ChargePointOptions.firmware
 * .duringTransaction, docs/firmware.md), through the real runtime: the test CSMS (ocpp-rpc, strict)
 * over a websocket, a SQLite file, a local http file server. `all` installs during the transaction
 * (Part 6 TC_L_16) and, when the new firmware needs a reboot, waits for the transaction before
 * rebooting (L01.FR.33); `none` does not even download until it has ended (L01.FR.13). The
 * `download` default (TC_L_15) is in firmware-lifecycle.test.ts. Waits for CSMS calls; nothing sleeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootNotificationRequest } from '../../src/generated/ocpp-types.js';
import {
  expectStatuses,
  firmwareHost,
  securityEvents,
  signFirmware,
  signingMaterial,
  startFileServer,
  updateFirmware,
  updateRequest,
} from './firmware-helpers.js';
import { nextStatus } from './reservations-helpers.js';
import type { Harness } from './station-harness.js';
import { assertClean, settle, startCharging, startTxHarness, TOKEN } from './transactions-helpers.js';

const IMAGE = Buffer.from('firmware v3.0.0\n'.repeat(1024));

/** StatusNotifications the CSMS received for `evseId` so far. */
function statusesOf(h: Harness, evseId: number): string[] {
  return h.csms.calls
    .filter((c) => c.action === 'StatusNotification' && (c.payload as { evseId: number }).evseId === evseId)
    .map((c) => (c.payload as { connectorStatus: string }).connectorStatus);
}

test('L01.FR.06 (TC_L_16), duringTransaction all: a signed update is installed while the transaction runs: Downloading, Downloaded, SignatureVerified, Installing, Installed, FirmwareUpdated; no connector is made Unavailable and the transaction goes on', async (t) => {
  const { root, signer } = signingMaterial();
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const host = firmwareHost();
  let transactionAtInstall: string | undefined;
  const install = host.callbacks.installFirmwareCallback;
  const h = await startTxHarness({
    station: {
      callbacks: {
        ...host.callbacks,
        installFirmwareCallback: (file) => {
          transactionAtInstall = h.station.getTransactionId(1);
          return install?.(file);
        },
      },
      firmware: { manufacturerRootCertificates: [root.cert], duringTransaction: 'all' },
    },
  });
  t.after(() => h.close());
  const transactionId = await startCharging(h, 1);
  const before = statusesOf(h, 2).length;
  const request = updateRequest(91, server.url('fw.bin'), { signingCertificate: signer.cert, signature: signFirmware(IMAGE, signer.key) });
  assert.equal(await updateFirmware(h, request), 'Accepted');
  await expectStatuses(h, 91, ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed']);
  await h.csms.waitForCall('SecurityEventNotification', (c) => (c.payload as { type: string }).type === 'FirmwareUpdated');
  await settle(h);
  assert.equal(transactionAtInstall, transactionId, 'installed while the transaction ran');
  assert.equal(h.station.getTransactionId(1), transactionId, 'the transaction still runs');
  assert.deepEqual(statusesOf(h, 2).slice(before), [], 'the idle EVSE was never made Unavailable');
  assert.equal(h.station.connectorStatus(2, 1), 'Available');
  assert.equal(host.installs.length, 1);
  assert.ok(securityEvents(h).includes('FirmwareUpdated'));
  assertClean(h);
});

test('L01.FR.33/07, duringTransaction all: an installation that needs a reboot is installed during the transaction, then waits for it to end with the idle EVSE Unavailable; InstallRebooting, reboot (BootNotification FirmwareUpdate), Installed', async (t) => {
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const running: { h?: Harness } = {};
  const resets: unknown[] = [];
  const host = firmwareHost({
    resetCallback: (evseId, type) => {
      resets.push([evseId, type]);
      const h = running.h;
      if (h) setImmediate(() => void h.restart().catch((e: unknown) => h.errors.push(e)));
    },
  });
  host.next = 'RebootRequired';
  const h = await startTxHarness({ station: { callbacks: host.callbacks, firmware: { duringTransaction: 'all' } } });
  running.h = h;
  t.after(() => h.close());
  await startCharging(h, 1);
  assert.equal(await updateFirmware(h, updateRequest(92, server.url('fw.bin'))), 'Accepted');
  await expectStatuses(h, 92, ['Downloading', 'Downloaded', 'Installing']);
  // L01.FR.07 through L01.FR.33: while waiting to activate, no new session starts.
  await nextStatus(h, 2, 'Unavailable');
  await settle(h);
  assert.equal(host.installs.length, 1, 'installed during the transaction');
  assert.deepEqual(resets, [], 'no reboot while the transaction runs');
  // L01.FR.27: installed already, so a new request cannot cancel it.
  assert.equal(await updateFirmware(h, updateRequest(93, server.url('fw.bin'))), 'Rejected');
  // The transaction ends (stop token); then the reboot into the new firmware.
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await expectStatuses(h, 92, ['InstallRebooting']);
  const boot = await h.csms.waitForCall('BootNotification', (c) => (c.payload as BootNotificationRequest).reason === 'FirmwareUpdate');
  assert.ok(boot);
  await expectStatuses(h, 92, ['Installed']);
  h.station.onSessionFinished(1, 1);
  await nextStatus(h, 2, 'Available');
  await settle(h);
  assert.deepEqual(resets, [[undefined, 'Immediate']]);
  assert.equal(host.installs.length, 1, 'installed once');
  assertClean(h);
});

test('L01.FR.13/07, duringTransaction none: DownloadScheduled while the transaction runs, nothing downloaded and the idle EVSE Unavailable; when it ends: Downloading, Downloaded, Installing, Installed', async (t) => {
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks, firmware: { duringTransaction: 'none' } } });
  t.after(() => h.close());
  await startCharging(h, 1);
  assert.equal(await updateFirmware(h, updateRequest(94, server.url('fw.bin'))), 'Accepted');
  await expectStatuses(h, 94, ['DownloadScheduled']);
  await nextStatus(h, 2, 'Unavailable');
  await settle(h);
  assert.deepEqual(server.requests, [], 'nothing is downloaded while the transaction runs');
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await nextStatus(h, 1, 'Unavailable');
  await expectStatuses(h, 94, ['Downloading', 'Downloaded', 'Installing', 'Installed']);
  h.station.onSessionFinished(1, 1);
  await nextStatus(h, 1, 'Available');
  await nextStatus(h, 2, 'Available');
  await settle(h);
  assert.deepEqual(server.requests, ['fw.bin']);
  assert.equal(host.installs.length, 1);
  assertClean(h);
});

test('L01.FR.33 with a power loss, duringTransaction all: restarted while the installed firmware waits for the transaction to activate, the install is not run again; the resumed transaction is waited for, then InstallRebooting and Installed', async (t) => {
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const running: { h?: Harness } = {};
  const host = firmwareHost({
    resetCallback: () => {
      const h = running.h;
      if (h) setImmediate(() => void h.restart().catch((e: unknown) => h.errors.push(e)));
    },
  });
  host.next = 'RebootRequired';
  const h = await startTxHarness({
    set: ['InternalCtrlr.ResumeTransactionsOnBoot=true'],
    station: { callbacks: host.callbacks, firmware: { duringTransaction: 'all' } },
  });
  running.h = h;
  t.after(() => h.close());
  const transactionId = await startCharging(h, 1);
  assert.equal(await updateFirmware(h, updateRequest(97, server.url('fw.bin'))), 'Accepted');
  await expectStatuses(h, 97, ['Downloading', 'Downloaded', 'Installing']);
  await nextStatus(h, 2, 'Unavailable');
  await settle(h);
  // The power goes (no reboot reason recorded): the next start boots with PowerUp.
  await h.restart();
  await h.csms.waitForCall('BootNotification', (c) => (c.payload as BootNotificationRequest).reason === 'PowerUp');
  h.station.onSessionStarted(1, 1);
  await settle(h);
  assert.equal(h.station.getTransactionId(1), transactionId, 'the transaction resumed');
  assert.equal(host.installs.length, 1, 'not installed again');
  assert.ok(!h.csms.calls.some((c) => c.action === 'FirmwareStatusNotification' && (c.payload as { status: string }).status === 'InstallRebooting'));
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await expectStatuses(h, 97, ['InstallRebooting']);
  await h.csms.waitForCall('BootNotification', (c) => (c.payload as BootNotificationRequest).reason === 'FirmwareUpdate');
  await expectStatuses(h, 97, ['Installed']);
  await settle(h);
  assert.equal(host.installs.length, 1, 'installed once');
  assertClean(h);
});
