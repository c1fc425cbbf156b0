/**
 * Roots the host installs at every start, before the first connection (the CLI's
 * `--install-cert <type>=<file>`): each goes through the same rules as an InstallCertificate from
 * the CSMS (M05: one valid CA certificate, CertificateEntries' limit, AdditionalRootCertificateCheck)
 * and is persisted in the certificate store, so GetInstalledCertificateIds reports it and a
 * CSMSRootCertificate is a trust anchor of the first wss:// connection.
 */
import type { InstallCertificateUseEnumType } from '../generated/ocpp-types.js';
import type { CertificateManager } from './certificate-manager.js';
import { parsePemChain } from './pem.js';

/** A root certificate to install at start. */
export interface StartupRoot {
  type: InstallCertificateUseEnumType;
  /** One PEM certificate. */
  pem: string;
  /** Where it came from (a file name), for error messages. */
  source?: string;
}

/**
 * A root given for installation at start was refused (as InstallCertificate would refuse it) or
 * could not be stored. The station does not start.
 *
 * @example
 * throw new CertificateInstallError('CSMSRootCertificate', 'ca.pem', 'Rejected', 'not valid now');
 */
export class CertificateInstallError extends Error {
  override readonly name = 'CertificateInstallError';
  readonly code = 'ERR_CERTIFICATE_INSTALL';

  constructor(
    readonly certificateType: InstallCertificateUseEnumType,
    readonly source: string | undefined,
    readonly status: string,
    readonly reason: string | undefined,
  ) {
    super(
      `${certificateType}${source === undefined ? '' : ` from ${source}`} cannot be installed: InstallCertificate would answer ${status}${reason === undefined ? '' : ` (${reason})`}`,
    );
  }
}

/**
 * Installs each root unless the same certificate of that type is already installed (a restart does
 * not raise ReconfigurationOfSecurityParameters again); throws {@link CertificateInstallError} for
 * the first one that is not Accepted.
 *
 * @example
 * await installStartupRoots(manager, [{ type: 'CSMSRootCertificate', pem, source: 'ca.pem' }]);
 */
export async function installStartupRoots(
  manager: CertificateManager,
  roots: readonly StartupRoot[],
): Promise<void> {
  for (const root of roots) {
    let fingerprint: string | undefined;
    try {
      const chain = parsePemChain(root.pem, root.source ?? root.type);
      fingerprint = chain.length === 1 ? chain[0]?.fingerprint256 : undefined;
    } catch {
      fingerprint = undefined; // install() answers Rejected with the reason
    }
    const installed = manager
      .installedOfType(root.type)
      .some((cert) => fingerprint !== undefined && cert.fingerprint256 === fingerprint);
    if (installed) continue;
    const result = await manager.install(root.type, root.pem);
    if (result.status !== 'Accepted')
      throw new CertificateInstallError(root.type, root.source, result.status, result.reason);
  }
}
