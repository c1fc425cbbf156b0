/**
 * The OCPP certificate hash data computed the way a CSMS would, independently of src/security: node-forge's
 * ASN.1 reader finds the issuer name and the public key bits, node:crypto hashes them.
 */
import { createHash, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

function tbsFields(cert: X509Certificate): forge.asn1.Asn1[] {
  // node-forge reads { decodeBitStrings: false } (keep BIT STRINGs raw); its typings only know `strict`.
  const fromDer = forge.asn1.fromDer as unknown as (
    input: forge.util.ByteStringBuffer,
    options: { decodeBitStrings: boolean },
  ) => forge.asn1.Asn1;
  const asn1 = fromDer(forge.util.createBuffer(Buffer.from(cert.raw).toString('binary')), {
    decodeBitStrings: false,
  });
  const tbs = (asn1.value as forge.asn1.Asn1[])[0] as forge.asn1.Asn1;
  return tbs.value as forge.asn1.Asn1[];
}

/** Expected CertificateHashDataType (SHA256) of `pem` issued by `issuerPem`. */
export function expectedHashData(pem: string, issuerPem: string = pem) {
  const cert = new X509Certificate(pem);
  const issuer = new X509Certificate(issuerPem);
  const fields = tbsFields(cert);
  const offset = (fields[0] as forge.asn1.Asn1).tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const issuerName = Buffer.from(
    forge.asn1.toDer(fields[offset + 2] as forge.asn1.Asn1).getBytes(),
    'binary',
  );
  const issuerFields = tbsFields(issuer);
  const issuerOffset =
    (issuerFields[0] as forge.asn1.Asn1).tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const spki = issuerFields[issuerOffset + 5] as forge.asn1.Asn1;
  const bits = ((spki.value as forge.asn1.Asn1[])[1] as forge.asn1.Asn1).value as string;
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  return {
    hashAlgorithm: 'SHA256',
    issuerNameHash: sha256(issuerName),
    issuerKeyHash: sha256(Buffer.from(bits.slice(1), 'binary')),
    serialNumber: BigInt(`0x${cert.serialNumber}`).toString(16),
  };
}
