/**
 * L01.FR.04/12/21/22: the firmware signing certificate is checked against the installed
 * ManufacturerRootCertificates (X.509 path: each certificate issued and signed by the next, all
 * valid at the station's time), and the signature (base64, SHA-256) is checked over the entire
 * downloaded file with that certificate's public key: RSA (PKCS#1 v1.5 or PSS) or ECDSA (DER or
 * IEEE P1363 encoding).
 */
import { constants, createVerify, X509Certificate } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The outcome of a certificate check; `reason` names what failed. */
export type CertificateCheck = { valid: true } | { valid: false; reason: string };

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM text, in order (a leaf followed by its chain).
 *
 * @example
 * splitPem(leafPem + intermediatePem).length; // 2
 */
export function splitPem(pem: string): X509Certificate[] {
  return (pem.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

function validAt(cert: X509Certificate, nowMs: number): boolean {
  return Date.parse(cert.validFrom) <= nowMs && nowMs <= Date.parse(cert.validTo);
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/**
 * Checks the signing certificate (PEM, optionally followed by intermediates) against `roots`.
 *
 * @example
 * verifySigningCertificate(signingPem, [manufacturerRootPem], Date.now()); // { valid: true }
 */
export function verifySigningCertificate(pem: string, roots: readonly string[], nowMs: number): CertificateCheck {
  let chain: X509Certificate[];
  let anchors: X509Certificate[];
  try {
    chain = splitPem(pem);
  } catch (error) {
    return { valid: false, reason: `unreadable certificate: ${(error as Error).message}` };
  }
  if (chain.length === 0) return { valid: false, reason: 'no PEM certificate' };
  try {
    anchors = roots.flatMap((r) => splitPem(r));
  } catch (error) {
    return { valid: false, reason: `unreadable ManufacturerRootCertificate: ${(error as Error).message}` };
  }
  if (anchors.length === 0) return { valid: false, reason: 'no ManufacturerRootCertificate installed' };
  for (const cert of chain) {
    if (!validAt(cert, nowMs)) return { valid: false, reason: `certificate ${cert.subject.replace(/\n/g, ', ')} is not valid now` };
  }
  // Walk up from the leaf: the next certificate of the chain, else a trusted root, must sign it.
  let current = chain[0] as X509Certificate;
  const rest = chain.slice(1);
  for (let depth = 0; depth < 8; depth += 1) {
    const root = anchors.find((a) => a.fingerprint256 === current.fingerprint256 || issuedBy(current, a));
    if (root) {
      if (!validAt(root, nowMs)) return { valid: false, reason: 'the ManufacturerRootCertificate is not valid now' };
      return { valid: true };
    }
    const next = rest.find((c) => issuedBy(current, c));
    if (!next) return { valid: false, reason: 'not issued by an installed ManufacturerRootCertificate' };
    current = next;
  }
  return { valid: false, reason: 'certificate chain too long' };
}

/**
 * Checks `signatureBase64` over the whole `file` with the public key of the first certificate of
 * `certificatePem`. Resolves false for a wrong signature; rejects only when the file cannot be read.
 *
 * @example
 * await verifyFileSignature('/tmp/fw.bin', signingPem, signatureB64); // true
 */
export async function verifyFileSignature(file: string, certificatePem: string, signatureBase64: string): Promise<boolean> {
  const [cert] = splitPem(certificatePem);
  if (!cert) return false;
  const key = cert.publicKey;
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length === 0) return false;
  const rsa = key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
  const verifiers = [createVerify('sha256'), createVerify('sha256')];
  for await (const chunk of createReadStream(file)) for (const v of verifiers) v.update(chunk as Buffer);
  const [first, second] = verifiers as [ReturnType<typeof createVerify>, ReturnType<typeof createVerify>];
  try {
    if (rsa) {
      return (
        first.verify({ key, padding: constants.RSA_PKCS1_PADDING }, signature) ||
        second.verify({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature)
      );
    }
    return first.verify({ key, dsaEncoding: 'der' }, signature) || second.verify({ key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    // A signature of the wrong shape for the key (length, encoding) is simply not valid.
    return false;
  }
}
