/**
 * The pure parts of src/security: PEM parsing with secret-free errors, hash data, chain
 * verification, and the default file store's layout and file modes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  certificateHashData,
  sameCertificate,
  serialNumberHex,
} from '../../src/security/certificate-hash.js';
import { FileCertificateStore } from '../../src/security/file-certificate-store.js';
import { CertificateFormatError, parsePemChain, splitPemChain } from '../../src/security/pem.js';
import { verifyChain } from '../../src/security/verify-chain.js';
import { createTestCertificateAuthority } from '../../src/testing/test-pki.js';
import { expectedHashData } from '../helpers/certificate-hash.js';
import { testPki } from '../helpers/pki.js';

const x509 = (pem: string) => new X509Certificate(pem);
const keyBody = (pem: string) => pem.split('\n')[1] as string;

test('parsePemChain: a private key or garbage given as a certificate is refused without repeating it', () => {
  const { client } = testPki();
  for (const input of [client.key, `${client.cert.slice(0, 200)}-----END CERTIFICATE-----`, 'nothing']) {
    const error = (() => {
      try {
        parsePemChain(input, 'certificateChain');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof CertificateFormatError, String(error));
    assert.match(error.message, /^certificateChain: /);
    assert.ok(!error.message.includes(keyBody(client.key)) && !error.message.includes('PRIVATE KEY'));
  }
  assert.equal(splitPemChain(client.cert + testPki().ca.cert).length, 2);
});

test('certificate hash data (Part 2 CertificateHashDataType): as computed independently; serial without leading zeroes; compared case-insensitively', () => {
  const { ca, client } = testPki();
  assert.deepEqual(
    certificateHashData(x509(client.cert), x509(ca.cert)),
    expectedHashData(client.cert, ca.cert),
  );
  assert.deepEqual(certificateHashData(x509(ca.cert), x509(ca.cert)), expectedHashData(ca.cert));
  assert.equal(serialNumberHex({ serialNumber: '000A1B' } as X509Certificate), 'a1b');
  assert.equal(serialNumberHex({ serialNumber: '00' } as X509Certificate), '0');
  const hash = certificateHashData(x509(ca.cert), x509(ca.cert));
  assert.ok(
    sameCertificate(hash, {
      ...hash,
      issuerNameHash: hash.issuerNameHash.toUpperCase(),
      serialNumber: `00${hash.serialNumber}`,
    }),
  );
  assert.ok(!sameCertificate(hash, { ...hash, hashAlgorithm: 'SHA384' }));
  assert.equal(certificateHashData(x509(ca.cert), x509(ca.cert), 'SHA512').issuerKeyHash.length, 128);
});

test('verifyChain (A02.FR.06): leaf → sub-CA → root passes; a missing link, an expired leaf or a non-CA intermediate fail with a reason', () => {
  const root = createTestCertificateAuthority({ commonName: 'Root' });
  const sub = createTestCertificateAuthority({ commonName: 'Sub', issuer: root });
  const leaf = sub.issueClientCertificate({ commonName: 'CS001' });
  const now = Date.now();
  assert.equal(verifyChain([x509(leaf.cert), x509(sub.cert)], [x509(root.cert)], now).ok, true);
  const missing = verifyChain([x509(leaf.cert)], [x509(root.cert)], now);
  assert.deepEqual(missing, {
    ok: false,
    reason: 'the chain does not lead to an installed root certificate',
  });
  const expired = sub.issueClientCertificate({ commonName: 'CS001', validDays: -1 });
  assert.match(
    String(
      (verifyChain([x509(expired.cert), x509(sub.cert)], [x509(root.cert)], now) as { reason: string })
        .reason,
    ),
    /not valid now/,
  );
  const notCa = root.issueClientCertificate({ commonName: 'not a CA' });
  assert.match(
    String(
      (verifyChain([x509(leaf.cert), x509(notCa.cert)], [x509(root.cert)], now) as { reason: string }).reason,
    ),
    /not a CA|not issued/,
  );
});

test('FileCertificateStore: directories 0700, private keys 0600, certificates 0644; a signed certificate is stored with its pending key; unknown key ids are refused without a path escape', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cert-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = new FileCertificateStore(path.join(dir, 'certs'));
  const { ca } = testPki();
  const mode = async (file: string) => (await stat(file)).mode & 0o777;

  const root = await store.addRoot('CSMSRootCertificate', ca.cert);
  assert.equal(await mode(path.join(dir, 'certs')), 0o700);
  assert.equal(await mode(path.join(dir, 'certs', 'roots', 'CSMSRootCertificate')), 0o700);
  assert.equal(await mode(path.join(dir, 'certs', 'roots', 'CSMSRootCertificate', `${root.id}.pem`)), 0o644);

  const { csrPem, keyId } = await store.createCsr('ChargingStationCertificate', {
    commonName: 'CS001',
    organization: 'Test CSO',
  });
  assert.equal(await mode(path.join(dir, 'certs', 'pending', `${keyId}.key`)), 0o600);
  assert.ok(await store.publicKey(keyId));
  const signed = await store.addSigned('ChargingStationCertificate', ca.signCsr(csrPem), keyId);
  const own = path.join(dir, 'certs', 'own', 'ChargingStationCertificate');
  assert.equal(await mode(path.join(own, `${signed.id}.key`)), 0o600);
  assert.deepEqual(await readdir(path.join(dir, 'certs', 'pending')), []);
  const credentials = await store.credentials(signed.id);
  assert.match(credentials?.key ?? '', /PRIVATE KEY/);
  assert.deepEqual((await store.list()).map((c) => c.type).sort(), [
    'CSMSRootCertificate',
    'ChargingStationCertificate',
  ]);

  await assert.rejects(
    store.addSigned('ChargingStationCertificate', ca.cert, '../../etc/passwd'),
    CertificateFormatError,
  );
  await assert.rejects(
    store.addSigned('ChargingStationCertificate', ca.cert, 'abcdef0123456789'),
    (e: Error) => !e.message.includes('BEGIN'),
  );
  assert.equal(await store.remove(signed.id), true);
  assert.equal(await store.remove(signed.id), false);
  assert.deepEqual(await readdir(own), []);
});

test('FileCertificateStore.list: a missing folder lists nothing; a certificate put in place by hand (another process) is listed at the next list()', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cert-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = new FileCertificateStore(path.join(dir, 'certs'));
  assert.deepEqual(await store.list(), []);
  const { ca } = testPki();
  const other = new FileCertificateStore(path.join(dir, 'certs'));
  const root = await other.addRoot('V2GRootCertificate', ca.cert);
  assert.deepEqual(
    (await store.list()).map((c) => [c.type, c.id]),
    [['V2GRootCertificate', root.id]],
  );
});

test('FileCertificateStore.list: a folder path under a file (ENOTDIR) lists nothing rather than failing the start', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-certs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'a-file'), 'not a folder');
  assert.deepEqual(await new FileCertificateStore(path.join(dir, 'a-file', 'certs')).list(), []);
});
