/**
 * The CSMS's monitoring CALLs (N02–N06), answered by the station's monitors
 * (src/monitoring/monitoring-requests.ts). Monitors that fire because of a request (a new threshold
 * already exceeded, N07.FR.11) are reported after the response; a report follows its response
 * (N02.FR.03).
 */
import type {
  ClearVariableMonitoringRequest,
  ClearVariableMonitoringResponse,
  GetMonitoringReportRequest,
  GetMonitoringReportResponse,
  SetMonitoringBaseRequest,
  SetMonitoringBaseResponse,
  SetMonitoringLevelRequest,
  SetMonitoringLevelResponse,
  SetVariableMonitoringRequest,
  SetVariableMonitoringResponse,
} from '../generated/ocpp-types.js';
import { splitMonitoringReport } from '../monitoring/monitoring-report.js';
import type { CallHandler } from './handler-context.js';

/**
 * N04 SetVariableMonitoring.
 *
 * @example
 * const response = await handleSetVariableMonitoring(ctx, request); // one setMonitoringResult per element
 */
export const handleSetVariableMonitoring: CallHandler<
  SetVariableMonitoringRequest,
  SetVariableMonitoringResponse
> = async (ctx, request) => {
  const { response, afterResponse } = await ctx.runtime.monitoring.setVariableMonitoring(
    request,
    ctx.requestBytes,
  );
  for (const fire of afterResponse) ctx.afterResponse(fire);
  return response;
};

/**
 * N06 ClearVariableMonitoring.
 *
 * @example
 * const response = await handleClearVariableMonitoring(ctx, { id: [3] }); // { clearMonitoringResult: [{ id: 3, status: 'Accepted' }] }
 */
export const handleClearVariableMonitoring: CallHandler<
  ClearVariableMonitoringRequest,
  ClearVariableMonitoringResponse
> = (ctx, request) => ctx.runtime.monitoring.clearVariableMonitoring(request, ctx.requestBytes);

/**
 * N03 SetMonitoringBase: every base is supported (N03.FR.01).
 *
 * @example
 * const response = await handleSetMonitoringBase(ctx, { monitoringBase: 'FactoryDefault' }); // { status: 'Accepted' }
 */
export const handleSetMonitoringBase: CallHandler<
  SetMonitoringBaseRequest,
  SetMonitoringBaseResponse
> = async (ctx, request) => {
  const { response, afterResponse } = await ctx.runtime.monitoring.setMonitoringBase(request.monitoringBase);
  for (const fire of afterResponse) ctx.afterResponse(fire);
  return response;
};

/**
 * N05 SetMonitoringLevel.
 *
 * @example
 * const response = await handleSetMonitoringLevel(ctx, { severity: 4 }); // { status: 'Accepted' }
 */
export const handleSetMonitoringLevel: CallHandler<SetMonitoringLevelRequest, SetMonitoringLevelResponse> = (
  ctx,
  request,
) => ctx.runtime.monitoring.setMonitoringLevel(request.severity);

/**
 * N02 GetMonitoringReport: the status, then (Accepted) the report in NotifyMonitoringReport parts
 * within ItemsPerMessage/BytesPerMessage GetReport, marked triggered like other reports the CSMS
 * asks for (they may go while Pending).
 *
 * @example
 * const response = await handleGetMonitoringReport(ctx, { requestId: 7 }); // { status: 'Accepted' }
 */
export const handleGetMonitoringReport: CallHandler<
  GetMonitoringReportRequest,
  GetMonitoringReportResponse
> = (ctx, request) => {
  const monitoring = ctx.runtime.monitoring;
  const { status, data } = monitoring.monitoringReport(request);
  if (status === 'Accepted') {
    ctx.afterResponse(async () => {
      const limits = monitoring.reportLimits();
      const parts = splitMonitoringReport(data, {
        requestId: request.requestId,
        generatedAt: ctx.clock.nowIso(),
        itemsPerMessage: limits.items,
        bytesPerMessage: limits.bytes,
      });
      for (const part of parts) await ctx.queue.send('NotifyMonitoringReport', part, { triggered: true });
    });
  }
  return { status };
};
