/**
 * The certificates of a store, parsed, and the M03/M04 views of them: hash data by type
 * (GetInstalledCertificateIds, with the sub-CAs of a V2G chain as children, M03.FR.05) and the entry a
 * DeleteCertificate's hash data names.
 */
import type { X509Certificate } from 'node:crypto';
import type {
  CertificateHashDataChainType,
  CertificateHashDataType,
  GetCertificateIdUseEnumType,
  HashAlgorithmEnumType,
} from '../generated/ocpp-types.js';
import { certificateHashData, findIssuer, sameCertificate } from './certificate-hash.js';
import type { StoredCertificate } from './certificate-store.js';
import { parsePemChain } from './pem.js';

/** A stored certificate with its parsed chain (leaf first). */
export interface InstalledCertificate {
  entry: StoredCertificate;
  chain: X509Certificate[];
}

/** The leaf of an installed certificate. */
export const leafOf = (c: InstalledCertificate): X509Certificate => c.chain[0] as X509Certificate;

/**
 * Parses stored entries; one that does not parse is reported and left out.
 *
 * @example
 * const installed = parseInstalled(await store.list(), reportError);
 */
export function parseInstalled(
  entries: readonly StoredCertificate[],
  report: (error: unknown) => void,
): InstalledCertificate[] {
  const out: InstalledCertificate[] = [];
  for (const entry of entries) {
    try {
      out.push({ entry, chain: parsePemChain(entry.pem, `stored ${entry.type} ${entry.id}`) });
    } catch (error) {
      report(error);
    }
  }
  return out;
}

/**
 * Hash data of an installed certificate's leaf. A root whose issuer is not installed (a CSMS root
 * signed by the predecessor that was removed after M05.FR.13) is a trust anchor of its own: its own
 * key stands in for the unknown issuer's, so it can still be listed and deleted.
 */
function leafHash(
  item: InstalledCertificate,
  pool: readonly X509Certificate[],
  algorithm: HashAlgorithmEnumType,
): CertificateHashDataType | undefined {
  const leaf = leafOf(item);
  const own = item.entry.type === 'ChargingStationCertificate' || item.entry.type === 'V2GCertificate';
  return hashOf(leaf, pool, algorithm) ?? (own ? undefined : certificateHashData(leaf, leaf, algorithm));
}

/** Every certificate an issuer may be looked up in: each chain and each root. */
function everyCertificate(installed: readonly InstalledCertificate[]): X509Certificate[] {
  return installed.flatMap((c) => c.chain);
}

/**
 * Hash data of `cert`, its issuer looked up in `pool`; undefined when the issuer is not known.
 *
 * @example
 * hashOf(leaf, pool, 'SHA256')?.serialNumber;
 */
export function hashOf(
  cert: X509Certificate,
  pool: readonly X509Certificate[],
  algorithm: HashAlgorithmEnumType,
): CertificateHashDataType | undefined {
  const issuer = findIssuer(cert, pool);
  return issuer ? certificateHashData(cert, issuer, algorithm) : undefined;
}

/**
 * M03: the hash data chains of the installed certificates of `types` (all when empty).
 * V2GCertificateChain lists each V2G certificate with its sub-CAs as children (M03.FR.05).
 *
 * @example
 * installedHashData(installed, ['CSMSRootCertificate']); // [{ certificateType, certificateHashData }]
 */
export function installedHashData(
  installed: readonly InstalledCertificate[],
  types: readonly GetCertificateIdUseEnumType[],
): CertificateHashDataChainType[] {
  const wanted = (t: GetCertificateIdUseEnumType) => types.length === 0 || types.includes(t);
  const pool = everyCertificate(installed);
  const out: CertificateHashDataChainType[] = [];
  for (const item of installed) {
    const type = item.entry.type;
    if (type === 'ChargingStationCertificate') continue; // not a GetCertificateIdUse (A02 manages it)
    if (type === 'V2GCertificate') {
      if (!wanted('V2GCertificateChain')) continue;
      const leaf = hashOf(leafOf(item), pool, 'SHA256');
      if (!leaf) continue;
      const children = item.chain
        .slice(1)
        .map((c) => hashOf(c, pool, 'SHA256'))
        .filter((h): h is CertificateHashDataType => h !== undefined)
        .slice(0, 4);
      const [first, ...rest] = children;
      out.push({
        certificateType: 'V2GCertificateChain',
        certificateHashData: leaf,
        ...(first ? { childCertificateHashData: [first, ...rest] } : {}),
      });
      continue;
    }
    if (!wanted(type)) continue;
    const hash = leafHash(item, pool, 'SHA256');
    if (hash) out.push({ certificateType: type, certificateHashData: hash });
  }
  return out;
}

/**
 * M04: the installed certificate the hash data names (compared with its own hash algorithm).
 *
 * @example
 * const target = findByHash(installed, request.certificateHashData);
 */
export function findByHash(
  installed: readonly InstalledCertificate[],
  wanted: CertificateHashDataType,
): InstalledCertificate | undefined {
  const pool = everyCertificate(installed);
  return installed.find((item) => {
    const hash = leafHash(item, pool, wanted.hashAlgorithm);
    return hash !== undefined && sameCertificate(hash, wanted);
  });
}

/**
 * M04.FR.08: the installed V2G certificates that cannot be used without the CA `ca` (a root or a
 * sub-CA): it is in their chain, or the last certificate of their chain was issued by it. Deleting
 * `ca` leaves them orphans that can no longer be listed or deleted (their hash data needs the
 * issuer), so they go with it. Roots are anchors of their own and the ChargingStationCertificate is
 * managed by A02/A03 only (M04.FR.06): neither is a dependant.
 *
 * @example
 * const orphans = v2gDependants(installed, leafOf(deletedRoot));
 */
export function v2gDependants(
  installed: readonly InstalledCertificate[],
  ca: X509Certificate,
): InstalledCertificate[] {
  if (!ca.ca) return [];
  return installed.filter((item) => {
    if (item.entry.type !== 'V2GCertificate') return false;
    if (item.chain.slice(1).some((c) => c.fingerprint256 === ca.fingerprint256)) return true;
    const top = item.chain[item.chain.length - 1] as X509Certificate;
    return top.fingerprint256 !== ca.fingerprint256 && top.checkIssued(ca) && top.verify(ca.publicKey);
  });
}

/**
 * M04: the installed V2G certificate whose chain holds the sub-CA the hash data names (a child in
 * GetInstalledCertificateIds, M03.FR.05), with that sub-CA.
 *
 * @example
 * const found = findChainMember(installed, request.certificateHashData); // { owner, ca } | undefined
 */
export function findChainMember(
  installed: readonly InstalledCertificate[],
  wanted: CertificateHashDataType,
): { owner: InstalledCertificate; ca: X509Certificate } | undefined {
  const pool = everyCertificate(installed);
  for (const owner of installed) {
    if (owner.entry.type !== 'V2GCertificate') continue;
    for (const ca of owner.chain.slice(1)) {
      const hash = hashOf(ca, pool, wanted.hashAlgorithm);
      if (hash !== undefined && sameCertificate(hash, wanted)) return { owner, ca };
    }
  }
  return undefined;
}
