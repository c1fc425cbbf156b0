import type {
  GetBaseReportRequest,
  GetBaseReportResponse,
  GetReportRequest,
  GetReportResponse,
  ReportDataType,
} from '../generated/ocpp-types.js';
import { splitNotifyReport } from '../device-model/index.js';
import { messageSize, type CallHandler, type HandlerContext } from './handler-context.js';

/**
 * B07 GetBaseReport: answer Accepted (the schema admits only the three bases, all supported), then send the report as
 * NotifyReport parts. They are marked triggered: the CSMS asked for them, so they may go while
 * Pending (B02.FR.02).
 *
 * @example
 * const response = await handleGetBaseReport(ctx, request); // the GetBaseReportResponse to send
 */
export const handleGetBaseReport: CallHandler<GetBaseReportRequest, GetBaseReportResponse> = (
  ctx,
  request,
) => {
  const data = ctx.deviceModel.baseReport(request.reportBase);
  if (request.reportBase === 'SummaryInventory') data.push(...alertingVariables(ctx, data));
  ctx.afterResponse(() => sendReport(ctx, request.requestId, data));
  return { status: 'Accepted' };
};

/**
 * B08 GetReport: the device model decides the status (and refuses a request over
 * ItemsPerMessage/BytesPerMessage GetReport with a CALLERROR, B08.FR.17/18); on Accepted the
 * report follows (B08.FR.03), else no NotifyReport is sent.
 *
 * @example
 * const response = await handleGetReport(ctx, request); // the GetReportResponse to send
 */
export const handleGetReport: CallHandler<GetReportRequest, GetReportResponse> = (ctx, request) => {
  const { status, statusInfo, data } = ctx.deviceModel.report(request, messageSize(ctx));
  if (status === 'Accepted') ctx.afterResponse(() => sendReport(ctx, request.requestId, data));
  // B08.FR.02: NotSupported says which criterion (statusInfo) so the CSMS can adapt its request.
  return statusInfo === undefined ? { status } : { status, statusInfo };
};

/**
 * B07 (SummaryInventory): "All monitored Component_variables in Critical or Alert state shall also
 * be included": the variables whose threshold monitors are exceeded now, unless already listed.
 */
function alertingVariables(ctx: HandlerContext, listed: readonly ReportDataType[]): ReportDataType[] {
  const key = (d: Pick<ReportDataType, 'component' | 'variable'>) => JSON.stringify([d.component, d.variable]).toLowerCase();
  const seen = new Set(listed.map(key));
  const out: ReportDataType[] = [];
  for (const m of ctx.runtime.monitoring.list()) {
    if (!m.exceeded || seen.has(key(m))) continue;
    seen.add(key(m));
    const { data } = ctx.deviceModel.report({ requestId: 0, componentVariable: [{ component: m.component, variable: m.variable }] });
    out.push(...data);
  }
  return out;
}

async function sendReport(ctx: HandlerContext, requestId: number, data: ReportDataType[]): Promise<void> {
  const limits = ctx.deviceModel;
  const parts = splitNotifyReport(data, {
    requestId,
    generatedAt: ctx.clock.nowIso(),
    itemsPerMessage: limits.getInteger({
      component: 'DeviceDataCtrlr',
      variable: 'ItemsPerMessage',
      variableInstance: 'GetReport',
    }),
    bytesPerMessage: limits.getInteger({
      component: 'DeviceDataCtrlr',
      variable: 'BytesPerMessage',
      variableInstance: 'GetReport',
    }),
  });
  for (const part of parts) {
    await ctx.queue.send('NotifyReport', part, { triggered: true });
  }
}
