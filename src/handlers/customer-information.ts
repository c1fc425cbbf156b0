import type { CustomerInformationRequest, CustomerInformationResponse } from '../generated/ocpp-types.js';
import {
  CLEARED_TEXT,
  NO_DATA_TEXT,
  clearCustomer,
  customerInformationStatus,
  customerText,
  splitCustomerInformation,
} from '../customer/customer-information.js';
import type { CallHandler, HandlerContext } from './handler-context.js';

/**
 * N09/N10 CustomerInformation: the status first (N09.FR.02/09, N10.FR.01/07), then, after the
 * response, the report (N09.FR.05/06, N10.FR.03/04) and/or the clear (N10.FR.03/06) in
 * NotifyCustomerInformationRequests split at InternalCtrlr.MaxCustomerInformationDataLength.
 * The data is read before it is cleared, so a clear-and-report reports what was removed.
 *
 * @example
 * await handleCustomerInformation(ctx, { requestId: 1, report: true, clear: false, customerIdentifier: 'c-1' });
 * // { status: 'Accepted' }, then NotifyCustomerInformation
 */
export const handleCustomerInformation: CallHandler<CustomerInformationRequest, CustomerInformationResponse> = (
  ctx,
  request,
) => {
  const response = customerInformationStatus(request);
  if (response.status === 'Accepted') ctx.afterResponse(() => notifyCustomer(ctx, request));
  return response;
};

async function notifyCustomer(ctx: HandlerContext, request: CustomerInformationRequest): Promise<void> {
  const ports = { callbacks: ctx.callbacks, authorization: ctx.authorization };
  const text = await customerText(ports, request);
  if (request.clear) await clearCustomer(ports, request);
  const data = request.report ? text || NO_DATA_TEXT : CLEARED_TEXT;
  const parts = splitCustomerInformation(data, {
    requestId: request.requestId,
    generatedAt: ctx.clock.nowIso(),
    maxLength: ctx.deviceModel.getInteger({ component: 'InternalCtrlr', variable: 'MaxCustomerInformationDataLength' }),
  });
  for (const part of parts) await ctx.queue.send('NotifyCustomerInformation', part, { triggered: true });
}
