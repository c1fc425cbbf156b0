/**
 * M06 at start: the OCSP refresh that became due while the station was off waits for the station to
 * be registered (BootNotification Accepted) and then runs at once, with no retry wait: nothing is
 * asked (and so nothing fails as NotDelivered) while the CSMS answers Pending. Whole station against
 * the strict test CSMS on simulated timers: no simulated time passes between Accepted and the
 * requests, so a fixed wait would make the test time out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  BootNotificationResponse,
  CertificateSignedResponse,
  SignCertificateRequest,
} from '../../src/generated/ocpp-types.js';
import { createStationClock } from '../../src/clock.js';
import { OCSP_REFRESH_DAYS } from '../../src/security/ocsp-cache.js';
import { createTestCertificateAuthority } from '../../src/testing/test-pki.js';
import { nextEvent } from '../../src/testing/wait-for.js';
import { SimulatedTimers } from '../helpers/simulated-timers.js';
import { startHarness } from './station-harness.js';

/** RSA 2048 key generation before SignCertificate takes seconds on a busy machine. */
const KEYGEN_TIMEOUT_MS = 30_000;
const DAY_MS = 86_400_000;
/** The Pending interval runs on the statecharts' own (real) timers; the OCSP retry on the simulated ones. */
const PENDING_INTERVAL_S = 1;
const WAIT_MS = 20_000;

test('M06.FR.10 (TC_M_24_CS) after a restart: the due OCSP refresh is not asked while BootNotification is Pending (B02.FR.02) and runs as soon as it is Accepted, without waiting for a retry', async (t) => {
  const timers = new SimulatedTimers();
  const clock = createStationClock(undefined, () => timers.nowMs);
  let bootStatus: 'Accepted' | 'Pending' = 'Accepted';
  const h = await startHarness({
    csms: { boot: { heartbeatInterval: 60 * 86_400 } },
    set: [
      'SecurityCtrlr.OrganizationName=Test CSO',
      'ISO15118Ctrlr.SeccId=SECC-0001',
      'ClockCtrlr.TimeSource=RealTimeClock',
    ],
    station: { clock, timers },
  });
  t.after(() => h.close());
  h.csms.onCall('BootNotification', (): BootNotificationResponse => ({
    currentTime: new Date(timers.nowMs).toISOString(),
    interval: bootStatus === 'Pending' ? PENDING_INTERVAL_S : 60 * 86_400,
    status: bootStatus,
  }));
  await h.csms.waitForCall('BootNotification');
  let answers = 0;
  h.csms.onCall('GetCertificateStatus', () => ({
    status: 'Accepted',
    ocspResult: Buffer.from(`ocsp-${++answers}`).toString('base64'),
  }));
  /** The station took in a BootNotificationResponse with `status` (now or already). */
  const registration = (status: string): Promise<unknown> =>
    h.station.registrationStatus === status
      ? Promise.resolve()
      : nextEvent(
          (listener) =>
            h.station.subscribe((e) => e.type === 'registration' && e.status === status && listener(e)),
          `registration ${status}`,
          WAIT_MS,
        );
  const asked = () => h.csms.calls.filter((c) => c.action === 'GetCertificateStatus').length;

  // A V2G certificate with a sub-CA, both with an OCSP responder: two cached statuses (M06.FR.07).
  const root = createTestCertificateAuthority({ commonName: 'V2G Root CA' });
  const subCa = createTestCertificateAuthority({
    commonName: 'CPO Sub-CA 1',
    issuer: root,
    ocspUrl: 'http://ocsp.example.test/sub-ca',
  });
  await h.csms.call(h.identity, 'InstallCertificate', {
    certificateType: 'V2GRootCertificate',
    certificate: root.cert,
  });
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' });
  const csr = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  const signed = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain:
      subCa.signCsr(csr.csr, { validDays: 365, ocspUrl: 'http://ocsp.example.test/leaf' }) + subCa.cert,
    certificateType: 'V2GCertificate',
  })) as CertificateSignedResponse;
  assert.equal(signed.status, 'Accepted');
  await h.csms.waitForCall('GetCertificateStatus');
  await h.csms.waitForCall('GetCertificateStatus');
  // Both answers taken in (the CSMS has the calls before the station has the responses).
  assert.deepEqual(
    (await h.station.cachedOcspResponses()).map((e) => e.lastStatus),
    ['Accepted', 'Accepted'],
  );
  assert.equal(asked(), 2);

  // The station is off for more than a week (its clock is 8 days on when it starts again) and the
  // CSMS first answers its BootNotification with Pending.
  bootStatus = 'Pending';
  const later = createStationClock(undefined, () => timers.nowMs + (OCSP_REFRESH_DAYS + 1) * DAY_MS);
  await h.restart({ clock: later });
  await h.csms.waitForCall('BootNotification');
  await registration('Pending');
  const pending = await h.station.cachedOcspResponses();
  assert.equal(asked(), 2, 'nothing asked while Pending');
  assert.deepEqual(
    pending.map((e) => e.lastStatus),
    ['Accepted', 'Accepted'],
    'no attempt made (and none failed as NotDelivered) before the registration',
  );

  // B02: the next BootNotification after the Pending interval is Accepted: the refresh follows at
  // once. The simulated timers, which carry the retry wait of an undelivered request, stay still.
  bootStatus = 'Accepted';
  const still = timers.nowMs;
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('GetCertificateStatus');
  await h.csms.waitForCall('GetCertificateStatus');
  assert.equal(timers.nowMs, still, 'no simulated time passed');
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
