/**
 * Issue 9 (a station touches no file after its stop): a certificate request still making its key
 * when the station stops sends no CSR, stores no pending state and removes the key it made; the
 * station's stop waits for it (CertificateSigning.settled). The CI flake this came from: a renewal
 * due at once after a CertificateSigned (a 30-day certificate) wrote its pending key into the
 * certificate directory while the test removed it (ENOTEMPTY).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CertificateSigning } from '../../src/security/certificate-signing.js';
import type { CertificateManager, KeyValuePort } from '../../src/security/certificate-manager.js';
import type { DeviceModelPort } from '../../src/runtime/ports.js';
import { REAL_TIMERS } from '../../src/runtime/timers.js';

function memoryState(): KeyValuePort & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    get: async <T>(key: string) => values.get(key) as T | undefined,
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}

function signingWithKeyInProgress() {
  let makeKey!: (made: { csrPem: string; keyId: string }) => void;
  const discarded: string[] = [];
  const sent: unknown[] = [];
  let keysStarted = 0;
  const store = {
    createCsr: () => {
      keysStarted += 1;
      return new Promise<{ csrPem: string; keyId: string }>((resolve) => (makeKey = resolve));
    },
    discardKey: async (keyId: string) => void discarded.push(keyId),
  };
  const state = memoryState();
  const deviceModel = {
    get: (ref: { variable: string }) => (ref.variable === 'OrganizationName' ? 'Test CPO' : undefined),
    getInteger: () => undefined,
  } as unknown as DeviceModelPort;
  const signing = new CertificateSigning({
    certificates: { store, validOwn: () => [] } as unknown as CertificateManager,
    deviceModel,
    clock: { nowMs: () => Date.now() } as never,
    // The retry wait armed after a send is never reached in these tests' time.
    timers: REAL_TIMERS,
    state,
    identity: () => 'CS-TEST',
    send: async (payload) => {
      sent.push(payload);
      return { status: 'Accepted' };
    },
    securityEvent: () => {},
    reportError: (error) => assert.fail(String(error)),
  });
  return {
    signing,
    makeKey: (keyId: string) => makeKey({ csrPem: 'CSR', keyId }),
    keysStarted: () => keysStarted,
    discarded,
    sent,
    state,
  };
}

const aTurn = () => new Promise((resolve) => setImmediate(resolve));

test('a request whose key is still being made at stop: settled() waits; no CSR is sent, the key is removed', async () => {
  const { signing, makeKey, discarded, sent, state } = signingWithKeyInProgress();
  const request = signing.request('ChargingStationCertificate', false);
  await aTurn(); // the request is now waiting for its key
  signing.stop();
  let settled = false;
  const done = signing.settled().then(() => (settled = true));
  await aTurn();
  assert.equal(settled, false, 'settled() must wait for the key being made');
  makeKey('k1');
  await done;
  await request;
  assert.deepEqual(discarded, ['k1']);
  assert.deepEqual(sent, []);
  assert.equal(state.values.size, 0, 'no pending CSR stored');
});

test('a request that is not stopped sends its CSR and stores it as pending; settled() then resolves', async () => {
  const { signing, makeKey, discarded, sent, state } = signingWithKeyInProgress();
  const request = signing.request('ChargingStationCertificate', true);
  await aTurn();
  makeKey('k2');
  await request;
  await signing.settled();
  assert.deepEqual(discarded, []);
  assert.deepEqual(sent, [{ csr: 'CSR', certificateType: 'ChargingStationCertificate' }]);
  assert.equal((state.values.get('certSigning:ChargingStationCertificate') as { keyId: string }).keyId, 'k2');
  signing.stop();
});

test('a CSR already waiting keeps its key and its stored state when a new request is stopped while its key is made', async () => {
  const { signing, makeKey, discarded, sent, state } = signingWithKeyInProgress();
  const waiting = {
    keyId: 'old',
    csr: 'OLD',
    commonName: 'CS-TEST',
    attempt: 0,
    delivered: true,
    deadline: '2026-12-05T12:00:00.000Z',
  };
  state.values.set('certSigning:ChargingStationCertificate', waiting);
  const request = signing.request('ChargingStationCertificate', true); // a TriggerMessage while one waits
  await aTurn();
  signing.stop();
  makeKey('new');
  await signing.settled();
  await request;
  // Only the new key goes; the waiting CSR is retried after the next start with the key it was made from.
  assert.deepEqual(discarded, ['new']);
  assert.deepEqual(sent, []);
  assert.deepEqual(state.values.get('certSigning:ChargingStationCertificate'), waiting);
});

test('a request after the stop (a TriggerMessage follow-up running late) makes no key and sends nothing', async () => {
  const { signing, keysStarted, discarded, sent, state } = signingWithKeyInProgress();
  signing.stop();
  await signing.request('V2GCertificate', true);
  await signing.settled();
  assert.equal(keysStarted(), 0);
  assert.deepEqual(discarded, []);
  assert.deepEqual(sent, []);
  assert.equal(state.values.size, 0);
});
