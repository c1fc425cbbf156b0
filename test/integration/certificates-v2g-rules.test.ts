/**
 * The remaining ISO 15118 certificate rules with the whole station against the strict test CSMS:
 * A02.FR.21 (a refused V2G CSR turns PnCEnabled off until the reboot) and M04.FR.08 (deleting a root
 * or a sub-CA deletes the V2G certificates that depend on it, instead of leaving orphans that could
 * no longer be listed or deleted).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CertificateSignedResponse,
  DeleteCertificateResponse,
  GetInstalledCertificateIdsResponse,
  GetVariablesResponse,
  SignCertificateRequest,
} from '../../src/generated/ocpp-types.js';
import { createTestCertificateAuthority, type TestCertificateAuthority } from '../../src/testing/test-pki.js';
import { expectedHashData } from '../helpers/certificate-hash.js';
import type { Harness } from './station-harness.js';
import { bootedV2gStation, KEYGEN_TIMEOUT_MS } from './v2g-station.js';

const booted = bootedV2gStation;

/** ISO15118Ctrlr.PnCEnabled as the CSMS reads it (GetVariables). */
async function pncEnabled(h: Harness): Promise<string | undefined> {
  const response = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: 'ISO15118Ctrlr' }, variable: { name: 'PnCEnabled' } }],
  })) as GetVariablesResponse;
  return response.getVariableResult[0]?.attributeValue;
}

/** Triggers a V2G CSR and answers it with a chain signed by `issuer` (+ `extra` chain). */
async function signV2g(h: Harness, issuer: TestCertificateAuthority, extra = ''): Promise<string> {
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' });
  const request = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  // Valid for longer than RENEWAL_MARGIN_DAYS: no A03 renewal CSR interferes.
  const leaf = issuer.signCsr(request.csr, { validDays: 365 });
  const response = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain: leaf + extra,
    certificateType: 'V2GCertificate',
  })) as CertificateSignedResponse;
  assert.equal(response.status, 'Accepted', JSON.stringify(response.statusInfo));
  return leaf;
}

/** Asks again (each a round trip to the station) until `ok`; fails after 20 s. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(value)})`);
  }
}

async function v2gChains(h: Harness): Promise<GetInstalledCertificateIdsResponse> {
  return (await h.csms.call(h.identity, 'GetInstalledCertificateIds', {
    certificateType: ['V2GCertificateChain'],
  })) as GetInstalledCertificateIdsResponse;
}

test('A02.FR.21: SignCertificateResponse Rejected for a V2GCertificate turns ISO15118Ctrlr.PnCEnabled off until the station reboots; a refused ChargingStationCertificate CSR does not', async (t) => {
  const h = await booted();
  t.after(() => h.close());
  h.csms.onCall('SignCertificate', () => ({ status: 'Rejected' }));
  assert.equal(await pncEnabled(h), 'true');

  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
  await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS);
  assert.equal(await pncEnabled(h), 'true', 'not for the ChargingStationCertificate');

  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' });
  const request = await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS);
  assert.equal((request.payload as SignCertificateRequest).certificateType, 'V2GCertificate');
  // The station handles the answer after the CSMS has sent it: ask until it has.
  await until(
    () => pncEnabled(h),
    (v) => v === 'false',
    'PnCEnabled false',
  );

  await h.restart();
  await h.csms.waitForCall('BootNotification');
  assert.equal(await pncEnabled(h), 'true', 'on again after the reboot');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('M04.FR.08: deleting the V2G root deletes the V2G certificate chained to it; deleting a sub-CA (a child in GetInstalledCertificateIds) deletes the chain that holds it', async (t) => {
  const h = await booted();
  t.after(() => h.close());
  const root = createTestCertificateAuthority({ commonName: 'V2G Root CA' });
  const subCa = createTestCertificateAuthority({ commonName: 'CPO Sub-CA 1', issuer: root });
  await h.csms.call(h.identity, 'InstallCertificate', {
    certificateType: 'V2GRootCertificate',
    certificate: root.cert,
  });
  const mo = createTestCertificateAuthority({ commonName: 'MO Root CA' });
  await h.csms.call(h.identity, 'InstallCertificate', {
    certificateType: 'MORootCertificate',
    certificate: mo.cert,
  });

  // A chain leaf + sub-CA under the V2G root; deleting the sub-CA (a child) removes it.
  const leaf = await signV2g(h, subCa, subCa.cert);
  const listed = await v2gChains(h);
  assert.deepEqual(listed.certificateHashDataChain?.[0]?.childCertificateHashData, [
    expectedHashData(subCa.cert, root.cert),
  ]);
  const bySubCa = (await h.csms.call(h.identity, 'DeleteCertificate', {
    certificateHashData: expectedHashData(subCa.cert, root.cert),
  })) as DeleteCertificateResponse;
  assert.equal(bySubCa.status, 'Accepted');
  assert.equal((await v2gChains(h)).status, 'NotFound');
  const gone = (await h.csms.call(h.identity, 'DeleteCertificate', {
    certificateHashData: expectedHashData(leaf, subCa.cert),
  })) as DeleteCertificateResponse;
  assert.equal(gone.status, 'NotFound');

  // Again, then the root itself: the chain goes with it, the unrelated MO root stays.
  await signV2g(h, subCa, subCa.cert);
  assert.equal((await v2gChains(h)).status, 'Accepted');
  const byRoot = (await h.csms.call(h.identity, 'DeleteCertificate', {
    certificateHashData: expectedHashData(root.cert),
  })) as DeleteCertificateResponse;
  assert.equal(byRoot.status, 'Accepted');
  const all = (await h.csms.call(
    h.identity,
    'GetInstalledCertificateIds',
    {},
  )) as GetInstalledCertificateIdsResponse;
  assert.deepEqual(
    all.certificateHashDataChain?.map((c) => c.certificateType),
    ['MORootCertificate'],
  );
  assert.equal(h.station.certificates.validOwn('V2GCertificate').length, 0, 'no orphan left in the store');
  assert.deepEqual(h.csms.validationFailures, []);
});
