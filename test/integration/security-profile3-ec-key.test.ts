/**
 * Security profile 3 with an ECDSA P-256 client certificate whose key is a SEC1 PEM
 * (`-----BEGIN EC PRIVATE KEY-----`, what `openssl ecparam -genkey` writes), given through the host
 * API (`tls.cert`/`tls.key`): mutual TLS against the strict test CSMS, which checks the certificate
 * against its CA. A key that cannot be used (encrypted without `tls.passphrase`, a wrong passphrase,
 * the key of another certificate, one without the other) stops start() with a CertificateFormatError
 * naming the option, never the key's text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { ChargePointOptions } from '../../src/charge-point-options.js';
import { CertificateFormatError } from '../../src/security/pem.js';
import type { RpcServerClient } from '../../src/testing/test-csms.js';
import { issueEcClientCertificate } from '../helpers/ec-client-certificate.js';
import { testPki } from '../helpers/pki.js';
import { profile, startHarness } from './station-harness.js';

const WAIT_MS = 20_000;

function presented(client: RpcServerClient) {
  const socket = (client as unknown as { handshake: { request: { socket: TLSSocket } } }).handshake.request
    .socket;
  return socket.getPeerX509Certificate();
}

async function profile3(tls: ChargePointOptions['tls'], noStart = false) {
  const pki = testPki();
  return startHarness({
    identity: 'CS001',
    basicAuth: false,
    csms: {
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requireClientCertificate: true },
    },
    profiles: (csms) => [profile(1, csms.url, { securityProfile: 3 })],
    station: { tls: { ca: pki.ca.cert, ...tls } },
    noStart,
  });
}

test('A00.FR.402-407 (TC_A_07_CS): security profile 3 with a P-256 client certificate and its SEC1 (BEGIN EC PRIVATE KEY) key: mutual TLS, BootNotification Accepted', async (t) => {
  const ec = issueEcClientCertificate(testPki().ca, 'CS001');
  assert.match(ec.sec1Key, /^-----BEGIN EC PRIVATE KEY-----/);
  const h = await profile3({ cert: ec.cert, key: ec.sec1Key });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification', undefined, WAIT_MS);
  const peer = presented(await h.csms.waitForClient('CS001', WAIT_MS));
  assert.equal(peer?.serialNumber, new X509Certificate(ec.cert).serialNumber);
  assert.equal(peer?.publicKey.asymmetricKeyType, 'ec');
  // Registered: StatusNotifications follow only a BootNotification Accepted (B02.FR.02).
  await h.csms.waitForCall('StatusNotification', undefined, WAIT_MS);
  assert.equal(h.station.registrationStatus, 'Accepted');
  assert.deepEqual(h.csms.validationFailures, []);
  assert.deepEqual(h.errors, []);
});

test('A00.FR.407: an encrypted SEC1 key opens with tls.passphrase and connects; without it, with a wrong one, or the key of another certificate, start() fails naming tls.key', async (t) => {
  const pki = testPki();
  const ec = issueEcClientCertificate(pki.ca, 'CS001');
  const other = issueEcClientCertificate(pki.ca, 'CS001');
  const sec1Encrypted = createPrivateKey(ec.sec1Key)
    .export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' })
    .toString();
  const pkcs8Encrypted = createPrivateKey(ec.sec1Key)
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' })
    .toString();
  assert.match(sec1Encrypted, /Proc-Type: 4,ENCRYPTED/);

  const cases: Array<[string, ChargePointOptions['tls'], RegExp]> = [
    [
      'encrypted SEC1 without a passphrase',
      { cert: ec.cert, key: sec1Encrypted },
      /^tls\.key: the key is encrypted; give it unencrypted \(PKCS#8 or SEC1 PEM\)/,
    ],
    [
      'encrypted PKCS#8 without a passphrase',
      { cert: ec.cert, key: pkcs8Encrypted },
      /^tls\.key: the key is encrypted/,
    ],
    [
      'a wrong passphrase',
      { cert: ec.cert, key: sec1Encrypted, passphrase: 'wrong' },
      /^tls\.key: the key cannot be decrypted with tls\.passphrase \(/,
    ],
    [
      'the SEC1 key of another certificate',
      { cert: ec.cert, key: other.sec1Key },
      /^tls\.key: does not match the certificate of tls\.cert/,
    ],
    [
      'an RSA key for the EC certificate',
      { cert: ec.cert, key: pki.client.key },
      /^tls\.key: does not match the certificate of tls\.cert/,
    ],
    ['a certificate without its key', { cert: ec.cert }, /^tls\.cert: needs tls\.key/],
    ['a key without its certificate', { key: ec.sec1Key }, /^tls\.key: needs tls\.cert/],
    [
      'a certificate where the key belongs',
      { cert: ec.cert, key: ec.cert },
      /^tls\.key: not a PEM private key \(expected -----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----\)/,
    ],
  ];
  for (const [what, tls, pattern] of cases) {
    const h = await profile3(tls, true);
    try {
      await assert.rejects(
        h.station.start(),
        (e: unknown) =>
          e instanceof CertificateFormatError &&
          e.code === 'ERR_CERTIFICATE_FORMAT' &&
          pattern.test(e.message) &&
          !/MII|BEGIN/.test(e.message.replace(/-----BEGIN (EC )?PRIVATE KEY-----/g, '')),
        what,
      );
      assert.deepEqual(h.csms.calls, [], `${what}: nothing sent`);
    } finally {
      await h.close();
    }
  }

  // The right passphrase: the encrypted SEC1 key is used for the TLS handshake.
  const h = await profile3({ cert: ec.cert, key: sec1Encrypted, passphrase: 'open sesame' });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification', undefined, WAIT_MS);
  const peer = presented(await h.csms.waitForClient('CS001', WAIT_MS));
  assert.equal(peer?.serialNumber, new X509Certificate(ec.cert).serialNumber);
  assert.deepEqual(h.csms.validationFailures, []);
});
