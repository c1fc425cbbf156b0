/**
 * The simulated station's firmware contract (docs/cli.md) through the CLI as a child process against
 * the strict test CSMS on 127.0.0.1, with firmware served by a local http server: each
 * `--firmware-during-tx` value with a transaction running (TC_L_15/16, L01.FR.06/13/33), and each
 * outcome of `firmware next` (L01.FR.28/29/32). Transactions start and end with the cable
 * (TxStartPoint/TxStopPoint EVConnected). Waits for events and CSMS calls; nothing sleeps.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CliEvent } from '../../src/cli/cli-events.js';
import type { BootNotificationRequest, FirmwareStatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import { startTestCsms, type TestCsms } from '../../src/testing/index.js';
import { startFileServer, updateRequest, type FileServer } from '../integration/firmware-helpers.js';
import { is, killAll, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';

const processes: CliProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await killAll(processes);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const NEW_VERSION = 'sim-3.0.0';

interface Run {
  p: CliProcess;
  csms: TestCsms;
  server: FileServer;
  id: string;
}

async function startRun(id: string, args: string[] = []): Promise<Run> {
  const csms = await startTestCsms();
  const server = await startFileServer({ 'fw.bin': Buffer.from(`${NEW_VERSION}\n`) });
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-fwcli-'));
  cleanups.push(() => csms.close(), () => server.close(), () => rm(dir, { recursive: true, force: true }));
  const p = spawnCli([
    '--json',
    '--csms',
    csms.url,
    '--id',
    id,
    '--db',
    path.join(dir, 'station.db'),
    '--set',
    'TxCtrlr.TxStartPoint=EVConnected',
    '--set',
    'TxCtrlr.TxStopPoint=EVConnected',
    ...args,
  ]);
  processes.push(p);
  await p.waitFor('station started', is.station('started', 1));
  await p.waitFor('registration Accepted', is.registration('Accepted'));
  return { p, csms, server, id };
}

/** Runs a console line; its `command` event. */
async function run(r: Run, line: string): Promise<Extract<CliEvent, { type: 'command' }>> {
  const since = r.p.mark();
  r.p.send(line);
  return (await r.p.waitFor(`result of '${line}'`, is.command(line), since)) as Extract<CliEvent, { type: 'command' }>;
}

/** `plug 1`: the transaction starts (EVConnected) and the CSMS has its Started event. */
async function startTransaction(r: Run): Promise<void> {
  assert.equal((await run(r, 'plug 1')).ok, true);
  await r.csms.waitForCall('TransactionEvent', (c) => (c.payload as { eventType: string }).eventType === 'Started', WAIT_MS);
}

async function endTransaction(r: Run): Promise<void> {
  assert.equal((await run(r, 'unplug 1')).ok, true);
  await r.csms.waitForCall('TransactionEvent', (c) => (c.payload as { eventType: string }).eventType === 'Ended', WAIT_MS);
}

/** Waits for the FirmwareStatusNotification `status` of `requestId`. */
async function firmwareStatus(r: Run, requestId: number, status: string): Promise<void> {
  await r.csms.waitForCall(
    'FirmwareStatusNotification',
    (c) => {
      const p = c.payload as FirmwareStatusNotificationRequest;
      return p.status === status && p.requestId === requestId;
    },
    WAIT_MS,
  );
}

/** Every FirmwareStatusNotification status received so far, in order. */
function statuses(r: Run): string[] {
  return r.csms.calls
    .filter((c) => c.action === 'FirmwareStatusNotification')
    .map((c) => (c.payload as FirmwareStatusNotificationRequest).status);
}

async function update(r: Run, requestId: number): Promise<string> {
  const response = (await r.csms.call(r.id, 'UpdateFirmware', updateRequest(requestId, r.server.url('fw.bin')))) as {
    status: string;
  };
  return response.status;
}

/** The firmware version of every BootNotification so far. */
function bootVersions(r: Run): Array<[string, string | undefined]> {
  return r.csms.calls
    .filter((c) => c.action === 'BootNotification')
    .map((c) => {
      const p = c.payload as BootNotificationRequest;
      return [p.reason, p.chargingStation.firmwareVersion];
    });
}

function clean(r: Run): void {
  assert.deepEqual(r.csms.validationFailures, [], 'strict validation failures');
  assert.deepEqual(
    r.p.events.filter((e) => e.type === 'error'),
    [],
    'error events',
  );
}

test('CLI --firmware-during-tx all (TC_L_16, L01.FR.33): Installing while the transaction runs; the reboot into the new version waits for it to end; then InstallRebooting, BootNotification FirmwareUpdate, Installed', async () => {
  const r = await startRun('CS-FW-ALL', ['--firmware-during-tx', 'all']);
  await startTransaction(r);
  assert.equal(await update(r, 31), 'Accepted');
  await firmwareStatus(r, 31, 'Installing');
  // L01.FR.07 through FR.33: while the activation waits, the idle EVSE takes no new session.
  await r.p.waitFor('EVSE 2 Unavailable', is.connector(2, 1, 'Unavailable'));
  assert.deepEqual(statuses(r), ['Downloading', 'Downloaded', 'Installing']);
  assert.equal(bootVersions(r).length, 1, 'no reboot while the transaction runs');
  await endTransaction(r);
  await firmwareStatus(r, 31, 'InstallRebooting');
  await r.p.waitFor('second boot', is.station('started', 2));
  await firmwareStatus(r, 31, 'Installed');
  assert.deepEqual(statuses(r), ['Downloading', 'Downloaded', 'Installing', 'InstallRebooting', 'Installed']);
  assert.deepEqual(bootVersions(r).at(-1), ['FirmwareUpdate', NEW_VERSION]);
  clean(r);
});

test('CLI --firmware-during-tx download (the default, TC_L_15, L01.FR.06/07/34): downloads during the transaction, InstallScheduled and the idle EVSE Unavailable until it ends; then Installing and the reboot into the new version', async () => {
  const r = await startRun('CS-FW-DL', ['--firmware-during-tx', 'download']);
  await startTransaction(r);
  assert.equal(await update(r, 32), 'Accepted');
  await firmwareStatus(r, 32, 'InstallScheduled');
  await r.p.waitFor('EVSE 2 Unavailable', is.connector(2, 1, 'Unavailable'));
  assert.deepEqual(statuses(r), ['Downloading', 'Downloaded', 'InstallScheduled']);
  assert.deepEqual(r.server.requests, ['fw.bin'], 'downloaded during the transaction');
  await endTransaction(r);
  await firmwareStatus(r, 32, 'Installed');
  assert.deepEqual(statuses(r), ['Downloading', 'Downloaded', 'InstallScheduled', 'Installing', 'InstallRebooting', 'Installed']);
  assert.deepEqual(bootVersions(r).at(-1), ['FirmwareUpdate', NEW_VERSION]);
  clean(r);
});

test('CLI --firmware-during-tx none (L01.FR.13): DownloadScheduled and nothing downloaded while the transaction runs; when it ends: Downloading, Downloaded, Installing, InstallRebooting, Installed', async () => {
  const r = await startRun('CS-FW-NONE', ['--firmware-during-tx', 'none']);
  await startTransaction(r);
  assert.equal(await update(r, 33), 'Accepted');
  await firmwareStatus(r, 33, 'DownloadScheduled');
  await r.p.waitFor('EVSE 2 Unavailable', is.connector(2, 1, 'Unavailable'));
  assert.deepEqual(r.server.requests, [], 'nothing downloaded while the transaction runs');
  await endTransaction(r);
  await firmwareStatus(r, 33, 'Installed');
  assert.deepEqual(statuses(r), ['DownloadScheduled', 'Downloading', 'Downloaded', 'Installing', 'InstallRebooting', 'Installed']);
  assert.deepEqual(bootVersions(r).at(-1), ['FirmwareUpdate', NEW_VERSION]);
  clean(r);
});

test('CLI --firmware-during-tx with a bad value stops with exit code 2 naming the option', async () => {
  const p = spawnCli(['--json', '--firmware-during-tx', 'sometimes']);
  processes.push(p);
  const { code } = await p.exited;
  assert.equal(code, 2);
  assert.match(p.stderr() + JSON.stringify(p.events), /--firmware-during-tx \\?"sometimes\\?": expected one of none, download, all/);
});

/** `firmware next <outcome>`, then an update: the statuses, and the version after it. */
async function nextOutcome(id: string, requestId: number, outcome: 'InstallVerificationFailed' | 'InstallationFailed'): Promise<void> {
  const r = await startRun(id);
  const set = await run(r, `firmware next ${outcome}`);
  assert.equal(set.ok, true, set.message);
  assert.equal(set.command, 'firmware');
  assert.deepEqual(set.data, { next: outcome });
  const oldVersion = bootVersions(r)[0]?.[1];
  assert.notEqual(oldVersion, NEW_VERSION);
  assert.equal(await update(r, requestId), 'Accepted');
  await firmwareStatus(r, requestId, outcome);
  await r.p.waitFor(`firmware event ${outcome}`, (e) => e.type === 'firmware' && e.status === outcome);
  assert.deepEqual(statuses(r), ['Downloading', 'Downloaded', 'Installing', outcome]);
  assert.equal(bootVersions(r).length, 1, 'no reboot after a failed installation');
  // The station keeps its version: a reboot for another reason still runs the old one.
  assert.deepEqual(await r.csms.call(r.id, 'Reset', { type: 'Immediate' }), { status: 'Accepted' });
  await r.p.waitFor('second boot', is.station('started', 2));
  await r.csms.waitForCall('BootNotification', (c) => (c.payload as BootNotificationRequest).reason === 'RemoteReset', WAIT_MS);
  assert.deepEqual(bootVersions(r), [
    ['PowerUp', oldVersion],
    ['RemoteReset', oldVersion],
  ]);
  // Used once: the next installation succeeds again (L01.FR.28/32): reboot into the new version.
  assert.equal(await update(r, requestId + 1), 'Accepted');
  await firmwareStatus(r, requestId + 1, 'Installed');
  assert.deepEqual(bootVersions(r).at(-1), ['FirmwareUpdate', NEW_VERSION]);
  clean(r);
}

test('CLI firmware next InstallVerificationFailed (L01.FR.29): the next installation reports InstallVerificationFailed and the station keeps its version; the one after is Installed', async () => {
  await nextOutcome('CS-FW-IVF', 41, 'InstallVerificationFailed');
});

test('CLI firmware next InstallationFailed (L01.FR.29): the next installation reports InstallationFailed and the station keeps its version; the one after is Installed', async () => {
  await nextOutcome('CS-FW-IF', 43, 'InstallationFailed');
});

test('CLI firmware next Installed (L01.FR.28/32), and bad arguments: each line ends with its command event; errors say what is wrong', async () => {
  const r = await startRun('CS-FW-OK');
  const bad = await run(r, 'firmware next Bricked');
  assert.equal(bad.ok, false);
  assert.equal(bad.message, "firmware: unknown outcome 'Bricked' (one of Installed, InstallVerificationFailed, InstallationFailed)");
  const missing = await run(r, 'firmware');
  assert.equal(missing.ok, false);
  assert.match(missing.message, /^firmware: expected 'next <outcome>'; usage: firmware next <Installed\|InstallVerificationFailed\|InstallationFailed>/);
  const extra = await run(r, 'firmware next Installed now');
  assert.equal(extra.ok, false);
  assert.match(extra.message, /^firmware: expected 2 arguments, got 3 arguments/);
  const ok = await run(r, 'firmware next installed');
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.data, { next: 'Installed' });
  assert.equal(await update(r, 45), 'Accepted');
  await firmwareStatus(r, 45, 'Installed');
  assert.deepEqual(statuses(r), ['Downloading', 'Downloaded', 'Installing', 'InstallRebooting', 'Installed']);
  assert.deepEqual(bootVersions(r).at(-1), ['FirmwareUpdate', NEW_VERSION]);
  clean(r);
});
