/**
 * `--security-profile 3` without `--client-cert` (docs/cli.md): a ChargingStationCertificate that a
 * CertificateSigned installed in an earlier run (A02/A03) is kept by the default certificate store
 * next to the database, and the station uses it at the next start (A02.FR.08/09). So the CLI refuses
 * profile 3 only when neither `--client-cert` nor such a stored certificate is there; it checks the
 * store before the station starts, so that the refusal is the usage error (exit 2) it always was.
 */
import { X509Certificate } from 'node:crypto';
import { FileCertificateStore } from '../security/file-certificate-store.js';
import { isValidAt } from '../security/pem.js';
import { defaultCertificateDirectory } from '../security/station-certificates.js';

/**
 * True when the default store of `stationId` next to `dbPath` keeps a ChargingStationCertificate
 * valid at `nowMs` together with its private key: what profile 3 connects with when the host gives
 * no `tls.cert` (src/security/certificate-manager.ts picks the newest such one).
 *
 * @example
 * if (!(await hasStoredClientCertificate('/var/lib/station.db', 'CS001', Date.now()))) refuse();
 */
export async function hasStoredClientCertificate(
  dbPath: string,
  stationId: string,
  nowMs: number,
): Promise<boolean> {
  // An in-memory database keeps nothing from an earlier run, and neither does its temp store.
  if (dbPath === ':memory:') return false;
  const store = new FileCertificateStore(defaultCertificateDirectory(dbPath, stationId));
  const own = (await store.list()).filter((c) => c.type === 'ChargingStationCertificate');
  for (const entry of own) {
    let leaf: X509Certificate;
    try {
      leaf = new X509Certificate(entry.pem);
    } catch {
      continue; // an unreadable file is reported by the station itself (CertificateFormatError)
    }
    if (isValidAt(leaf, nowMs) && (await store.credentials(entry.id)) !== undefined) return true;
  }
  return false;
}

/**
 * The usage error for `--security-profile 3` without `--client-cert` when some of `stationIds` (one,
 * or every station of a fleet) has no stored client certificate; undefined when all have one.
 *
 * @example
 * const problem = await profile3ClientCertificateProblem('/tmp/station.db', ['CS001'], Date.now());
 * if (problem) { stderr.write(problem); return 2; }
 */
export async function profile3ClientCertificateProblem(
  dbPath: string,
  stationIds: readonly string[],
  nowMs: number,
): Promise<string | undefined> {
  const missing: string[] = [];
  for (const id of stationIds) if (!(await hasStoredClientCertificate(dbPath, id, nowMs))) missing.push(id);
  if (missing.length === 0) return undefined;
  const shown =
    missing.length > 3
      ? `${missing.slice(0, 3).join(', ')} and ${missing.length - 3} more`
      : missing.join(', ');
  // A00.FR.407 / A05.FR.03: profile 3 authenticates the station with its client certificate.
  return (
    '--security-profile 3: security profile 3 needs a client certificate: give --client-cert <PEM file> and --client-key <PEM file>' +
    ` (--db ${dbPath} keeps no valid ChargingStationCertificate from a CertificateSigned for ${shown})`
  );
}
