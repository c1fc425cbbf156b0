import type { SetChargingProfileRequest, SetChargingProfileResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';
import { requireSmartCharging } from './smart-charging-support.js';

/**
 * K01 SetChargingProfile: every rejection is Rejected with statusInfo.reasonCode and the
 * requirement in additionalInfo; an accepted profile is stored before the response (K01.FR.27) and
 * replaces the one with the same id (K01.FR.05).
 *
 * @example
 * const response = await handleSetChargingProfile(ctx, request); // the SetChargingProfileResponse to send
 */
export const handleSetChargingProfile: CallHandler<SetChargingProfileRequest, SetChargingProfileResponse> = (
  ctx,
  request,
) => {
  requireSmartCharging(ctx, 'SetChargingProfile');
  return ctx.smartCharging.setChargingProfile(request);
};
