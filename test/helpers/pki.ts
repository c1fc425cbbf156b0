/** Certificates shared by the tests of one file (generated once per test process). */
import {
  createTestCertificateAuthority,
  type PemKeyPair,
  type TestCertificateAuthority,
} from '../../src/testing/test-pki.js';

export interface TestPkiSet {
  /** The CA the station trusts. */
  ca: TestCertificateAuthority;
  /** Another CA nobody trusts. */
  otherCa: TestCertificateAuthority;
  /** CSMS certificate for 127.0.0.1 and localhost, issued by `ca`. */
  server: PemKeyPair;
  /** Station certificate (CN = 'CS001') issued by `ca`. */
  client: PemKeyPair;
}

let cached: TestPkiSet | undefined;

export function testPki(): TestPkiSet {
  if (!cached) {
    const ca = createTestCertificateAuthority();
    cached = {
      ca,
      otherCa: createTestCertificateAuthority({ commonName: 'Untrusted Root CA' }),
      server: ca.issueServerCertificate(),
      client: ca.issueClientCertificate({ commonName: 'CS001' }),
    };
  }
  return cached;
}
