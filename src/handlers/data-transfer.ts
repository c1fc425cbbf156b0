import type { DataTransferRequest, DataTransferResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/** P01 DataTransfer from the CSMS: the host answers; without a handler every vendor is unknown (P01.FR.?). */
export const handleDataTransfer: CallHandler<DataTransferRequest, DataTransferResponse> = async (
  ctx,
  request,
) =>
  ctx.callbacks.dataTransferCallback
    ? ctx.callbacks.dataTransferCallback(request)
    : { status: 'UnknownVendorId' };
