/**
 * A minimal DER reader: just enough of X.690 to find the issuer name and the subject public key of
 * an X.509 certificate (RFC 5280 §4.1) for the certificate hash data of OCPP (CertificateHashDataType).
 */

/** One DER element: its tag byte, where its content starts and ends, and where it ends in all. */
export interface DerElement {
  tag: number;
  /** Offset of the first byte of the element (its tag). */
  start: number;
  contentStart: number;
  end: number;
}

/**
 * Reads the element starting at `offset` of `der`; throws RangeError on truncated or long-form
 * lengths it cannot represent.
 *
 * @example
 * const cert = readElement(der, 0); // the Certificate SEQUENCE
 */
export function readElement(der: Uint8Array, offset: number): DerElement {
  if (offset + 2 > der.length) throw new RangeError(`DER: element at ${offset} is truncated`);
  const tag = der[offset] as number;
  let length = der[offset + 1] as number;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) throw new RangeError(`DER: unsupported length form at ${offset}`);
    length = 0;
    for (let i = 0; i < bytes; i += 1) length = length * 256 + (der[contentStart + i] as number);
    contentStart += bytes;
  }
  const end = contentStart + length;
  if (end > der.length) throw new RangeError(`DER: element at ${offset} runs past the end`);
  return { tag, start: offset, contentStart, end };
}

/**
 * The direct children of a constructed element.
 *
 * @example
 * const [tbs] = children(der, readElement(der, 0));
 */
export function children(der: Uint8Array, parent: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let at = parent.contentStart; at < parent.end;) {
    const child = readElement(der, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The parts of an X.509 certificate the hash data needs. */
export interface CertificateParts {
  /** DER of the issuer Name, tag and length included. */
  issuerName: Uint8Array;
  /** The subjectPublicKey BIT STRING's value without its unused-bits byte. */
  subjectPublicKeyBits: Uint8Array;
}

/**
 * Finds the issuer Name and the subject public key bits in a DER certificate.
 *
 * @example
 * const { issuerName } = certificateParts(new X509Certificate(pem).raw);
 */
export function certificateParts(der: Uint8Array): CertificateParts {
  const certificate = readElement(der, 0);
  const [tbs] = children(der, certificate);
  if (!tbs) throw new RangeError('DER: certificate without tbsCertificate');
  const fields = children(der, tbs);
  // version is [0] EXPLICIT and optional (absent for v1 certificates).
  const first = fields[0]?.tag === 0xa0 ? 1 : 0;
  const issuer = fields[first + 2];
  const spki = fields[first + 5];
  if (!issuer || !spki) throw new RangeError('DER: tbsCertificate is missing fields');
  const bitString = children(der, spki)[1];
  if (!bitString || bitString.tag !== 0x03)
    throw new RangeError('DER: subjectPublicKeyInfo without BIT STRING');
  return {
    issuerName: der.subarray(issuer.start, issuer.end),
    subjectPublicKeyBits: der.subarray(bitString.contentStart + 1, bitString.end),
  };
}
