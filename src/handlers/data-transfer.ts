import type { DataTransferRequest, DataTransferResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * P01 DataTransfer from the CSMS: the host answers; without a handler every vendor is unknown
 * (P01.FR.05).
 *
 * @example
 * await handleDataTransfer(ctx, { vendorId: 'com.example' }); // { status: 'UnknownVendorId' }
 */
export const handleDataTransfer: CallHandler<DataTransferRequest, DataTransferResponse> = async (
  ctx,
  request,
) =>
  ctx.callbacks.dataTransferCallback
    ? ctx.callbacks.dataTransferCallback(request)
    : { status: 'UnknownVendorId' };
