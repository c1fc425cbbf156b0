/**
 * M03/M04/M05 with the whole station against the strict test CSMS: InstallCertificate for every root
 * type, GetInstalledCertificateIds with hash data checked against values computed independently,
 * DeleteCertificate (NotFound, never the last CSMS root a TLS profile needs), and a host's own store.
 */
import { test } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import type {
  CertificateHashDataType,
  DeleteCertificateResponse,
  GetInstalledCertificateIdsResponse,
  InstallCertificateResponse,
  InstallCertificateUseEnumType,
} from '../../src/generated/ocpp-types.js';
import { FileCertificateStore } from '../../src/security/file-certificate-store.js';
import type { CertificateStore } from '../../src/security/certificate-store.js';
import { createTestCertificateAuthority } from '../../src/testing/test-pki.js';
import { expectedHashData } from '../helpers/certificate-hash.js';
import { testPki } from '../helpers/pki.js';
import { profile, startHarness, type Harness } from './station-harness.js';

const install = (h: Harness, certificateType: InstallCertificateUseEnumType, certificate: string) =>
  h.csms.call(h.identity, 'InstallCertificate', {
    certificateType,
    certificate,
  }) as Promise<InstallCertificateResponse>;
const installed = (h: Harness, certificateType?: string[]) =>
  h.csms.call(
    h.identity,
    'GetInstalledCertificateIds',
    certificateType ? { certificateType } : {},
  ) as Promise<GetInstalledCertificateIdsResponse>;
const remove = (h: Harness, certificateHashData: CertificateHashDataType) =>
  h.csms.call(h.identity, 'DeleteCertificate', { certificateHashData }) as Promise<DeleteCertificateResponse>;

async function booted(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(options);
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');
  return h;
}

const ROOT_TYPES: InstallCertificateUseEnumType[] = [
  'CSMSRootCertificate',
  'ManufacturerRootCertificate',
  'MORootCertificate',
  'V2GRootCertificate',
];

test('M05.FR.01/02 + M03.FR.02–04 (TC_M_01–04, TC_M_12–16, TC_M_18/19): every root type installs; GetInstalledCertificateIds reports SHA256 hash data computed over the DER issuer name, the issuer key bits and the serial number; filtered by type; NotFound when none', async (t) => {
  const h = await booted();
  t.after(() => h.close());
  assert.equal((await installed(h)).status, 'NotFound');
  const roots = new Map(
    ROOT_TYPES.map((type) => [type, createTestCertificateAuthority({ commonName: `${type} CA` }).cert]),
  );
  for (const [type, pem] of roots) assert.equal((await install(h, type, pem)).status, 'Accepted', type);

  const all = await installed(h);
  assert.equal(all.status, 'Accepted');
  assert.deepEqual(new Set(all.certificateHashDataChain?.map((c) => c.certificateType)), new Set(ROOT_TYPES));
  for (const chain of all.certificateHashDataChain ?? []) {
    const pem = roots.get(chain.certificateType as InstallCertificateUseEnumType) as string;
    assert.deepEqual(chain.certificateHashData, expectedHashData(pem), chain.certificateType);
    assert.equal(chain.childCertificateHashData, undefined);
  }
  const mo = await installed(h, ['MORootCertificate']);
  assert.deepEqual(
    mo.certificateHashDataChain?.map((c) => c.certificateType),
    ['MORootCertificate'],
  );
  assert.equal((await installed(h, ['V2GCertificateChain'])).status, 'NotFound');

  // M05.FR.17: the same certificate again replaces it (still one).
  assert.equal(
    (await install(h, 'MORootCertificate', roots.get('MORootCertificate') as string)).status,
    'Accepted',
  );
  assert.equal((await installed(h, ['MORootCertificate'])).certificateHashDataChain?.length, 1);
  assert.equal(
    h.station.deviceModel.get({ component: 'SecurityCtrlr', variable: 'CertificateEntries' }),
    '4',
  );
  // Roots by type for the host (signed firmware checks ManufacturerRootCertificate).
  assert.equal(h.station.certificates.roots('ManufacturerRootCertificate').length, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('M05.FR.07: an invalid certificate (not PEM, a leaf instead of a CA, expired) is Rejected and not installed', async (t) => {
  const h = await booted();
  t.after(() => h.close());
  const pki = testPki();
  const expired = createTestCertificateAuthority().issueServerCertificate({ validDays: -1 });
  for (const bad of ['not a certificate', pki.client.cert, expired.cert]) {
    const response = await install(h, 'V2GRootCertificate', bad);
    assert.equal(response.status, 'Rejected');
    assert.equal(response.statusInfo?.reasonCode, 'InvalidCertificate');
  }
  // No secret in the reason: a private key given as a certificate is not echoed back.
  const withKey = await install(h, 'V2GRootCertificate', pki.client.key);
  assert.equal(withKey.status, 'Rejected');
  assert.ok(!JSON.stringify(withKey).includes('PRIVATE KEY'));
  assert.equal((await installed(h)).status, 'NotFound');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('M04.FR.02/04 (TC_M_20/22_CS): DeleteCertificate removes the certificate the hash data names; NotFound afterwards and for unknown hash data', async (t) => {
  const h = await booted();
  t.after(() => h.close());
  const root = createTestCertificateAuthority({ commonName: 'MO CA' }).cert;
  assert.equal((await install(h, 'MORootCertificate', root)).status, 'Accepted');
  const hash = (await installed(h)).certificateHashDataChain?.[0]?.certificateHashData;
  assert.ok(hash);
  // Upper-case hex and a leading zero in the serial still name it.
  const variant = {
    ...hash,
    issuerKeyHash: hash.issuerKeyHash.toUpperCase(),
    serialNumber: `0${hash.serialNumber}`,
  };
  assert.equal((await remove(h, variant)).status, 'Accepted');
  assert.equal((await remove(h, hash)).status, 'NotFound');
  assert.equal((await installed(h)).status, 'NotFound');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('M04.FR.03: the last CSMS root a security profile 2 connection needs is not deleted (Failed); with a second root it is', async (t) => {
  const pki = testPki();
  const h = await booted({
    csms: { tls: { cert: pki.server.cert, key: pki.server.key } },
    profiles: (csms) => [profile(1, csms.url, { securityProfile: 2 })],
    station: { tls: { ca: pki.ca.cert } },
  });
  t.after(() => h.close());
  assert.equal((await install(h, 'CSMSRootCertificate', pki.ca.cert)).status, 'Accepted');
  // From now on the store's root is the only trust anchor.
  await h.restart({ tls: {} });
  await h.csms.waitForCall('BootNotification');
  const hash = (await installed(h, ['CSMSRootCertificate'])).certificateHashDataChain?.[0]
    ?.certificateHashData;
  assert.ok(hash);
  assert.deepEqual(hash, expectedHashData(pki.ca.cert));
  assert.equal((await remove(h, hash)).status, 'Failed');
  assert.equal((await install(h, 'CSMSRootCertificate', pki.otherCa.cert)).status, 'Accepted');
  assert.equal((await remove(h, hash)).status, 'Accepted');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('a certificate store supplied by the host (ChargePointOptions.certificates.store) is the one used', async (t) => {
  const calls: string[] = [];
  const inner = new FileCertificateStore(await mkdtemp(path.join(tmpdir(), 'host-store-')));
  const store: CertificateStore = {
    list: () => (calls.push('list'), inner.list()),
    addRoot: (type, pem) => (calls.push(`addRoot:${type}`), inner.addRoot(type, pem)),
    remove: (id) => (calls.push('remove'), inner.remove(id)),
    createCsr: (use, subject) => (calls.push('createCsr'), inner.createCsr(use, subject)),
    addSigned: (use, chain, keyId) => (calls.push('addSigned'), inner.addSigned(use, chain, keyId)),
    publicKey: (keyId) => inner.publicKey(keyId),
    discardKey: (keyId) => inner.discardKey(keyId),
    credentials: (id) => inner.credentials(id),
  };
  const h = await booted({ station: { certificates: { store } } });
  t.after(() => h.close());
  assert.equal(
    (await install(h, 'V2GRootCertificate', createTestCertificateAuthority().cert)).status,
    'Accepted',
  );
  assert.ok(calls.includes('addRoot:V2GRootCertificate'), calls.join(','));
  assert.equal((await inner.list()).length, 1);
});
