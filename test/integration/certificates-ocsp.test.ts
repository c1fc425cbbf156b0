/**
 * M06 with the whole station against the strict test CSMS, on simulated timers: the station requests
 * and caches the OCSP status of its V2G certificate and of the sub-CA of its chain (M06.FR.06,
 * errata TC_M_24_CS), again for the whole chain after a new V2G certificate (M06.FR.07), a week
 * after the last answer (M06.FR.10, the deadline survives a restart), and keeps the cached data
 * when the CSMS answers Failed (M06.FR.04), asking again an hour later.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CertificateSignedResponse,
  GetCertificateStatusRequest,
  SignCertificateRequest,
} from '../../src/generated/ocpp-types.js';
import { createStationClock } from '../../src/clock.js';
import { OCSP_FAILED_RETRY_S, OCSP_REFRESH_DAYS } from '../../src/security/ocsp-cache.js';
import { createTestCertificateAuthority } from '../../src/testing/test-pki.js';
import { expectedHashData } from '../helpers/certificate-hash.js';
import { SimulatedTimers } from '../helpers/simulated-timers.js';
import { startHarness } from './station-harness.js';

/** RSA 2048 key generation before each SignCertificate takes seconds on a busy machine. */
const KEYGEN_TIMEOUT_MS = 30_000;
const DAY_MS = 86_400_000;
const LEAF_OCSP = 'http://ocsp.example.test/leaf';
const SUB_CA_OCSP = 'http://ocsp.example.test/sub-ca';

test('M06.FR.06/07/10/04 (TC_M_24_CS, TC_M_25_CS): the OCSP status of the V2G certificate and its sub-CA is requested after CertificateSigned, cached, refreshed a week later (also after a restart), and kept when the CSMS answers Failed', async (t) => {
  const timers = new SimulatedTimers();
  const clock = createStationClock(undefined, () => timers.nowMs);
  const h = await startHarness({
    // No heartbeats while the test moves time by a week; the CSMS does not set the clock.
    csms: { boot: { heartbeatInterval: 60 * 86_400 } },
    set: [
      'SecurityCtrlr.OrganizationName=Test CSO',
      'ISO15118Ctrlr.SeccId=SECC-0001',
      'ClockCtrlr.TimeSource=RealTimeClock',
    ],
    station: { clock, timers },
  });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  let answers = 0;
  let failing = false;
  h.csms.onCall('GetCertificateStatus', () =>
    failing
      ? { status: 'Failed' }
      : { status: 'Accepted', ocspResult: Buffer.from(`ocsp-${++answers}`).toString('base64') },
  );
  const asked = () => h.csms.calls.filter((c) => c.action === 'GetCertificateStatus');
  const requestsFrom = (from: number) =>
    asked()
      .slice(from)
      .map((c) => (c.payload as GetCertificateStatusRequest).ocspRequestData);

  const root = createTestCertificateAuthority({ commonName: 'V2G Root CA' });
  const subCa = createTestCertificateAuthority({
    commonName: 'CPO Sub-CA 1',
    issuer: root,
    ocspUrl: SUB_CA_OCSP,
  });
  await h.csms.call(h.identity, 'InstallCertificate', {
    certificateType: 'V2GRootCertificate',
    certificate: root.cert,
  });
  assert.deepEqual(await h.station.cachedOcspResponses(), [], 'no V2G certificate, nothing cached');
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' });
  const csr = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  const leaf = subCa.signCsr(csr.csr, { validDays: 365, ocspUrl: LEAF_OCSP });
  const signed = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain: leaf + subCa.cert,
    certificateType: 'V2GCertificate',
  })) as CertificateSignedResponse;
  assert.equal(signed.status, 'Accepted');

  // M06.FR.07 (errata: leaf and sub-CAs): one GetCertificateStatus per certificate; the root has none.
  await h.csms.waitForCall('GetCertificateStatus');
  await h.csms.waitForCall('GetCertificateStatus');
  const expected = [
    { ...expectedHashData(leaf, subCa.cert), responderURL: LEAF_OCSP },
    { ...expectedHashData(subCa.cert, root.cert), responderURL: SUB_CA_OCSP },
  ];
  assert.deepEqual(requestsFrom(0), expected);
  const cached = await h.station.cachedOcspResponses();
  assert.deepEqual(
    cached.map((e) => [e.role, e.request.responderURL, Buffer.from(e.ocspResult ?? '', 'base64').toString()]),
    [
      ['leaf', LEAF_OCSP, 'ocsp-1'],
      ['subCA', SUB_CA_OCSP, 'ocsp-2'],
    ],
  );

  // M06.FR.10: not before a week has passed; then both again. The deadline survives a restart.
  const fetched = timers.nowMs;
  await h.restart();
  await timers.advanceTo(fetched + OCSP_REFRESH_DAYS * DAY_MS - 60_000);
  assert.equal(asked().length, 2, 'nothing before the week is over');
  failing = true; // M06.FR.04: this time the CSMS cannot get the status
  await timers.advanceTo(fetched + OCSP_REFRESH_DAYS * DAY_MS + 60_000);
  await h.csms.waitForCall('GetCertificateStatus');
  await h.csms.waitForCall('GetCertificateStatus');
  assert.deepEqual(requestsFrom(2), expected);
  const kept = await h.station.cachedOcspResponses();
  assert.deepEqual(
    kept.map((e) => [e.lastStatus, Buffer.from(e.ocspResult ?? '', 'base64').toString()]),
    [
      ['Failed', 'ocsp-1'],
      ['Failed', 'ocsp-2'],
    ],
    'the previous answers stay cached',
  );

  // Asked again an hour after the failure.
  failing = false;
  await timers.advance(OCSP_FAILED_RETRY_S * 1000 + 60_000);
  await h.csms.waitForCall('GetCertificateStatus');
  await h.csms.waitForCall('GetCertificateStatus');
  const refreshed = await h.station.cachedOcspResponses();
  assert.deepEqual(
    refreshed.map((e) => [e.lastStatus, Buffer.from(e.ocspResult ?? '', 'base64').toString()]),
    [
      ['Accepted', 'ocsp-3'],
      ['Accepted', 'ocsp-4'],
    ],
  );
  assert.deepEqual(h.csms.validationFailures, []);
});
