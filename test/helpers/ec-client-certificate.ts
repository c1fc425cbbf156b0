/**
 * A Charging Station client certificate with an ECDSA P-256 key, issued by one of the test CAs
 * (RSA): node-forge writes RSA certificates only, so the TBSCertificate is built with forge around
 * a placeholder key, its SubjectPublicKeyInfo replaced by the P-256 key's, and the whole signed
 * with node:crypto. The private key is given in both PEM forms a user meets: SEC1
 * (`-----BEGIN EC PRIVATE KEY-----`, what `openssl ecparam -genkey` writes) and PKCS#8.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';
import type { PemKeyPair } from '../../src/testing/test-pki.js';

export interface EcClientCertificate {
  /** The certificate (PEM). */
  cert: string;
  /** The private key as SEC1 PEM (`BEGIN EC PRIVATE KEY`). */
  sec1Key: string;
  /** The same key as PKCS#8 PEM (`BEGIN PRIVATE KEY`). */
  pkcs8Key: string;
}

/** DER bytes as forge's binary string. */
const binary = (der: Buffer) => der.toString('binary');

/**
 * @example
 * const ec = issueEcClientCertificate(testPki().ca, 'CS001');
 * new ChargePoint({ ..., tls: { ca: pki.ca.cert, cert: ec.cert, key: ec.sec1Key } });
 */
export function issueEcClientCertificate(
  ca: PemKeyPair,
  commonName: string,
  organization = 'Test CSO',
): EcClientCertificate {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const caCert = forge.pki.certificateFromPem(ca.cert);

  const cert = forge.pki.createCertificate();
  // A placeholder so that forge can write the TBSCertificate; its SubjectPublicKeyInfo is replaced.
  cert.publicKey = caCert.publicKey;
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 5 * 60_000);
  cert.validity.notAfter = new Date(Date.now() + 30 * 86_400_000);
  cert.setSubject([
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: organization },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  // The signature algorithm inside the TBSCertificate: sha256WithRSAEncryption (the CA is RSA).
  cert.siginfo.algorithmOid = forge.pki.oids['sha256WithRSAEncryption'] as string;
  // getTBSCertificate is forge API the type definitions leave out.
  const tbs = (
    forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
  ).getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, ...
  fields[6] = forge.asn1.fromDer(binary(spki));
  const tbsDer = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, createPrivateKey(ca.key));

  const certificate = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, [
    forge.asn1.fromDer(binary(tbsDer)),
    forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, [
      forge.asn1.create(
        forge.asn1.Class.UNIVERSAL,
        forge.asn1.Type.OID,
        false,
        forge.asn1.oidToDer(forge.pki.oids['sha256WithRSAEncryption'] as string).getBytes(),
      ),
      forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, ''),
    ]),
    forge.asn1.create(
      forge.asn1.Class.UNIVERSAL,
      forge.asn1.Type.BITSTRING,
      false,
      `\u0000${binary(signature)}`,
    ),
  ]);
  const der = Buffer.from(forge.asn1.toDer(certificate).getBytes(), 'binary');
  const pem = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
  return {
    cert: pem,
    sec1Key: privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    pkcs8Key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
