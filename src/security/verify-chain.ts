/**
 * Verifies a certificate chain (leaf first) up to one of the trusted roots: each certificate valid
 * now, issued and signed by the next, intermediates marked as CAs, the last one issued by a root
 * (A02.FR.06 / A03.FR.06: "part of the Charging Station Operator certificate hierarchy").
 */
import type { X509Certificate } from 'node:crypto';
import { isValidAt } from './pem.js';

export type ChainVerdict = { ok: true; root: X509Certificate } | { ok: false; reason: string };

/**
 * @example
 * const verdict = verifyChain([leaf, subCa], csmsRoots, clock.nowMs());
 * if (!verdict.ok) reject(verdict.reason);
 */
export function verifyChain(
  chain: readonly X509Certificate[],
  roots: readonly X509Certificate[],
  nowMs: number,
): ChainVerdict {
  if (chain.length === 0) return { ok: false, reason: 'empty chain' };
  for (const [index, cert] of chain.entries()) {
    const what = index === 0 ? 'the leaf certificate' : `chain certificate ${index + 1}`;
    if (!isValidAt(cert, nowMs)) {
      return { ok: false, reason: `${what} is not valid now (valid ${cert.validFrom} to ${cert.validTo})` };
    }
    if (index > 0 && !cert.ca) return { ok: false, reason: `${what} is not a CA certificate` };
    const next = chain[index + 1];
    if (next && !(cert.checkIssued(next) && cert.verify(next.publicKey))) {
      return { ok: false, reason: `${what} is not issued by the next certificate of the chain` };
    }
  }
  const top = chain[chain.length - 1] as X509Certificate;
  const root = roots.find(
    (r) => r.fingerprint256 === top.fingerprint256 || (top.checkIssued(r) && top.verify(r.publicKey)),
  );
  if (!root) return { ok: false, reason: 'the chain does not lead to an installed root certificate' };
  if (!isValidAt(root, nowMs)) return { ok: false, reason: 'the root certificate is not valid now' };
  return { ok: true, root };
}
