/**
 * L01/L02 firmware updates through the real runtime: the test CSMS (ocpp-rpc, strict) sends
 * UpdateFirmware over a websocket on 127.0.0.1, the station downloads from a local http(s) file
 * server started by the test, checks the signature against a ManufacturerRootCertificate, installs
 * through the host's installFirmwareCallback and reports every FirmwareStatusNotification in order
 * (Part 6 TC_L_01/05/06/07/10). Waits for CSMS calls; nothing sleeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPki } from '../helpers/pki.js';
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
import { assertClean, settle, startTxHarness } from './transactions-helpers.js';
import { callErrorCode } from './csms-helpers.js';

const IMAGE = Buffer.from('firmware v2.0.0\n'.repeat(4096));

test('L01 (TC_L_01): a signed update over https: Downloading, Downloaded, SignatureVerified, connectors Unavailable, Installing, Installed, SecurityEvent FirmwareUpdated, connectors Available again', async (t) => {
  const pki = testPki();
  const { root, signer } = signingMaterial();
  const server = await startFileServer({ 'fw.bin': IMAGE }, pki.server);
  t.after(() => server.close());
  const host = firmwareHost();
  const h = await startTxHarness({
    station: {
      callbacks: host.callbacks,
      firmware: { manufacturerRootCertificates: [root.cert], fileTransferCa: [pki.ca.cert] },
    },
  });
  t.after(() => h.close());
  const request = updateRequest(11, server.url('fw.bin'), {
    signingCertificate: signer.cert,
    signature: signFirmware(IMAGE, signer.key),
  });
  assert.equal(await updateFirmware(h, request), 'Accepted');
  await expectStatuses(h, 11, ['Downloading', 'Downloaded', 'SignatureVerified']);
  // L01.FR.07: no transaction runs: every connector is made Unavailable before installing.
  await nextStatus(h, 1, 'Unavailable');
  await nextStatus(h, 2, 'Unavailable');
  await expectStatuses(h, 11, ['Installing', 'Installed']);
  await nextStatus(h, 1, 'Available');
  await nextStatus(h, 2, 'Available');
  await h.csms.waitForCall(
    'SecurityEventNotification',
    (c) => (c.payload as { type: string }).type === 'FirmwareUpdated',
  );
  await settle(h);
  assert.equal(host.installs.length, 1);
  assert.equal(host.installs[0]?.install.requestId, 11);
  assert.equal(host.installs[0]?.install.signed, true);
  assert.ok(host.installs[0]?.content.equals(IMAGE), 'the host got the downloaded file');
  assert.deepEqual(
    host.statuses.map((s) => s.status),
    ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'],
  );
  // L01.FR.25: after Installed a triggered status is Idle.
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
  const triggered = await h.csms.waitForCall('FirmwareStatusNotification');
  assert.deepEqual(triggered.payload, { status: 'Idle' });
  assertClean(h);
});

test('L01.FR.21/22, L01.FR.02 (TC_L_05): a signing certificate from an untrusted root is answered InvalidCertificate with the security event InvalidFirmwareSigningCertificate; TC_L_18: an unsigned request is Rejected when ManufacturerRootCertificates are installed', async (t) => {
  const { root, stranger, signer } = signingMaterial();
  const host = firmwareHost();
  const h = await startTxHarness({
    station: { callbacks: host.callbacks, firmware: { manufacturerRootCertificates: [root.cert] } },
  });
  t.after(() => h.close());
  const bad = updateRequest(12, 'http://127.0.0.1:1/fw.bin', {
    signingCertificate: stranger.cert,
    signature: signFirmware(IMAGE, stranger.key),
  });
  const response = (await h.csms.call(h.identity, 'UpdateFirmware', bad)) as {
    status: string;
    statusInfo?: { reasonCode: string };
  };
  assert.equal(response.status, 'InvalidCertificate');
  const event = await h.csms.waitForCall(
    'SecurityEventNotification',
    (c) => (c.payload as { type: string }).type === 'InvalidFirmwareSigningCertificate',
  );
  assert.ok(event);
  assert.equal(await updateFirmware(h, updateRequest(13, 'http://127.0.0.1:1/fw.bin')), 'Rejected');
  // A certificate without signature is no secure update either.
  assert.equal(
    await updateFirmware(
      h,
      updateRequest(14, 'http://127.0.0.1:1/fw.bin', { signingCertificate: signer.cert }),
    ),
    'Rejected',
  );
  await settle(h);
  assert.equal(h.csms.calls.filter((c) => c.action === 'FirmwareStatusNotification').length, 0);
  assert.equal(host.installs.length, 0);
  assertClean(h);
});

test('L01.FR.03/04 (TC_L_06): a signature that does not match the file: Downloading, Downloaded, InvalidSignature and the security event InvalidFirmwareSignature; nothing is installed', async (t) => {
  const { root, signer } = signingMaterial();
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const host = firmwareHost();
  const h = await startTxHarness({
    station: { callbacks: host.callbacks, firmware: { manufacturerRootCertificates: [root.cert] } },
  });
  t.after(() => h.close());
  const request = updateRequest(21, server.url('fw.bin'), {
    signingCertificate: signer.cert,
    signature: signFirmware(Buffer.from('another image'), signer.key),
  });
  assert.equal(await updateFirmware(h, request), 'Accepted');
  await expectStatuses(h, 21, ['Downloading', 'Downloaded', 'InvalidSignature']);
  await h.csms.waitForCall(
    'SecurityEventNotification',
    (c) => (c.payload as { type: string }).type === 'InvalidFirmwareSignature',
  );
  await settle(h);
  assert.equal(host.installs.length, 0);
  assert.ok(!securityEvents(h).includes('FirmwareUpdated'));
  assertClean(h);
});

test('L01.FR.30 / L02 (TC_L_07): a missing file (HTTP 404) is tried 1 + retries times, retryInterval apart, then DownloadFailed; a refused connection likewise', async (t) => {
  const server = await startFileServer({});
  t.after(() => server.close());
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  assert.equal(
    await updateFirmware(h, updateRequest(31, server.url('missing.bin'), { retries: 2, retryInterval: 1 })),
    'Accepted',
  );
  await expectStatuses(h, 31, ['Downloading', 'DownloadFailed'], 20_000);
  assert.deepEqual(server.requests, ['missing.bin', 'missing.bin', 'missing.bin']);
  // Port 1 on 127.0.0.1: connection refused.
  assert.equal(
    await updateFirmware(h, updateRequest(32, 'http://127.0.0.1:1/fw.bin', { retries: 1, retryInterval: 1 })),
    'Accepted',
  );
  await expectStatuses(h, 32, ['Downloading', 'DownloadFailed'], 20_000);
  await settle(h);
  assert.equal(host.installs.length, 0);
  // Each failed attempt was reported to the host (onError), naming the URL and the reason.
  assert.ok(h.errors.some((e) => /HTTP 404/.test(String(e))));
  assert.ok(h.errors.some((e) => /ECONNREFUSED/.test(String(e))));
  assert.deepEqual(h.csms.validationFailures, []);
});

test('L01.FR.24 (TC_L_10): a new UpdateFirmware while downloading cancels it (AcceptedCanceled); the statuses carry the new requestId from then on and only the new firmware is installed', async (t) => {
  const server = await startFileServer({ 'old.bin': IMAGE, 'new.bin': Buffer.from('firmware v3') });
  t.after(() => server.close());
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  const held = server.holdNext('old.bin');
  assert.equal(await updateFirmware(h, updateRequest(41, server.url('old.bin'))), 'Accepted');
  await expectStatuses(h, 41, ['Downloading']);
  await held.started;
  assert.equal(await updateFirmware(h, updateRequest(42, server.url('new.bin'))), 'AcceptedCanceled');
  await expectStatuses(h, 42, ['Downloading', 'Downloaded', 'Installing', 'Installed']);
  held.release();
  await settle(h);
  assert.deepEqual(
    host.installs.map((i) => [i.install.requestId, i.content.toString()]),
    [[42, 'firmware v3']],
  );
  assert.equal(host.installs[0]?.install.signed, false);
  assertClean(h);
});

test('L03/L04: this station is no Local Controller: PublishFirmware and UnpublishFirmware are NotSupported, a triggered PublishFirmwareStatusNotification NotImplemented', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const code = await callErrorCode(
    h.csms.call(h.identity, 'PublishFirmware', {
      location: 'http://127.0.0.1/fw.bin',
      checksum: 'd41d8cd98f00b204e9800998ecf8427e',
      requestId: 1,
    }),
  );
  assert.equal(code, 'NotSupported');
  assert.equal(
    await callErrorCode(
      h.csms.call(h.identity, 'UnpublishFirmware', { checksum: 'd41d8cd98f00b204e9800998ecf8427e' }),
    ),
    'NotSupported',
  );
  // Nor does it produce PublishFirmwareStatusNotification (F06.FR.08).
  const triggered = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'PublishFirmwareStatusNotification',
  })) as {
    status: string;
  };
  assert.equal(triggered.status, 'NotImplemented');
  // Without an installer the station cannot update: UpdateFirmware is Rejected.
  assert.equal(await updateFirmware(h, updateRequest(51, 'http://127.0.0.1:1/fw.bin')), 'Rejected');
  assertClean(h);
});

test('L01 with libocpp semantics: a host with updateFirmwareRequestCallback (no installFirmwareCallback) carries out the update and reports its steps with onFirmwareUpdateStatusNotification; TriggerMessage returns the last one (L01.FR.26)', async (t) => {
  const { root, signer, stranger } = signingMaterial();
  const requests: number[] = [];
  const h = await startTxHarness({
    station: {
      callbacks: {
        updateFirmwareRequestCallback: (request) => {
          requests.push(request.requestId);
          return { status: 'Accepted' };
        },
      },
      firmware: { manufacturerRootCertificates: [root.cert] },
    },
  });
  t.after(() => h.close());
  // L01.FR.21/22: the library checks the certificate before the host hears of the request.
  const bad = updateRequest(101, 'http://127.0.0.1:1/fw.bin', {
    signingCertificate: stranger.cert,
    signature: 'AAAA',
  });
  assert.equal(await updateFirmware(h, bad), 'InvalidCertificate');
  const good = updateRequest(102, 'http://127.0.0.1:1/fw.bin', {
    signingCertificate: signer.cert,
    signature: 'AAAA',
  });
  assert.equal(await updateFirmware(h, good), 'Accepted');
  assert.deepEqual(requests, [102]);
  h.station.onFirmwareUpdateStatusNotification(102, 'Downloading');
  await expectStatuses(h, 102, ['Downloading']);
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
  await expectStatuses(h, 102, ['Downloading']);
  h.station.onFirmwareUpdateStatusNotification(102, 'Installed');
  await expectStatuses(h, 102, ['Installed']);
  await h.csms.waitForCall(
    'SecurityEventNotification',
    (c) => (c.payload as { type: string }).type === 'FirmwareUpdated',
  );
  await settle(h);
  assertClean(h);
});

test('FileTransferProtocols of the example configuration says what works: FTP,FTPS,HTTP,HTTPS (L01, N01.FR.14)', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const response = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'FileTransferProtocols' } }],
  })) as { getVariableResult: Array<{ attributeStatus: string; attributeValue?: string }> };
  assert.deepEqual(
    response.getVariableResult.map((r) => [r.attributeStatus, r.attributeValue]),
    [['Accepted', 'FTP,FTPS,HTTP,HTTPS']],
  );
  assertClean(h);
});

test('L01.FR.21 with M05: a ManufacturerRootCertificate the CSMS installed is trusted for firmware signing certificates', async (t) => {
  const { root, signer } = signingMaterial();
  const host = firmwareHost();
  // No roots from the host: only what InstallCertificate brings.
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  const signed = (id: number) =>
    updateRequest(id, 'http://127.0.0.1:1/fw.bin', {
      signingCertificate: signer.cert,
      signature: signFirmware(IMAGE, signer.key),
    });
  assert.equal(await updateFirmware(h, signed(21)), 'InvalidCertificate', 'no root yet');
  const installed = (await h.csms.call(h.identity, 'InstallCertificate', {
    certificateType: 'ManufacturerRootCertificate',
    certificate: root.cert,
  })) as { status: string };
  assert.equal(installed.status, 'Accepted');
  assert.equal(await updateFirmware(h, signed(22)), 'Accepted', 'the installed root is used');
});
