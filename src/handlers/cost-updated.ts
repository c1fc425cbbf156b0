import type { CostUpdatedRequest, CostUpdatedResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * I02 CostUpdated: always answered (I02.FR.02); the running cost goes to the screen
 * (setRunningCostCallback) when TariffCostCtrlr Cost is available and enabled (I02.FR.03).
 *
 * @example
 * handleCostUpdated(ctx, { transactionId: 'tx-1', totalCost: 3.25 }); // {}
 */
export const handleCostUpdated: CallHandler<CostUpdatedRequest, CostUpdatedResponse> = (ctx, request) =>
  ctx.runtime.userInterface.tariffCost.costUpdated(request);
