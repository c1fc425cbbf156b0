/**
 * The host's side of a ChargePoint's certificates (A02–A05, M01–M06): the certificate store, and the
 * ISO 15118 calls the station makes for the host (M01/M02 Get15118EVCertificate, M06
 * GetCertificateStatus). ChargePoint (src/charge-point.ts) inherits these (docs/security.md).
 */
import { ChargePointMonitoring } from './charge-point-monitoring.js';
import type { ChargePointOptions } from './charge-point-options.js';
import type {
  Get15118EVCertificateRequest,
  Get15118EVCertificateResponse,
  GetCertificateStatusResponse,
  OCSPRequestDataType,
} from './generated/ocpp-types.js';
import type { CertificateManager } from './security/certificate-manager.js';
import type { CertificateStore } from './security/certificate-store.js';
import { FileCertificateStore } from './security/file-certificate-store.js';
import type { StartupRoot } from './security/startup-roots.js';
import type { OcspCacheEntry } from './security/ocsp-cache.js';

/**
 * The runtime option for ChargePointOptions.certificates: the host's store, or the file store in
 * the directory it names; nothing (the runtime's default directory) otherwise; and the roots to
 * install at start.
 *
 * @example
 * new StationRuntime({ ..., ...certificateStoreOption(options) });
 */
export function certificateStoreOption(options: Pick<ChargePointOptions, 'certificates'>): {
  certificateStore?: CertificateStore;
  installRoots?: readonly StartupRoot[];
} {
  const given = options.certificates;
  const install = given?.install?.length ? { installRoots: given.install } : {};
  if (given?.store) return { certificateStore: given.store, ...install };
  if (given?.directory) return { certificateStore: new FileCertificateStore(given.directory), ...install };
  return install;
}

/**
 * The certificate API of {@link ChargePoint}.
 *
 * @example
 * const { status, exiResponse } = await station.get15118EvCertificate({ iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action: 'Install', exiRequest });
 */
export abstract class ChargePointSecurity extends ChargePointMonitoring {
  /**
   * The installed certificates (roots by type for the host's own checks, e.g. signed firmware).
   *
   * @example
   * station.certificates.roots('ManufacturerRootCertificate'); // PEM strings
   */
  get certificates(): CertificateManager {
    return this.station.certificates.manager;
  }

  /**
   * M01/M02: forwards the EV's ISO 15118 CertificateInstallationReq / CertificateUpdateReq (EXI,
   * base64) to the CSMS and resolves with its answer (libocpp on_get_15118_ev_certificate_request).
   * Rejects when the CSMS cannot be reached; ISO 15118 allows the EV 5 s, so the host times out.
   *
   * @example
   * const response = await station.get15118EvCertificate({ iso15118SchemaVersion, action: 'Install', exiRequest });
   */
  async get15118EvCertificate(request: Get15118EVCertificateRequest): Promise<Get15118EVCertificateResponse> {
    return (await this.station.queue.send('Get15118EVCertificate', request)) as Get15118EVCertificateResponse;
  }

  /**
   * M06.FR.06: the OCSP statuses the station caches for its V2G certificate and the sub-CAs of its
   * chain (refreshed weekly and after a new V2G certificate, docs/security.md), for the ISO 15118
   * stack to staple; an entry without `ocspResult` has not been answered yet.
   *
   * @example
   * const cached = await station.cachedOcspResponses(); // [{ request, role: 'leaf', ocspResult, fetchedAt, ... }]
   */
  cachedOcspResponses(): Promise<OcspCacheEntry[]> {
    return this.station.certificates.ocsp.entries();
  }

  /**
   * M06: asks the CSMS for the OCSP status of one certificate now and resolves with its answer
   * (`ocspResult`: DER, base64). The station itself caches its V2G chain's statuses
   * ({@link cachedOcspResponses}); this is for any other certificate the host needs.
   *
   * @example
   * const { status, ocspResult } = await station.getCertificateStatus(ocspRequestData);
   */
  async getCertificateStatus(ocspRequestData: OCSPRequestDataType): Promise<GetCertificateStatusResponse> {
    return (await this.station.queue.send('GetCertificateStatus', {
      ocspRequestData,
    })) as GetCertificateStatusResponse;
  }
}
