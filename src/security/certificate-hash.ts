/**
 * OCPP certificate hash data (Part 2 §2 CertificateHashDataType): issuerNameHash over the DER of the
 * certificate's issuer name, issuerKeyHash over the issuer's subject public key bits, and the serial
 * number in hexadecimal without leading zeroes. Hashes are lower-case hex.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import type { CertificateHashDataType, HashAlgorithmEnumType } from '../generated/ocpp-types.js';
import { certificateParts } from './der.js';

const NODE_HASH: Record<HashAlgorithmEnumType, string> = {
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
};

/**
 * The serial number as OCPP writes it: hex, no "0x", no leading zeroes (lower case).
 *
 * @example
 * serialNumberHex(cert); // '1a2b...' for serial 00:1A:2B:...
 */
export function serialNumberHex(cert: X509Certificate): string {
  return cert.serialNumber.toLowerCase().replace(/^0+(?=.)/, '');
}

/**
 * The hash data of `cert`, whose issuer certificate is `issuer` (the certificate itself for a root).
 *
 * @example
 * certificateHashData(root, root); // { hashAlgorithm: 'SHA256', issuerNameHash, issuerKeyHash, serialNumber }
 */
export function certificateHashData(
  cert: X509Certificate,
  issuer: X509Certificate,
  hashAlgorithm: HashAlgorithmEnumType = 'SHA256',
): CertificateHashDataType {
  const hash = (bytes: Uint8Array) => createHash(NODE_HASH[hashAlgorithm]).update(bytes).digest('hex');
  return {
    hashAlgorithm,
    issuerNameHash: hash(certificateParts(cert.raw).issuerName),
    issuerKeyHash: hash(certificateParts(issuer.raw).subjectPublicKeyBits),
    serialNumber: serialNumberHex(cert),
  };
}

/**
 * Do two hash data name the same certificate? Hex case and the serial's leading zeroes do not matter.
 *
 * @example
 * sameCertificate(request.certificateHashData, installed); // true when DeleteCertificate means it
 */
export function sameCertificate(a: CertificateHashDataType, b: CertificateHashDataType): boolean {
  const serial = (s: string) => s.toLowerCase().replace(/^0+(?=.)/, '');
  return (
    a.hashAlgorithm === b.hashAlgorithm &&
    a.issuerNameHash.toLowerCase() === b.issuerNameHash.toLowerCase() &&
    a.issuerKeyHash.toLowerCase() === b.issuerKeyHash.toLowerCase() &&
    serial(a.serialNumber) === serial(b.serialNumber)
  );
}

/**
 * The issuer of `cert` among `candidates` (itself when self-issued), or undefined.
 *
 * @example
 * const issuer = findIssuer(leaf, [...chain, ...roots]);
 */
export function findIssuer(
  cert: X509Certificate,
  candidates: readonly X509Certificate[],
): X509Certificate | undefined {
  if (cert.checkIssued(cert) && cert.verify(cert.publicKey)) return cert;
  return candidates.find((c) => c !== cert && cert.checkIssued(c) && cert.verify(c.publicKey));
}
