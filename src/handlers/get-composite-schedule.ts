import type { GetCompositeScheduleRequest, GetCompositeScheduleResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';
import { requireSmartCharging } from './smart-charging-support.js';

/**
 * K08 GetCompositeSchedule: the schedule of an EVSE, or of the grid connection for EVSE 0, from
 * the moment of receipt (K08.FR.02); Rejected for an unknown EVSE (K08.FR.05) or an unsupported
 * chargingRateUnit (K08.FR.07).
 *
 * @example
 * const response = await handleGetCompositeSchedule(ctx, request); // the GetCompositeScheduleResponse to send
 */
export const handleGetCompositeSchedule: CallHandler<
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse
> = (ctx, request) => {
  requireSmartCharging(ctx, 'GetCompositeSchedule');
  return ctx.smartCharging.getCompositeSchedule(request);
};
