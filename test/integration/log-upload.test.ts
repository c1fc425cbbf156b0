/**
 * N01 GetLog through the real runtime: the test CSMS asks for the security log or the OCPP message
 * log; the station uploads the selected JSON lines to a local http server (POST multipart, part
 * `uploadfile` with the announced file name, N01.FR.19) and reports Uploading, Uploaded (or
 * UploadFailure after its retries, AcceptedCanceled for a cancelled upload) with the requestId.
 * Secrets never appear in what is uploaded. Waits for CSMS calls; nothing sleeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GetLogResponse, LogStatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import type { Harness } from './station-harness.js';
import { TEST_PASSWORD } from './station-harness.js';
import { assertClean, settle, startTxHarness } from './transactions-helpers.js';

interface Upload {
  url: string;
  contentType: string;
  filename: string;
  content: string;
}

async function startUploadServer() {
  const uploads: Upload[] = [];
  const answers: number[] = [];
  let hold: { started: () => void; released: Promise<void> } | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const disposition = /Content-Disposition: form-data; name="uploadfile"; filename="([^"]+)"\r\n/.exec(body);
      const start = body.indexOf('\r\n\r\n') + 4;
      const end = body.lastIndexOf('\r\n--');
      uploads.push({
        url: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        filename: disposition?.[1] ?? '',
        content: body.slice(start, end),
      });
      const current = hold;
      hold = null;
      const answer = () => res.writeHead(answers.shift() ?? 200).end();
      if (current) {
        current.started();
        void current.released.then(answer);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (p: string) => `http://127.0.0.1:${port}/${p}`,
    uploads,
    answers,
    holdNext() {
      let started!: () => void;
      let release!: () => void;
      const startedP = new Promise<void>((r) => (started = r));
      hold = { started, released: new Promise<void>((r) => (release = r)) };
      return { started: startedP, release };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function getLog(h: Harness, payload: Record<string, unknown>): Promise<GetLogResponse> {
  return (await h.csms.call(h.identity, 'GetLog', payload)) as GetLogResponse;
}

async function nextLogStatus(h: Harness, timeoutMs = 10_000): Promise<LogStatusNotificationRequest> {
  return (await h.csms.waitForCall('LogStatusNotification', undefined, timeoutMs)).payload as LogStatusNotificationRequest;
}

test('N01.FR.01/02/03/08/09/19 SecurityLog: Accepted with the file name, Uploading, POST multipart of the security log (StartupOfTheDevice), Uploaded; TriggerMessage then says Idle', async (t) => {
  const server = await startUploadServer();
  t.after(() => server.close());
  const h = await startTxHarness();
  t.after(() => h.close());
  await h.csms.waitForCall('SecurityEventNotification');
  const response = await getLog(h, { logType: 'SecurityLog', requestId: 3, log: { remoteLocation: server.url('up') } });
  assert.deepEqual(response, { status: 'Accepted', filename: 'CS-TEST-SecurityLog-3.jsonl' });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 3 });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploaded', requestId: 3 });
  assert.equal(server.uploads.length, 1);
  const upload = server.uploads[0] as Upload;
  assert.match(upload.contentType, /^multipart\/form-data; boundary=/);
  assert.equal(upload.filename, 'CS-TEST-SecurityLog-3.jsonl');
  const lines = upload.content.trim().split('\n').map((l) => JSON.parse(l) as { type: string; time: string });
  assert.ok(lines.some((l) => l.type === 'StartupOfTheDevice'), upload.content);
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' });
  assert.deepEqual(await nextLogStatus(h), { status: 'Idle' });
  assertClean(h);
});

test('N01.FR.04 DiagnosticsLog: the OCPP message log within oldestTimestamp/latestTimestamp, both directions, with a password in a URL masked', async (t) => {
  const server = await startUploadServer();
  t.after(() => server.close());
  const h = await startTxHarness();
  t.after(() => h.close());
  await settle(h);
  // The station's clock (synchronised from the CSMS at boot, B01.FR.06) dates the lines.
  const before = h.station.clock.nowIso();
  // A location with a password (N01.FR.17 style): the frame is logged with the password masked.
  await h.csms.call(h.identity, 'UpdateFirmware', {
    requestId: 1,
    firmware: { location: 'http://fwuser:NEWSECRETPASSWORD1@127.0.0.1:1/fw.bin', retrieveDateTime: before },
  });
  const response = await getLog(h, {
    logType: 'DiagnosticsLog',
    requestId: 4,
    log: { remoteLocation: server.url('diag'), oldestTimestamp: before },
  });
  assert.equal(response.status, 'Accepted');
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 4 });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploaded', requestId: 4 });
  const content = server.uploads[0]?.content ?? '';
  const lines = content.trim().split('\n').map((l) => JSON.parse(l) as { time: string; direction: string; frame: unknown[] });
  assert.ok(lines.length > 0, content);
  assert.ok(lines.every((l) => l.time >= before), 'nothing older than oldestTimestamp');
  assert.ok(lines.some((l) => l.direction === 'CSMS->station' && l.frame[2] === 'UpdateFirmware'), content);
  assert.ok(!lines.some((l) => l.frame[2] === 'BootNotification'), 'the boot was before oldestTimestamp');
  assert.ok(!content.includes('NEWSECRETPASSWORD1'), 'no password in the log');
  assert.ok(!content.includes(TEST_PASSWORD));
  await settle(h);
  assertClean(h);
});

test('N01.FR.10: a failing upload (HTTP 500, then connection refused) is retried `retries` times, then UploadFailure', async (t) => {
  const server = await startUploadServer();
  t.after(() => server.close());
  const h = await startTxHarness();
  t.after(() => h.close());
  server.answers.push(500, 500, 500);
  const response = await getLog(h, { logType: 'SecurityLog', requestId: 5, retries: 2, retryInterval: 1, log: { remoteLocation: server.url('x') } });
  assert.equal(response.status, 'Accepted');
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 5 });
  assert.deepEqual(await nextLogStatus(h, 20_000), { status: 'UploadFailure', requestId: 5 });
  assert.equal(server.uploads.length, 3);
  assert.equal((await getLog(h, { logType: 'SecurityLog', requestId: 6, log: { remoteLocation: 'http://127.0.0.1:1/x' } })).status, 'Accepted');
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 6 });
  assert.deepEqual(await nextLogStatus(h), { status: 'UploadFailure', requestId: 6 });
  assert.ok(h.errors.some((e) => /HTTP 500/.test(String(e))));
  assert.ok(h.errors.some((e) => /ECONNREFUSED/.test(String(e))));
});

test('N01.FR.12/20: a GetLog while uploading cancels the upload (AcceptedCanceled in the response and as status of the old requestId), then the new one is uploaded', async (t) => {
  const server = await startUploadServer();
  t.after(() => server.close());
  const h = await startTxHarness();
  t.after(() => h.close());
  const held = server.holdNext();
  assert.equal((await getLog(h, { logType: 'SecurityLog', requestId: 7, log: { remoteLocation: server.url('a') } })).status, 'Accepted');
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 7 });
  await held.started;
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 7 });
  const second = await getLog(h, { logType: 'DiagnosticsLog', requestId: 8, log: { remoteLocation: server.url('b') } });
  assert.equal(second.status, 'AcceptedCanceled');
  assert.deepEqual(await nextLogStatus(h), { status: 'AcceptedCanceled', requestId: 7 });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 8 });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploaded', requestId: 8 });
  held.release();
  await settle(h);
  assert.equal(server.uploads.at(-1)?.filename, 'CS-TEST-DiagnosticsLog-8.jsonl');
  assertClean(h);
});

test('N01 with libocpp semantics: a host with getLogRequestCallback uploads itself; its answer is sent and onLogStatusNotification reports the steps; TriggerMessage repeats Uploading', async (t) => {
  const h = await startTxHarness({
    station: {
      callbacks: { getLogRequestCallback: (request) => ({ status: 'Accepted', filename: `host-${request.requestId}.tar.gz` }) },
    },
  });
  t.after(() => h.close());
  const response = await getLog(h, { logType: 'DiagnosticsLog', requestId: 9, log: { remoteLocation: 'https://logs.example/up' } });
  assert.deepEqual(response, { status: 'Accepted', filename: 'host-9.tar.gz' });
  h.station.onLogStatusNotification('Uploading', 9);
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 9 });
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' });
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploading', requestId: 9 });
  h.station.onLogStatusNotification('Uploaded', 9);
  assert.deepEqual(await nextLogStatus(h), { status: 'Uploaded', requestId: 9 });
  await settle(h);
  assertClean(h);
});
