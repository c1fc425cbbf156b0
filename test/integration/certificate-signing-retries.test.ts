/**
 * A02.FR.17–19 with the whole station on a simulated clock: when no CertificateSigned arrives, the
 * same CSR is sent again after CertSigningWaitMinimum, then after twice that, CertSigningRepeatTimes
 * times; the wait is a persisted deadline that survives a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertificateSignedResponse, SignCertificateRequest } from '../../src/generated/ocpp-types.js';
import { testPki } from '../helpers/pki.js';
import { createStationClock } from '../../src/clock.js';
import { SimulatedTimers } from '../helpers/simulated-timers.js';
import { startHarness } from './station-harness.js';

/** RSA 2048 key generation before each SignCertificate takes seconds on a busy machine. */
const KEYGEN_TIMEOUT_MS = 30_000;


/** Timers driven by the test: time moves only in advanceTo. */

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The CSMS sets the station clock (BootNotificationResponse.currentTime, B01.FR.06) to real time while
 * the timers stay simulated: waits are compared in whole seconds, within the few seconds the test runs.
 */
const near = (actualMs: number, expectedMs: number) =>
  Math.abs(actualMs - expectedMs) < 5_000 ? expectedMs : actualMs;

test('A02.FR.17/18/19 (TC_A_23_CS): no CertificateSigned → the same CSR again after CertSigningWaitMinimum, then after double the wait, until CertSigningRepeatTimes doublings are spent; the deadline survives a restart', async (t) => {
  const timers = new SimulatedTimers();
  const { ca } = testPki();
  const clock = createStationClock(undefined, () => timers.nowMs);
  const h = await startHarness({
    set: [
      'SecurityCtrlr.OrganizationName=Test CSO',
      'SecurityCtrlr.CertSigningWaitMinimum=60',
      'SecurityCtrlr.CertSigningRepeatTimes=1',
    ],
    station: { clock, timers, tls: { ca: ca.cert } },
  });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
  const first = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  const signing = () => h.station.station.certificates.signing;
  const pending = () => signing().pending('ChargingStationCertificate');
  const armed = await until(pending, (p) => typeof p?.deadline === 'string', 'the persisted deadline');
  assert.equal(near(Date.parse(armed?.deadline ?? '') - clock.nowMs(), 60_000), 60_000);

  // A power loss: the new station re-arms the stored deadline.
  await h.restart();
  await h.csms.waitForCall('BootNotification');
  await until(
    async () => h.station.registrationStatus,
    (s) => s === 'Accepted',
    'registration',
  );
  const start = timers.nowMs;
  await timers.advanceTo(start + 50_000);
  assert.equal(
    h.csms.calls.filter((c) => c.action === 'SignCertificate').length,
    1,
    'not before the deadline',
  );
  await timers.advanceTo(start + 70_000);
  const second = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  assert.equal(second.csr, first.csr, 'A02.FR.17: the same CSR');
  const retry1 = await until(pending, (p) => p?.attempt === 1 && typeof p.deadline === 'string', 'retry 1');
  assert.equal(
    near(Date.parse(retry1?.deadline ?? '') - clock.nowMs(), 120_000),
    120_000,
    'A02.FR.18: doubled',
  );

  await timers.advanceTo(timers.nowMs + 125_000);
  const third = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  assert.equal(third.csr, first.csr);
  const retry2 = await until(pending, (p) => p?.attempt === 2, 'retry 2');
  assert.equal(near(Date.parse(retry2?.deadline ?? '') - clock.nowMs(), 240_000), 240_000);

  // A02.FR.19: one doubling (CertSigningRepeatTimes 1) is spent: no more until triggered again.
  await timers.advanceTo(timers.nowMs + 245_000);
  await until(pending, (p) => p?.deadline === null, 'the end of the retries');
  assert.equal(h.csms.calls.filter((c) => c.action === 'SignCertificate').length, 3);

  // TC_A_23_CS step 11: the certificate for the CSR of the first request is still accepted.
  const signed = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain: ca.signCsr(first.csr),
    certificateType: 'ChargingStationCertificate',
  })) as CertificateSignedResponse;
  assert.equal(signed.status, 'Accepted');
  assert.deepEqual(h.csms.validationFailures, []);
});
