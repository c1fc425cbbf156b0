import type { ClearChargingProfileRequest, ClearChargingProfileResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';
import { requireSmartCharging } from './smart-charging-support.js';

/**
 * K10 ClearChargingProfile: by id or by criteria; Accepted when something was removed (from the
 * store, before the response), else Unknown. External limits are never cleared by the CSMS.
 *
 * @example
 * const response = await handleClearChargingProfile(ctx, request); // the ClearChargingProfileResponse to send
 */
export const handleClearChargingProfile: CallHandler<
  ClearChargingProfileRequest,
  ClearChargingProfileResponse
> = (ctx, request) => {
  requireSmartCharging(ctx, 'ClearChargingProfile');
  return ctx.smartCharging.clearChargingProfile(request);
};
