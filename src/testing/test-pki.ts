/**
 * A throw-away certificate authority for tests and simulators: a root CA, a CSMS server certificate
 * (for wss:// on 127.0.0.1/localhost, security profiles 2 and 3) and Charging Station client
 * certificates (profile 3: CN = identity, O = organization, A00.FR.404/405). RSA 2048 / SHA-256, so
 * the TLS_RSA/ECDHE_RSA cipher suites of A00.FR.318/319 apply. Never use these in production.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { DateTime } from 'luxon';

/** A PEM certificate and its PEM (PKCS#8) private key. */
export interface PemKeyPair {
  cert: string;
  key: string;
}

export interface ServerCertificateOptions {
  /** DNS names and IP addresses the certificate is valid for; default ['127.0.0.1', 'localhost']. */
  hosts?: readonly string[];
  /** Days of validity from now; negative makes an expired certificate. Default 30. */
  validDays?: number;
}

export interface ClientCertificateOptions {
  /** CN: the Charging Station's identity / serial number (A00.FR.405). */
  commonName: string;
  /** O: the CSO's name, SecurityCtrlr.OrganizationName (A00.FR.404). Default 'Test CSO'. */
  organization?: string;
  validDays?: number;
}

/** A root CA that can issue server and client certificates. */
export interface TestCertificateAuthority extends PemKeyPair {
  issueServerCertificate(options?: ServerCertificateOptions): PemKeyPair;
  issueClientCertificate(options: ClientCertificateOptions): PemKeyPair;
  /**
   * Signs a PKCS#10 CSR (the station's SignCertificate, A02) as a client certificate with the CSR's
   * subject and key; the CSR's own signature is checked first.
   */
  signCsr(csrPem: string, options?: { validDays?: number; notBefore?: Date; ocspUrl?: string }): string;
}

function newKeyPair(): {
  forgeKeys: { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey };
  keyPem: string;
} {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    forgeKeys: {
      publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
      privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    },
    keyPem: privateKey,
  };
}

function newCertificate(publicKey: forge.pki.PublicKey, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // DER INTEGER: positive and minimal. A leading 0x01 byte guarantees both; an odd-length or
  // 0x00-led hex string could encode as illegal padding (ERR_OSSL_ASN1_ILLEGAL_PADDING).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = DateTime.utc();
  const [from, to] =
    validDays >= 0
      ? [now.minus({ minutes: 5 }), now.plus({ days: validDays })]
      : [now.plus({ days: validDays * 2 }), now.plus({ days: validDays })];
  cert.validity.notBefore = from.toJSDate();
  cert.validity.notAfter = to.toJSDate();
  return cert;
}

/**
 * Creates a new self-signed root CA (RSA 2048, SHA-256).
 *
 * @example
 * const ca = createTestCertificateAuthority();
 * const server = ca.issueServerCertificate(); // for https.createServer({ cert: server.cert, key: server.key })
 * const client = ca.issueClientCertificate({ commonName: 'CS001' }); // for security profile 3
 * // station side: new Transport({ ..., securityProfile: 3, caCertificates: ca.cert, clientCertificate: client })
 * const subCa = createTestCertificateAuthority({ commonName: 'Sub CA', issuer: ca }); // signed by ca
 */
export function createTestCertificateAuthority(
  options: { commonName?: string; issuer?: PemKeyPair; ocspUrl?: string } = {},
): TestCertificateAuthority {
  const { forgeKeys, keyPem } = newKeyPair();
  const caCert = newCertificate(forgeKeys.publicKey, 365);
  const subject = [
    { name: 'commonName', value: options.commonName ?? 'Test CSMS Root CA' },
    { name: 'organizationName', value: 'Test CSO' },
  ];
  caCert.setSubject(subject);
  // With `issuer`: a sub-CA signed by that CA (a V2G chain, a CSMS root signed by its predecessor).
  const parent = options.issuer
    ? {
        cert: forge.pki.certificateFromPem(options.issuer.cert),
        key: forge.pki.privateKeyFromPem(options.issuer.key) as forge.pki.rsa.PrivateKey,
      }
    : null;
  caCert.setIssuer(parent ? parent.cert.subject.attributes : subject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    ...ocspExtension(options.ocspUrl),
  ]);
  caCert.sign(parent ? parent.key : forgeKeys.privateKey, forge.md.sha256.create());

  const issue = (
    commonName: string,
    organization: string,
    validDays: number,
    extensions: object[],
  ): PemKeyPair => {
    const leaf = newKeyPair();
    const cert = newCertificate(leaf.forgeKeys.publicKey, validDays);
    cert.setSubject([
      { name: 'commonName', value: commonName },
      { name: 'organizationName', value: organization },
    ]);
    cert.setIssuer(caCert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
      ...extensions,
    ]);
    cert.sign(forgeKeys.privateKey, forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(cert), key: leaf.keyPem };
  };

  return {
    cert: forge.pki.certificateToPem(caCert),
    key: keyPem,
    issueServerCertificate(serverOptions = {}) {
      const hosts = serverOptions.hosts ?? ['127.0.0.1', 'localhost'];
      if (hosts.length === 0)
        throw new RangeError('issueServerCertificate: hosts must name at least one host');
      const altNames = hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }));
      // A00.FR.309/412: the commonName carries the CSMS's host name; clients check the subjectAltName.
      return issue(hosts[0] as string, 'Test CSO', serverOptions.validDays ?? 30, [
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ]);
    },
    signCsr(csrPem, signOptions = {}) {
      const csr = forge.pki.certificationRequestFromPem(csrPem);
      if (!csr.verify()) throw new Error('signCsr: the CSR signature does not verify');
      const cert = newCertificate(csr.publicKey as forge.pki.PublicKey, signOptions.validDays ?? 30);
      if (signOptions.notBefore) cert.validity.notBefore = signOptions.notBefore;
      cert.setSubject(csr.subject.attributes);
      cert.setIssuer(caCert.subject.attributes);
      cert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
        ...ocspExtension(signOptions.ocspUrl),
      ]);
      cert.sign(forgeKeys.privateKey, forge.md.sha256.create());
      return forge.pki.certificateToPem(cert);
    },
    issueClientCertificate(clientOptions) {
      return issue(
        clientOptions.commonName,
        clientOptions.organization ?? 'Test CSO',
        clientOptions.validDays ?? 30,
        [{ name: 'extKeyUsage', clientAuth: true }],
      );
    },
  };
}

/**
 * authorityInfoAccess with one OCSP responder URL (RFC 5280 4.2.2.1), the responderURL of an M06
 * GetCertificateStatus; none without a URL.
 */
function ocspExtension(url: string | undefined): object[] {
  if (url === undefined) return [];
  const { asn1 } = forge;
  const ocspMethod = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.OID,
    false,
    asn1.oidToDer('1.3.6.1.5.5.7.48.1').getBytes(),
  );
  // GeneralName uniformResourceIdentifier: [6] IA5String, implicit.
  const location = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, url);
  const description = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [ocspMethod, location]);
  return [
    {
      id: '1.3.6.1.5.5.7.1.1',
      value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [description]),
    },
  ];
}
