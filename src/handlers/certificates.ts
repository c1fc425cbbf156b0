/**
 * The CSMS's certificate CALLs: M03 GetInstalledCertificateIds, M04 DeleteCertificate, M05
 * InstallCertificate and A02/A03 CertificateSigned, answered from the station's certificates
 * (src/security/). Reasons go in statusInfo; never a key, never the certificate text.
 */
import type {
  CertificateSignedRequest,
  CertificateSignedResponse,
  DeleteCertificateRequest,
  DeleteCertificateResponse,
  GetInstalledCertificateIdsRequest,
  GetInstalledCertificateIdsResponse,
  InstallCertificateRequest,
  InstallCertificateResponse,
} from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/** statusInfo.additionalInfo is at most 512 characters. */
const info = (reasonCode: string, reason: string | undefined) =>
  reason === undefined ? {} : { statusInfo: { reasonCode, additionalInfo: reason.slice(0, 512) } };

/**
 * M05 InstallCertificate (M05.FR.01–17): a root of any InstallCertificateUse type.
 *
 * @example
 * await handleInstallCertificate(ctx, { certificateType: 'CSMSRootCertificate', certificate: pem }); // { status: 'Accepted' }
 */
export const handleInstallCertificate: CallHandler<
  InstallCertificateRequest,
  InstallCertificateResponse
> = async (ctx, request) => {
  const result = await ctx.runtime.certificates.manager.install(request.certificateType, request.certificate);
  return {
    status: result.status,
    ...info(result.status === 'Failed' ? 'InternalError' : 'InvalidCertificate', result.reason),
  };
};

/**
 * M04 DeleteCertificate: Accepted, NotFound (M04.FR.04) or Failed (M04.FR.03/06: the station's own
 * certificate, the last CSMS root a TLS profile needs).
 *
 * @example
 * await handleDeleteCertificate(ctx, { certificateHashData }); // { status: 'NotFound' }
 */
export const handleDeleteCertificate: CallHandler<
  DeleteCertificateRequest,
  DeleteCertificateResponse
> = async (ctx, request) => ({
  status: await ctx.runtime.certificates.manager.delete(request.certificateHashData),
});

/**
 * M03 GetInstalledCertificateIds: hash data of the installed certificates of the types asked for
 * (all when none), NotFound when there are none (M03.FR.02).
 *
 * @example
 * await handleGetInstalledCertificateIds(ctx, { certificateType: ['CSMSRootCertificate'] });
 */
export const handleGetInstalledCertificateIds: CallHandler<
  GetInstalledCertificateIdsRequest,
  GetInstalledCertificateIdsResponse
> = (ctx, request) => {
  const chains = ctx.runtime.certificates.manager.installedIds(request.certificateType ?? []);
  const [first, ...rest] = chains;
  return first ? { status: 'Accepted', certificateHashDataChain: [first, ...rest] } : { status: 'NotFound' };
};

/**
 * A02/A03 CertificateSigned: verified and installed, or Rejected with InvalidChargingStationCertificate
 * (A02.FR.07). A02.FR.08: a new ChargingStationCertificate is used by reconnecting once the
 * response is out.
 *
 * @example
 * await handleCertificateSigned(ctx, { certificateChain: pem, certificateType: 'ChargingStationCertificate' });
 */
export const handleCertificateSigned: CallHandler<
  CertificateSignedRequest,
  CertificateSignedResponse
> = async (ctx, request) => {
  const certificates = ctx.runtime.certificates;
  const result = await certificates.signing.signed(request);
  if (
    result.status === 'Accepted' &&
    (request.certificateType ?? 'ChargingStationCertificate') === 'ChargingStationCertificate'
  ) {
    ctx.afterResponse(() => certificates.clientCertificateInstalled());
  } else if (result.status === 'Accepted' && request.certificateType === 'V2GCertificate') {
    ctx.afterResponse(() => certificates.v2gCertificateInstalled());
  }
  return { status: result.status, ...info('InvalidCertificate', result.reason) };
};
