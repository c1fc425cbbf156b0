/**
 * PEM certificate text: splitting a chain into its certificates and parsing them, with errors that
 * name what was wrong but never repeat the input (it may hold a private key by mistake).
 */
import { X509Certificate } from 'node:crypto';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** A certificate text that could not be read. The message never contains the input. */
export class CertificateFormatError extends Error {
  override readonly name = 'CertificateFormatError';
  readonly code = 'ERR_CERTIFICATE_FORMAT';
}

/**
 * The PEM blocks of the certificates in `text`, in order (a leaf followed by its chain).
 *
 * @example
 * splitPemChain(leafPem + subCaPem).length; // 2
 */
export function splitPemChain(text: string): string[] {
  return [...text.matchAll(PEM_CERTIFICATE)].map((m) => `${m[0]}\n`);
}

/**
 * Parses every certificate of a PEM chain; throws CertificateFormatError (naming `what`, not the
 * content) when there is none or one does not parse.
 *
 * @example
 * const [leaf, ...chain] = parsePemChain(request.certificateChain, 'certificateChain');
 */
export function parsePemChain(text: string, what: string): X509Certificate[] {
  const blocks = splitPemChain(text);
  if (blocks.length === 0) throw new CertificateFormatError(`${what}: no PEM certificate found`);
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new CertificateFormatError(
        `${what}: certificate ${index + 1} of ${blocks.length} is not a valid X.509 certificate (${(error as { code?: string }).code ?? 'parse error'})`,
      );
    }
  });
}

/**
 * Is `now` (ms) within the certificate's validity period?
 *
 * @example
 * isValidAt(cert, Date.now()); // false for an expired certificate
 */
export function isValidAt(cert: X509Certificate, nowMs: number): boolean {
  return Date.parse(cert.validFrom) <= nowMs && nowMs <= Date.parse(cert.validTo);
}
