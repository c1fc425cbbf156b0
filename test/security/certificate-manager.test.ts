/**
 * CertificateManager's connection rules with a real file store and a stub device model:
 * M05.FR.13 (the fallback CSMS root goes after a connection with the new one) and A02.FR.10/28/29
 * (errata: two client certificates alternate after failures; the one not in use is discarded).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { CertificateManager } from '../../src/security/certificate-manager.js';
import { FileCertificateStore } from '../../src/security/file-certificate-store.js';
import type { DeviceModelPort } from '../../src/runtime/ports.js';
import { TransportError } from '../../src/transport/errors.js';
import { createTestCertificateAuthority } from '../../src/testing/test-pki.js';
import { testPki } from '../helpers/pki.js';

function stubDeviceModel(values: Record<string, string>): DeviceModelPort {
  const key = (ref: { component: string; variable: string }) => `${ref.component}.${ref.variable}`;
  const port: Pick<DeviceModelPort, 'has' | 'get' | 'getInteger' | 'getBoolean' | 'set'> = {
    has: (ref) => key(ref) in values,
    get: (ref) => values[key(ref)],
    getInteger: (ref) => (values[key(ref)] === undefined ? undefined : Number(values[key(ref)])),
    getBoolean: (ref) => (values[key(ref)] === undefined ? undefined : values[key(ref)] === 'true'),
    set: async (ref, value) => {
      values[key(ref)] = value;
      return 'Accepted';
    },
  };
  return port as DeviceModelPort;
}

async function manager(t: { after(fn: () => unknown): void }, values: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'cert-manager-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = new FileCertificateStore(dir);
  const state = new Map<string, unknown>();
  const events: string[] = [];
  const certificates = new CertificateManager({
    store,
    deviceModel: stubDeviceModel({ 'SecurityCtrlr.SecurityProfile': '2', ...values }),
    nowMs: () => Date.now(),
    state: {
      get: async <T>(k: string) => state.get(k) as T | undefined,
      set: async (k, v) => void state.set(k, v),
      delete: async (k) => void state.delete(k),
    },
    securityEvent: (type) => events.push(type),
    reportError: (e) => assert.fail(String(e)),
  });
  await certificates.load();
  return { store, certificates, events };
}

test('M05.FR.12–14: the new root alone is offered first; a refused server certificate switches to the fallback; a connection with the new root removes the fallback (M05.FR.13)', async (t) => {
  const { ca } = testPki();
  const { store, certificates } = await manager(t, {
    'SecurityCtrlr.AdditionalRootCertificateCheck': 'true',
  });
  await store.addRoot('CSMSRootCertificate', ca.cert);
  await certificates.load();
  const successor = createTestCertificateAuthority({ commonName: 'Root 2', issuer: ca });
  assert.equal((await certificates.install('CSMSRootCertificate', successor.cert)).status, 'Accepted');
  const offered = () =>
    [certificates.tls(2)?.ca ?? []].flat().map((pem) => new X509Certificate(pem).fingerprint256);
  const fp = (pem: string) => new X509Certificate(pem).fingerprint256;
  assert.deepEqual(offered(), [fp(successor.cert)]);
  certificates.onConnectFailed(new TransportError('tls-server-certificate', 'unable to verify'));
  assert.deepEqual(offered(), [fp(ca.cert)]);
  await certificates.onConnected(); // with the fallback: both stay
  assert.equal(certificates.installedIds(['CSMSRootCertificate']).length, 2);
  certificates.onConnectFailed(new TransportError('tls-server-certificate', 'unable to verify'));
  assert.deepEqual(offered(), [fp(successor.cert)]);
  await certificates.onConnected();
  assert.equal(certificates.installedIds(['CSMSRootCertificate']).length, 1);
  assert.deepEqual(offered(), [fp(successor.cert)]);
});

test('A02.FR.28/10/29 (errata): after a failed profile 3 attempt with the renewed certificate the old one is tried; connecting with the old discards the renewed one and raises DiscardedRenewedClientCertificate', async (t) => {
  const { ca } = testPki();
  const { store, certificates, events } = await manager(t);
  const install = async (minutesAgo: number) => {
    const { csrPem, keyId } = await store.createCsr('ChargingStationCertificate', {
      commonName: 'CS001',
      organization: 'O',
    });
    const notBefore = new Date(Date.now() - minutesAgo * 60_000);
    return store.addSigned('ChargingStationCertificate', ca.signCsr(csrPem, { notBefore }), keyId);
  };
  const old = await install(60);
  const renewed = await install(1);
  await certificates.load();
  const presented = () => certificates.tls(3)?.cert;
  assert.equal(presented(), renewed.pem, 'A02.FR.09: the newest first');
  certificates.onConnectFailed(new TransportError('tls', 'handshake refused'));
  assert.equal(presented(), old.pem);
  await certificates.onConnected();
  assert.deepEqual(events, ['DiscardedRenewedClientCertificate']);
  assert.deepEqual(
    (await store.list()).map((c) => c.id),
    [old.id],
  );
  assert.equal(certificates.hasClientCertificate(), true);
});
