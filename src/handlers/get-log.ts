import type { LogUploadRequest } from '../../machines/log-upload.js';
import { refusedLocation } from '../firmware/transfer-protocols.js';
import type { GetLogRequest, GetLogResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/** Further upload attempts when the request does not say (left to the station). */
export const DEFAULT_LOG_RETRIES = 0;
/** Seconds between upload attempts when the request does not say. */
export const DEFAULT_LOG_RETRY_INTERVAL_S = 30;

/**
 * N01 GetLog. The library keeps both logs (src/logging/station-logs.ts), so the request is Accepted
 * with the file name (N01.FR.01), or AcceptedCanceled while an upload runs, which is cancelled
 * (N01.FR.12/20); LogStatusNotification Uploading follows the response. A host that registered
 * getLogRequestCallback does the upload itself (libocpp's semantics): its answer is sent and it
 * reports with ChargePoint.onLogStatusNotification. A remoteLocation whose protocol is not one of
 * OCPPCommCtrlr.FileTransferProtocols is Rejected (reasonCode InvalidURL, docs/logs.md).
 *
 * @example
 * // in the dispatcher's handler table (src/runtime/incoming.ts): GetLog: handleGetLog
 * await handleGetLog(ctx, { logType: 'SecurityLog', requestId: 3, log: { remoteLocation: 'https://logs.example/up' } });
 * // -> { status: 'Accepted', filename: 'CS-1-SecurityLog-3.jsonl' }
 */
export const handleGetLog: CallHandler<GetLogRequest, GetLogResponse> = async (ctx, request) => {
  const host = ctx.callbacks.getLogRequestCallback;
  if (host) return host(request);
  const refused = refusedLocation(ctx.deviceModel, request.log.remoteLocation);
  if (refused !== null) return { status: 'Rejected', statusInfo: { reasonCode: 'InvalidURL', additionalInfo: refused.slice(0, 512) } };
  const filename = `${ctx.stationId}-${request.logType}-${request.requestId}.jsonl`.replace(/[^A-Za-z0-9._-]/g, '_');
  const upload: LogUploadRequest = {
    requestId: request.requestId,
    logType: request.logType,
    remoteLocation: request.log.remoteLocation,
    oldestTimestamp: request.log.oldestTimestamp ?? null,
    latestTimestamp: request.log.latestTimestamp ?? null,
    filename,
    retries: request.retries ?? DEFAULT_LOG_RETRIES,
    retryIntervalS: request.retryInterval ?? DEFAULT_LOG_RETRY_INTERVAL_S,
  };
  const { status, start } = ctx.runtime.logUpload.request(upload);
  if (status === 'Rejected') return { status, statusInfo: { reasonCode: 'InternalError' } };
  ctx.afterResponse(start);
  return { status, filename };
};
