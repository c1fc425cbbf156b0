/**
 * ISO 15118 certificates with the whole station against the strict test CSMS: A02 SignV2GCertificate
 * (CN = SeccId), a V2G chain (leaf + sub-CA) verified against the installed V2GRootCertificate,
 * GetInstalledCertificateIds V2GCertificateChain with the sub-CA as child (M03.FR.05), and the host
 * calls M01/M02 Get15118EVCertificate and M06 GetCertificateStatus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CertificateSignedResponse,
  DeleteCertificateResponse,
  GetInstalledCertificateIdsResponse,
  SignCertificateRequest,
} from '../../src/generated/ocpp-types.js';
import forge from 'node-forge';
import { createTestCertificateAuthority } from '../../src/testing/test-pki.js';
import { expectedHashData } from '../helpers/certificate-hash.js';
import { bootedV2gStation, KEYGEN_TIMEOUT_MS } from './v2g-station.js';

const booted = bootedV2gStation;

test('A02 SignV2GCertificate + M03.FR.05 (TC_A_12_CS): a V2G chain signed by a sub-CA of the installed V2G root is Accepted and listed with the sub-CA as child; it can be deleted', async (t) => {
  const h = await booted();
  t.after(() => h.close());
  const root = createTestCertificateAuthority({ commonName: 'V2G Root CA' });
  const subCa = createTestCertificateAuthority({ commonName: 'CPO Sub-CA 1', issuer: root });
  await h.csms.call(h.identity, 'InstallCertificate', {
    certificateType: 'V2GRootCertificate',
    certificate: root.cert,
  });
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' });
  const request = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  assert.equal(request.certificateType, 'V2GCertificate');
  const csr = forge.pki.certificationRequestFromPem(request.csr);
  assert.equal(csr.subject.getField('CN')?.value, 'SECC-0001');
  assert.equal(csr.subject.getField('O')?.value, 'Test CPO');

  const leaf = subCa.signCsr(request.csr);
  const response = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain: leaf + subCa.cert,
    certificateType: 'V2GCertificate',
  })) as CertificateSignedResponse;
  assert.equal(response.status, 'Accepted');

  const chains = (await h.csms.call(h.identity, 'GetInstalledCertificateIds', {
    certificateType: ['V2GCertificateChain'],
  })) as GetInstalledCertificateIdsResponse;
  assert.equal(chains.status, 'Accepted');
  assert.deepEqual(chains.certificateHashDataChain, [
    {
      certificateType: 'V2GCertificateChain',
      certificateHashData: expectedHashData(leaf, subCa.cert),
      childCertificateHashData: [expectedHashData(subCa.cert, root.cert)],
    },
  ]);
  const deleted = (await h.csms.call(h.identity, 'DeleteCertificate', {
    certificateHashData: expectedHashData(leaf, subCa.cert),
  })) as DeleteCertificateResponse;
  assert.equal(deleted.status, 'Accepted');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('A02.FR.06: a V2G certificate whose chain does not reach the V2G root (sub-CA missing) is Rejected', async (t) => {
  const h = await booted();
  t.after(() => h.close());
  const root = createTestCertificateAuthority({ commonName: 'V2G Root CA' });
  const subCa = createTestCertificateAuthority({ commonName: 'CPO Sub-CA 1', issuer: root });
  await h.csms.call(h.identity, 'InstallCertificate', {
    certificateType: 'V2GRootCertificate',
    certificate: root.cert,
  });
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' });
  const request = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  const response = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain: subCa.signCsr(request.csr),
    certificateType: 'V2GCertificate',
  })) as CertificateSignedResponse;
  assert.equal(response.status, 'Rejected');
  assert.match(response.statusInfo?.additionalInfo ?? '', /root/);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('M01.FR.01/M02.FR.01 + M06 (TC_M_24_CS): the host forwards the EV request in Get15118EVCertificate and asks for OCSP data in GetCertificateStatus; the CSMS answers come back', async (t) => {
  const h = await booted();
  t.after(() => h.close());
  h.csms.onCall('Get15118EVCertificate', () => ({ status: 'Accepted', exiResponse: 'RVhJLXJlc3BvbnNl' }));
  h.csms.onCall('GetCertificateStatus', () => ({ status: 'Accepted', ocspResult: 'MIIBOCSP' }));
  const request = {
    iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef',
    action: 'Install' as const,
    exiRequest: 'RVhJLXJlcXVlc3Q=',
  };
  assert.deepEqual(await h.station.get15118EvCertificate(request), {
    status: 'Accepted',
    exiResponse: 'RVhJLXJlc3BvbnNl',
  });
  assert.deepEqual((await h.csms.waitForCall('Get15118EVCertificate')).payload, request);
  const ocsp = {
    hashAlgorithm: 'SHA256' as const,
    issuerNameHash: 'aa'.repeat(32),
    issuerKeyHash: 'bb'.repeat(32),
    serialNumber: '1f',
    responderURL: 'http://ocsp.example.test',
  };
  assert.deepEqual(await h.station.getCertificateStatus(ocsp), {
    status: 'Accepted',
    ocspResult: 'MIIBOCSP',
  });
  assert.deepEqual((await h.csms.waitForCall('GetCertificateStatus')).payload, { ocspRequestData: ocsp });
  assert.deepEqual(h.csms.validationFailures, []);
});
