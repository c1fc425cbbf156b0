/**
 * N01 GetLog over FTP and explicit FTPS (AUTH TLS) through the real runtime: the test CSMS
 * (ocpp-rpc, strict) asks for a log with an `ftp(s)://user:password@127.0.0.1:<port>/` location; the
 * station stores the file on a real ftp-srv server the test starts (port 0) and reports Uploading,
 * Uploaded with the requestId. An upload in progress when the station stops is resumed from the
 * `log-upload` actor's persisted snapshot at the next start, its statuses continuing with the same
 * requestId. Waits for CSMS calls; nothing sleeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { GetLogResponse, LogStatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import { testPki } from '../helpers/pki.js';
import { FTP_PASSWORD, startFtpServer } from './ftp-server.js';
import type { Harness } from './station-harness.js';
import { assertClean, settle, startTxHarness } from './transactions-helpers.js';

async function getLog(h: Harness, payload: Record<string, unknown>): Promise<GetLogResponse> {
  return (await h.csms.call(h.identity, 'GetLog', payload)) as GetLogResponse;
}

async function nextLogStatus(h: Harness, timeoutMs = 10_000): Promise<LogStatusNotificationRequest> {
  return (await h.csms.waitForCall('LogStatusNotification', undefined, timeoutMs)).payload as LogStatusNotificationRequest;
}

function logStatuses(h: Harness, requestId: number): string[] {
  return h.csms.calls
    .filter((c) => c.action === 'LogStatusNotification' && (c.payload as LogStatusNotificationRequest).requestId === requestId)
    .map((c) => (c.payload as LogStatusNotificationRequest).status);
}

function storedLogUploadState(dbPath: string): unknown {
  const db = new Database(dbPath, { readonly: true });
  try {
    const row = db.prepare("SELECT snapshot_json FROM actor_snapshot WHERE actor_id = 'log-upload'").get() as
      | { snapshot_json: string }
      | undefined;
    return row ? (JSON.parse(row.snapshot_json) as { value: unknown }).value : undefined;
  } finally {
    db.close();
  }
}

test('N01.FR.08/09/14 over FTP: GetLog SecurityLog to ftp://user:password@host/ stores <stationId>-SecurityLog-<requestId>.jsonl in that directory; Uploading, Uploaded', async (t) => {
  const ftp = await startFtpServer({});
  t.after(() => ftp.close());
  const h = await startTxHarness();
  t.after(() => h.close());
  await h.csms.waitForCall('SecurityEventNotification');
  const response = await getLog(h, { logType: 'SecurityLog', requestId: 21, log: { remoteLocation: ftp.url('') } });
  assert.deepEqual(response, { status: 'Accepted', filename: 'CS-TEST-SecurityLog-21.jsonl' });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 21 });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploaded', requestId: 21 });
  assert.deepEqual(ftp.stored, ['CS-TEST-SecurityLog-21.jsonl']);
  const content = (await ftp.read('CS-TEST-SecurityLog-21.jsonl')).toString('utf8');
  const lines = content.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  assert.ok(lines.some((l) => l.type === 'StartupOfTheDevice'), content);
  await settle(h);
  assertClean(h);
});

test('N01.FR.14/15 over explicit FTPS (AUTH TLS): GetLog DiagnosticsLog to a file path on a server whose certificate chains to fileTransferCa is stored there; the uploaded message log shows the location without its password', async (t) => {
  const pki = testPki();
  const ftp = await startFtpServer({}, pki.server);
  t.after(() => ftp.close());
  const h = await startTxHarness({ station: { firmware: { fileTransferCa: [pki.ca.cert] } } });
  t.after(() => h.close());
  await settle(h);
  const location = ftp.url('diagnostics.jsonl');
  assert.match(location, /^ftps:\/\//);
  const response = await getLog(h, { logType: 'DiagnosticsLog', requestId: 22, log: { remoteLocation: location } });
  assert.equal(response.status, 'Accepted');
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 22 });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploaded', requestId: 22 });
  assert.deepEqual(ftp.stored, ['diagnostics.jsonl']);
  const content = (await ftp.read('diagnostics.jsonl')).toString('utf8');
  assert.ok(content.includes('"GetLog"'), 'the GetLog frame itself is in the message log');
  assert.ok(content.includes('fwuser:***@127.0.0.1'), 'the location is logged with its password masked');
  assert.ok(!content.includes(FTP_PASSWORD));
  await settle(h);
  assertClean(h);
});

test('N01 power loss: a log upload in progress when the station stops is resumed from the persisted log-upload snapshot at the next start; Uploading is not sent again and Uploaded follows with the same requestId', async (t) => {
  const ftp = await startFtpServer({});
  t.after(() => ftp.close());
  const h = await startTxHarness();
  t.after(() => h.close());
  const held = ftp.holdNextLogin();
  const response = await getLog(h, { logType: 'SecurityLog', requestId: 23, retries: 0, log: { remoteLocation: ftp.url('') } });
  assert.equal(response.status, 'Accepted');
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 23 });
  // The first attempt is logging in when the station stops.
  await held.started;
  await settle(h);
  assert.deepEqual(storedLogUploadState(h.dbPath), { busy: 'uploading' });
  await h.restart();
  assert.deepEqual(await nextLogStatus(h, 20_000), { status: 'Uploaded', requestId: 23 });
  await settle(h);
  assert.deepEqual(logStatuses(h, 23), ['Uploading', 'Uploaded']);
  assert.deepEqual(ftp.stored, ['CS-TEST-SecurityLog-23.jsonl']);
  assert.equal(ftp.logins.length, 2, 'the interrupted attempt and the resumed one');
  const content = (await ftp.read('CS-TEST-SecurityLog-23.jsonl')).toString('utf8');
  assert.ok(content.includes('StartupOfTheDevice'), content);
  assert.equal(storedLogUploadState(h.dbPath), 'idle');
  // After the restart the actor is idle: a triggered LogStatusNotification says so.
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' });
  assert.deepEqual(await nextLogStatus(h), { status: 'Idle' });
  held.release();
  assertClean(h);
});

test('N01.FR.15 over FTPS: without a root for the server the TLS check fails (UploadFailure); once the CSMS installs that CSMSRootCertificate (M05) the same upload is Uploaded', async (t) => {
  const pki = testPki();
  const ftp = await startFtpServer({}, pki.server);
  t.after(() => ftp.close());
  // No fileTransferCa, no tls.ca: only node's bundled roots at first.
  const h = await startTxHarness();
  t.after(() => h.close());
  await settle(h);
  assert.equal((await getLog(h, { logType: 'SecurityLog', requestId: 24, log: { remoteLocation: ftp.url('') } })).status, 'Accepted');
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 24 });
  assert.deepEqual(await nextLogStatus(h), { status: 'UploadFailure', requestId: 24 });
  assert.deepEqual(ftp.stored, []);
  assert.equal(h.errors.length, 1);
  assert.match(String(h.errors[0]), /transfer of ftps:\/\/fwuser:\*\*\*@127\.0\.0\.1:\d+\/ failed: log upload 24 attempt 1/);
  h.errors.length = 0;
  const installed = (await h.csms.call(h.identity, 'InstallCertificate', {
    certificateType: 'CSMSRootCertificate',
    certificate: pki.ca.cert,
  })) as { status: string };
  assert.equal(installed.status, 'Accepted');
  assert.equal((await getLog(h, { logType: 'SecurityLog', requestId: 25, log: { remoteLocation: ftp.url('') } })).status, 'Accepted');
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 25 });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploaded', requestId: 25 });
  assert.deepEqual(ftp.stored, ['CS-TEST-SecurityLog-25.jsonl']);
  await settle(h);
  assertClean(h);
});
