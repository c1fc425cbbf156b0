/**
 * L01/L02 firmware updates over FTP and explicit FTPS (AUTH TLS) through the real runtime: the test
 * CSMS (ocpp-rpc, strict) sends UpdateFirmware over a websocket on 127.0.0.1 with an
 * `ftp(s)://user:password@127.0.0.1:<port>/` location; the station downloads from a real ftp-srv
 * server the test starts (port 0), checks the signature or the FTPS server's certificate, installs
 * through the host and reports every FirmwareStatusNotification. The password never shows in an
 * error, an event or a log. Waits for CSMS calls; nothing sleeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StationEvent } from '../../src/index.js';
import { testPki } from '../helpers/pki.js';
import { expectStatuses, firmwareHost, signFirmware, signingMaterial, updateFirmware, updateRequest } from './firmware-helpers.js';
import { FTP_PASSWORD, startFtpServer } from './ftp-server.js';
import type { Harness } from './station-harness.js';
import { assertClean, settle, startTxHarness } from './transactions-helpers.js';

const IMAGE = Buffer.from('firmware v2.1.0 over ftp\n'.repeat(2048));

/** Everything the station said about itself: errors, public events, its log files. */
async function leaks(h: Harness, events: StationEvent[]): Promise<string> {
  // Both logs read through the station first: a read writes the pending batch (lines wait up to
  // FLUSH_DELAY_MS before they reach the file), so the files below hold every frame so far.
  const stationLogs = h.station.station.logs;
  const read = [...stationLogs.log('SecurityLog').lines(), ...stationLogs.log('DiagnosticsLog').lines()];
  assert.ok(read.length > 0, 'the logs hold lines');
  const dir = `${h.dbPath}.logs`;
  const files = await readdir(dir).catch(() => [] as string[]);
  const logs = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
  const errors = h.errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${String((e as { cause?: unknown }).cause)}`);
  return [...errors, JSON.stringify(events), ...logs].join('\n');
}

test('L01 (TC_L_01) over FTP: a signed update from ftp://user:password@host: Downloading, Downloaded, SignatureVerified, Installing, Installed; the password never shows in errors, events or logs', async (t) => {
  const { root, signer } = signingMaterial();
  const ftp = await startFtpServer({ 'fw.bin': IMAGE });
  t.after(() => ftp.close());
  const host = firmwareHost();
  const h = await startTxHarness({
    station: { callbacks: host.callbacks, firmware: { manufacturerRootCertificates: [root.cert] } },
  });
  t.after(() => h.close());
  const events: StationEvent[] = [];
  t.after(h.station.subscribe((e) => events.push(e)));
  const request = updateRequest(61, ftp.url('fw.bin'), { signingCertificate: signer.cert, signature: signFirmware(IMAGE, signer.key) });
  assert.equal(await updateFirmware(h, request), 'Accepted');
  await expectStatuses(h, 61, ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed']);
  await settle(h);
  assert.equal(host.installs.length, 1);
  assert.ok(host.installs[0]?.content.equals(IMAGE), 'the host got the file the FTP server holds');
  assert.equal(host.installs[0]?.install.signed, true);
  assert.ok(!host.installs[0]?.install.location.includes(FTP_PASSWORD), 'the installer gets the location without password');
  assert.deepEqual(ftp.retrieved, ['fw.bin']);
  assert.ok(events.some((e) => e.type === 'frame' && e.action === 'UpdateFirmware'), 'frames were seen');
  assert.ok(!(await leaks(h, events)).includes(FTP_PASSWORD), 'no password anywhere');
  assertClean(h);
});

test('L02 over explicit FTPS (AUTH TLS): an unsigned update from a server whose certificate chains to firmware.fileTransferCa is installed; one from an untrusted server fails the TLS check and ends DownloadFailed', async (t) => {
  const pki = testPki();
  const trusted = await startFtpServer({ 'fw.bin': IMAGE }, pki.server);
  t.after(() => trusted.close());
  const untrusted = await startFtpServer({ 'fw.bin': IMAGE }, pki.otherCa.issueServerCertificate());
  t.after(() => untrusted.close());
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks, firmware: { fileTransferCa: [pki.ca.cert] } } });
  t.after(() => h.close());
  assert.match(trusted.url('fw.bin'), /^ftps:\/\//);
  assert.equal(await updateFirmware(h, updateRequest(62, trusted.url('fw.bin'))), 'Accepted');
  await expectStatuses(h, 62, ['Downloading', 'Downloaded', 'Installing', 'Installed']);
  await settle(h);
  assert.equal(host.installs.length, 1);
  assert.ok(host.installs[0]?.content.equals(IMAGE));
  assert.equal(host.installs[0]?.install.signed, false);
  assert.deepEqual(trusted.retrieved, ['fw.bin']);
  // The same over a server the station has no reason to trust: the TLS handshake fails, no RETR.
  assert.equal(await updateFirmware(h, updateRequest(63, untrusted.url('fw.bin'))), 'Accepted');
  await expectStatuses(h, 63, ['Downloading', 'DownloadFailed']);
  await settle(h);
  assert.deepEqual(untrusted.retrieved, []);
  assert.equal(host.installs.length, 1);
  assert.equal(h.errors.length, 1);
  assert.match(String(h.errors[0]), /transfer of ftps:\/\/fwuser:\*\*\*@127\.0\.0\.1:\d+\/fw\.bin failed/);
  assert.ok(!(await leaks(h, [])).includes(FTP_PASSWORD));
  h.errors.length = 0;
  assertClean(h);
});

test('L01.FR.30 (TC_L_07) over FTP: a missing file (55x reply) is tried 1 + retries times, retryInterval apart, then DownloadFailed; a refused login likewise; the password is never reported', async (t) => {
  const ftp = await startFtpServer({});
  t.after(() => ftp.close());
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  assert.equal(await updateFirmware(h, updateRequest(64, ftp.url('missing.bin'), { retries: 2, retryInterval: 1 })), 'Accepted');
  await expectStatuses(
    h,
    64,
    ['Downloading', 'DownloadPaused', 'Downloading', 'DownloadPaused', 'Downloading', 'DownloadFailed'],
    20_000,
  );
  assert.equal(ftp.retrieved.length, 3, ftp.retrieved.join(', '));
  assert.ok(ftp.retrieved.every((r) => r.startsWith('!')), 'every RETR failed');
  assert.equal(h.errors.length, 3);
  assert.ok(h.errors.every((e) => /attempt \d for requestId 64: 55\d /.test(String(e))), h.errors.map(String).join('\n'));
  // A wrong password: the login is refused every time.
  const wrong = 'WRONG-PASSWORD-77';
  assert.equal(
    await updateFirmware(h, updateRequest(65, ftp.url('missing.bin', { password: wrong }), { retries: 1, retryInterval: 1 })),
    'Accepted',
  );
  await expectStatuses(h, 65, ['Downloading', 'DownloadPaused', 'Downloading', 'DownloadFailed'], 20_000);
  assert.equal(ftp.logins.length, 5);
  assert.equal(ftp.retrieved.length, 3, 'no RETR without a login');
  await settle(h);
  assert.equal(host.installs.length, 0);
  const reported = await leaks(h, []);
  assert.ok(!reported.includes(FTP_PASSWORD) && !reported.includes(wrong), 'no password in what was reported');
  h.errors.length = 0;
  assertClean(h);
});

test('FileTransferProtocols: a location whose protocol the station does not offer is refused up front (UpdateFirmware and GetLog Rejected, reasonCode InvalidURL); SFTP is never offered', async (t) => {
  const host = firmwareHost();
  const h = await startTxHarness({
    station: { callbacks: host.callbacks },
    set: ['OCPPCommCtrlr.FileTransferProtocols=HTTP,HTTPS'],
  });
  t.after(() => h.close());
  const refused = async (action: 'UpdateFirmware' | 'GetLog', payload: object) =>
    (await h.csms.call(h.identity, action, payload)) as { status: string; statusInfo?: { reasonCode: string; additionalInfo?: string } };
  const update = await refused('UpdateFirmware', updateRequest(66, `ftp://fwuser:${FTP_PASSWORD}@127.0.0.1:1/fw.bin`));
  assert.deepEqual(update, {
    status: 'Rejected',
    statusInfo: { reasonCode: 'InvalidURL', additionalInfo: 'protocol FTP is not one of FileTransferProtocols (HTTP,HTTPS)' },
  });
  const sftp = await refused('UpdateFirmware', updateRequest(67, 'sftp://127.0.0.1:1/fw.bin'));
  assert.equal(sftp.status, 'Rejected');
  assert.equal(sftp.statusInfo?.reasonCode, 'InvalidURL');
  const log = await refused('GetLog', { logType: 'SecurityLog', requestId: 68, log: { remoteLocation: 'ftps://127.0.0.1:1/logs/' } });
  assert.deepEqual(log, {
    status: 'Rejected',
    statusInfo: { reasonCode: 'InvalidURL', additionalInfo: 'protocol FTPS is not one of FileTransferProtocols (HTTP,HTTPS)' },
  });
  await settle(h);
  // Nothing started: no status for any of them.
  assert.ok(!h.csms.calls.some((c) => c.action === 'FirmwareStatusNotification' || c.action === 'LogStatusNotification'));
  assertClean(h);
});

test('L01 power loss while downloading over FTP: the restored firmware actor downloads the file again, whole, and carries on to Installed; Downloading is not sent twice', async (t) => {
  const ftp = await startFtpServer({ 'fw.bin': IMAGE });
  t.after(() => ftp.close());
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  const held = ftp.holdNextLogin();
  assert.equal(await updateFirmware(h, updateRequest(69, ftp.url('fw.bin'))), 'Accepted');
  await expectStatuses(h, 69, ['Downloading']);
  // The first attempt is logging in when the station stops.
  await held.started;
  await settle(h);
  await h.restart();
  await expectStatuses(h, 69, ['Downloaded', 'Installing', 'Installed'], 20_000);
  await settle(h);
  assert.equal(ftp.logins.length, 2, 'the interrupted attempt and the one after the restart');
  assert.deepEqual(ftp.retrieved, ['fw.bin']);
  assert.equal(host.installs.length, 1);
  assert.ok(host.installs[0]?.content.equals(IMAGE));
  held.release();
  assertClean(h);
});
