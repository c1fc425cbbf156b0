/**
 * The public key field of SignedMeterValueType: base64 of the DER key, taken from a PEM.
 */

const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n([\s\S]*?)\r?\n?-----END PUBLIC KEY-----\s*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The base64 DER (SubjectPublicKeyInfo) inside a "PUBLIC KEY" PEM, i.e. its body without line
 * breaks: the form SignedMeterValueType.publicKey takes ("Base64 encoded"). Pure text work, no
 * key parsing. Throws a RangeError for anything but one SPKI PEM block with valid base64.
 *
 * @example
 * spkiPemToBase64Der('-----BEGIN PUBLIC KEY-----\nMFkwEwYH...\n-----END PUBLIC KEY-----\n'); // 'MFkwEwYH...'
 */
export function spkiPemToBase64Der(pem: string): string {
  const match = PEM.exec(pem.trim());
  const body = match?.[1]?.replace(/\s+/g, '') ?? '';
  if (body === '' || !BASE64.test(body)) {
    throw new RangeError('publicKeyPem: not a "-----BEGIN PUBLIC KEY-----" PEM block with base64 DER');
  }
  return body;
}
