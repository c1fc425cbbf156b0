/**
 * A02.FR.02/03: a new RSA 2048 key pair and a PKCS#10 CSR (RFC 2986) signed with it, SHA-256.
 * node:crypto makes the key (fast, native); node-forge writes the CSR (node:crypto cannot).
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { pki } from 'node-forge';
import type { CsrSubject } from './certificate-store.js';

const generateRsa = promisify(generateKeyPair);

/** A new key pair (PEM: PKCS#8 private key, SPKI public key) and a CSR for it. */
export interface KeyAndCsr {
  privateKeyPem: string;
  publicKeyPem: string;
  csrPem: string;
}

/**
 * @example
 * const { csrPem, privateKeyPem } = await createKeyAndCsr({ commonName: 'CS001', organization: 'ACME CSO' });
 */
export async function createKeyAndCsr(subject: CsrSubject): Promise<KeyAndCsr> {
  const { publicKey, privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  // Loaded on first use: node-forge is large and a station needs it only for a CSR (A02/A03), never
  // to boot (CLI cold start, issue 9).
  const { default: forge } = await import('node-forge');
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey);
  csr.setSubject([
    { name: 'commonName', value: subject.commonName },
    { name: 'organizationName', value: subject.organization },
    ...(subject.country ? [{ name: 'countryName', value: subject.country }] : []),
  ]);
  csr.sign(forge.pki.privateKeyFromPem(privateKey) as pki.rsa.PrivateKey, forge.md.sha256.create());
  return {
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    csrPem: forge.pki.certificationRequestToPem(csr),
  };
}
