import type { FirmwareRequest } from '../../machines/firmware.js';
import { verifySigningCertificate } from '../firmware/firmware-signature.js';
import { refusedLocation } from '../firmware/transfer-protocols.js';
import type { UpdateFirmwareRequest, UpdateFirmwareResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/** Further download attempts when the request does not say (it is left to the station). */
export const DEFAULT_FIRMWARE_RETRIES = 0;
/** Seconds between download attempts when the request does not say. */
export const DEFAULT_FIRMWARE_RETRY_INTERVAL_S = 30;

/**
 * L01/L02 UpdateFirmware. A signed request's certificate is checked before it is accepted
 * (L01.FR.21): one that does not chain to an installed ManufacturerRootCertificate is answered
 * InvalidCertificate and reported with the security event InvalidFirmwareSigningCertificate
 * (L01.FR.22, L01.FR.02; Part 6 TC_L_05). A station with ManufacturerRootCertificates supports
 * secure updates only and refuses an unsigned request (TC_L_18); without any, an unsigned update
 * follows L02. A location whose protocol is not one of OCPPCommCtrlr.FileTransferProtocols is
 * Rejected with reasonCode InvalidURL (the appendix's code for UpdateFirmware) when the library
 * downloads. The firmware actor decides the rest: Accepted, AcceptedCanceled for a new request
 * while one runs (L01.FR.24), Rejected while installing (L01.FR.27).
 *
 * @example
 * // in the dispatcher's handler table (src/runtime/incoming.ts): UpdateFirmware: handleUpdateFirmware
 * await handleUpdateFirmware(ctx, { requestId: 7, firmware: { location: 'https://fw.example/7.bin', retrieveDateTime: now } });
 * // -> { status: 'Accepted' }; FirmwareStatusNotification Downloading (requestId 7) follows
 */
export const handleUpdateFirmware: CallHandler<UpdateFirmwareRequest, UpdateFirmwareResponse> = async (ctx, request) => {
  const rejected = (reasonCode: string, additionalInfo: string): UpdateFirmwareResponse => ({
    status: 'Rejected',
    statusInfo: { reasonCode, additionalInfo },
  });
  const { installFirmwareCallback, updateFirmwareRequestCallback } = ctx.callbacks;
  if (!installFirmwareCallback && !updateFirmwareRequestCallback) {
    return rejected('UnsupportedRequest', 'this station has no firmware installer');
  }
  const { firmware } = request;
  const roots = ctx.runtime.firmware.manufacturerRoots();
  const certificate = firmware.signingCertificate;
  if (certificate !== undefined || firmware.signature !== undefined) {
    const check =
      certificate === undefined
        ? ({ valid: false, reason: 'signature without signingCertificate' } as const)
        : verifySigningCertificate(certificate, roots, ctx.clock.nowMs());
    if (!check.valid) {
      // L01.FR.02: the security event follows the response (TC_L_05 step 3).
      ctx.afterResponse(() => ctx.securityEvent('InvalidFirmwareSigningCertificate', check.reason));
      return { status: 'InvalidCertificate', statusInfo: { reasonCode: 'InvalidCertificate', additionalInfo: check.reason.slice(0, 512) } };
    }
    if (firmware.signature === undefined) return rejected('MissingSignature', 'signingCertificate without signature');
  } else if (roots.length > 0) {
    return rejected('MissingSignature', 'this station installs signed firmware only');
  }
  // libocpp's semantics: without installFirmwareCallback the host carries out the whole update and
  // reports its steps with onFirmwareUpdateStatusNotification; with it, the host may only refuse.
  // FileTransferProtocols says what this station downloads with: refused now rather than accepted
  // and failed later (docs/firmware.md). A host that downloads itself knows its own protocols.
  const refused = installFirmwareCallback ? refusedLocation(ctx.deviceModel, firmware.location) : null;
  if (refused !== null) return rejected('InvalidURL', refused.slice(0, 512));
  const host = await updateFirmwareRequestCallback?.(request);
  if (host && (host.status !== 'Accepted' || !installFirmwareCallback)) return host;
  const accepted: FirmwareRequest = {
    requestId: request.requestId,
    location: firmware.location,
    retrieveDateTime: firmware.retrieveDateTime,
    installDateTime: firmware.installDateTime ?? null,
    signingCertificate: certificate ?? null,
    signature: firmware.signature ?? null,
    retries: request.retries ?? DEFAULT_FIRMWARE_RETRIES,
    retryIntervalS: request.retryInterval ?? DEFAULT_FIRMWARE_RETRY_INTERVAL_S,
    receivedAt: ctx.clock.nowIso(),
    duringTransaction: ctx.runtime.firmware.duringTransaction,
  };
  const { status, start } = ctx.runtime.firmware.update(accepted);
  ctx.afterResponse(start);
  // L01.FR.27: an installation under way cannot be cancelled.
  return status === 'Rejected' ? rejected('InstallInProgress', 'a firmware installation is under way') : { status };
};
