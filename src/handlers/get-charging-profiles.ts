import type { GetChargingProfilesRequest, GetChargingProfilesResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';
import { requireSmartCharging } from './smart-charging-support.js';

/**
 * K09 GetChargingProfiles: Accepted (or NoProfiles), then, after the response, the matching
 * profiles in ReportChargingProfilesRequests, one per EVSE and source, tbc on all but the last
 * (K09.FR.01/02). They are marked triggered: the CSMS asked for them (may go while Pending).
 *
 * @example
 * const response = await handleGetChargingProfiles(ctx, request); // the GetChargingProfilesResponse to send
 */
export const handleGetChargingProfiles: CallHandler<
  GetChargingProfilesRequest,
  GetChargingProfilesResponse
> = (ctx, request) => {
  requireSmartCharging(ctx, 'GetChargingProfiles');
  const { response, reports } = ctx.smartCharging.chargingProfilesReport(request);
  if (reports.length > 0) {
    ctx.afterResponse(async () => {
      for (const report of reports)
        await ctx.queue.send('ReportChargingProfiles', report, { triggered: true });
    });
  }
  return response;
};
