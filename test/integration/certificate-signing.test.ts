/**
 * A02/A03 with the whole station against the strict test CSMS over TLS: SignCertificate carries a
 * CSR for a key the station made and keeps, CertificateSigned with a chain from the test CA is
 * verified, installed and used by the next profile 3 connection; a bad chain is Rejected with
 * InvalidChargingStationCertificate; SignCertificate is sent again when no certificate arrives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import forge from 'node-forge';
import type {
  CertificateSignedResponse,
  SecurityEventNotificationRequest,
  SignCertificateRequest,
  TriggerMessageResponse,
} from '../../src/generated/ocpp-types.js';
import type { RpcServerClient } from '../../src/testing/test-csms.js';
import { testPki } from '../helpers/pki.js';
import { recorder } from './recorder.js';
import { profile, startHarness, type Harness } from './station-harness.js';

/** RSA 2048 key generation before each SignCertificate takes seconds on a busy machine. */
const KEYGEN_TIMEOUT_MS = 30_000;

const IDENTITY = 'CS001';

/** The serial number of the client certificate a connected station presented. */
function presentedSerial(client: RpcServerClient): string {
  const socket = (client as unknown as { handshake: { request: { socket: TLSSocket } } }).handshake.request
    .socket;
  return socket.getPeerCertificate().serialNumber.toUpperCase();
}

async function profile3Station(set: string[] = []) {
  const pki = testPki();
  const events = recorder<string>();
  const links = recorder<boolean>();
  const h = await startHarness({
    identity: IDENTITY,
    basicAuth: false,
    csms: {
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requireClientCertificate: true },
    },
    profiles: (csms) => [profile(1, csms.url, { securityProfile: 3 })],
    set: ['SecurityCtrlr.OrganizationName=Test CSO', 'OCPPCommCtrlr.RetryBackOffWaitMinimum=0', ...set],
    station: {
      tls: { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key },
      callbacks: {
        securityEventCallback: (type) => events.push(type),
        connectionStateChangedCallback: (up: boolean) => links.push(up),
      },
    },
  });
  await h.csms.waitForCall('BootNotification');
  return { h, pki, events, links };
}

async function triggerCsr(h: Harness): Promise<SignCertificateRequest> {
  const answer = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'SignChargingStationCertificate',
  })) as TriggerMessageResponse;
  assert.equal(answer.status, 'Accepted');
  return (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
}

test('A02.FR.02/03/06/08 (TC_A_11_CS): TriggerMessage SignChargingStationCertificate → CSR (CN identity, O OrganizationName, signed by its key); CertificateSigned from the CSO CA is installed and presented at the next profile 3 connection', async (t) => {
  const { h, pki, links } = await profile3Station();
  t.after(() => h.close());
  const first = await h.csms.waitForClient(IDENTITY);
  assert.equal(presentedSerial(first), new X509Certificate(pki.client.cert).serialNumber.toUpperCase());

  const request = await triggerCsr(h);
  assert.equal(request.certificateType, 'ChargingStationCertificate');
  const csr = forge.pki.certificationRequestFromPem(request.csr);
  assert.ok(csr.verify(), 'the CSR is signed by the key it carries');
  assert.equal(csr.subject.getField('CN')?.value, IDENTITY);
  assert.equal(csr.subject.getField('O')?.value, 'Test CSO');

  // A02.FR.05: the private key stays in the station's store, readable by its owner only.
  const keyDir = path.join(`${h.dbPath}.certificates`, IDENTITY, 'pending');
  const dirMode = (await stat(keyDir)).mode & 0o777;
  assert.equal(dirMode, 0o700);

  const signed = pki.ca.signCsr(request.csr);
  const mark = links.items.length;
  const response = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain: signed,
    certificateType: 'ChargingStationCertificate',
  })) as CertificateSignedResponse;
  assert.equal(response.status, 'Accepted');

  // A02.FR.08: the station reconnects and presents the new certificate.
  await links.waitFor((up) => up, 'the reconnection', { from: mark });
  const again = await h.csms.waitForClient(IDENTITY);
  assert.equal(presentedSerial(again), new X509Certificate(signed).serialNumber.toUpperCase());
  const ownDir = path.join(`${h.dbPath}.certificates`, IDENTITY, 'own', 'ChargingStationCertificate');
  const files = await readdir(ownDir);
  const keyFile = files.find((f) => f.endsWith('.key'));
  assert.ok(keyFile, files.join(','));
  assert.equal((await stat(path.join(ownDir, keyFile))).mode & 0o777, 0o600);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('A02.FR.07/20 (TC_A_14_CS): a certificate from a CA outside the CSO hierarchy is Rejected, InvalidChargingStationCertificate is sent, and the CSR is not retried', async (t) => {
  const { h, pki, events } = await profile3Station(['SecurityCtrlr.CertSigningWaitMinimum=1']);
  t.after(() => h.close());
  const request = await triggerCsr(h);
  const response = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain: pki.otherCa.signCsr(request.csr),
  })) as CertificateSignedResponse;
  assert.equal(response.status, 'Rejected');
  await events.waitFor((type) => type === 'InvalidChargingStationCertificate', 'the security event');
  const notification = await h.csms.waitForCall(
    'SecurityEventNotification',
    (c) => (c.payload as SecurityEventNotificationRequest).type === 'InvalidChargingStationCertificate',
  );
  assert.ok(notification);
  assert.equal(await h.station.station.certificates.signing.pending('ChargingStationCertificate'), undefined);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('A03.FR.02/03: a ChargingStationCertificate that expires within 30 days is renewed: the station sends SignCertificate with a new CSR on its own', async (t) => {
  const pki = testPki();
  const h = await startHarness({
    identity: IDENTITY,
    set: ['SecurityCtrlr.OrganizationName=Test CSO'],
    station: { tls: { ca: pki.ca.cert } },
  });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  const request = await triggerCsr(h);
  const response = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain: pki.ca.signCsr(request.csr, { validDays: 29 }),
  })) as CertificateSignedResponse;
  assert.equal(response.status, 'Accepted');
  const renewal = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  assert.equal(renewal.certificateType, 'ChargingStationCertificate');
  assert.notEqual(renewal.csr, request.csr, 'A03.FR.02: a new key pair');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('A02.FR.05 / A01.FR.12: no private key in the reported errors when the client key is broken', async (t) => {
  const pki = testPki();
  const lines = pki.client.key.trim().split('\n');
  // A damaged key: its body still holds secret material that must not leak.
  const broken = [
    lines[0],
    ...lines.slice(1, -1).map((l) => l.split('').reverse().join('')),
    lines.at(-1),
  ].join('\n');
  const secret = (lines[3] as string).split('').reverse().join('');
  const errors = recorder<unknown>();
  const h = await startHarness({
    identity: IDENTITY,
    basicAuth: false,
    csms: {
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requireClientCertificate: true },
    },
    profiles: (csms) => [profile(1, csms.url, { securityProfile: 3 })],
    set: ['SecurityCtrlr.OrganizationName=Test CSO', 'OCPPCommCtrlr.RetryBackOffRepeatTimes=0'],
    station: {
      tls: { ca: pki.ca.cert, cert: pki.client.cert, key: broken },
      onError: (e) => errors.push(e),
    },
    noStart: true,
  });
  t.after(() => h.close());
  // The key is checked before anything connects (src/security/client-key.ts): start() fails naming
  // tls.key, and neither that error nor the station's error event carries the key.
  const failures: unknown[] = [];
  h.station.subscribe((e) => e.type === 'error' && failures.push(e));
  const error = await h.station.start().then(
    () => assert.fail('start() must fail'),
    (e: unknown) => e,
  );
  assert.match(String(error), /tls\.key: the private key cannot be read/);
  for (const item of [error, ...errors.items, ...failures]) {
    const text = `${String(item)}\n${(item as Error).stack ?? ''}\n${JSON.stringify(item)}`;
    assert.ok(!text.includes(secret) && !text.includes('PRIVATE KEY'), text.slice(0, 300));
  }
  assert.ok(failures.length > 0, 'the failed start is an error event');
});

test('A02.FR.12 (TC_A_15_CS): a SignCertificateResponse Rejected ends the request: the key is discarded and nothing is retried', async (t) => {
  const h = await startHarness({ identity: IDENTITY, set: ['SecurityCtrlr.OrganizationName=Test CSO'] });
  t.after(() => h.close());
  h.csms.onCall('SignCertificate', () => ({ status: 'Rejected' }));
  await h.csms.waitForCall('BootNotification');
  await triggerCsr(h);
  const signing = h.station.station.certificates.signing;
  // The answer is handled after the CSMS sent it: wait for the stored request to go.
  for (let i = 0; (await signing.pending('ChargingStationCertificate')) !== undefined; i += 1) {
    if (i > 500) assert.fail('the pending CSR was not dropped');
    await new Promise((r) => setTimeout(r, 10));
  }
  const pending = path.join(`${h.dbPath}.certificates`, IDENTITY, 'pending');
  assert.deepEqual(await readdir(pending), []);
  assert.deepEqual(h.csms.validationFailures, []);
});
