import { OcppRpcError } from '../rpc/errors.js';
import type { HandlerContext } from './handler-context.js';

/**
 * K01.FR.29: a station without smart charging (SmartChargingCtrlr.Available or Enabled false)
 * answers the smart-charging CALLs with CALLERROR NotSupported.
 *
 * @example
 * requireSmartCharging(ctx, 'SetChargingProfile');
 */
export function requireSmartCharging(ctx: HandlerContext, action: string): void {
  if (ctx.smartCharging.supported) return;
  throw new OcppRpcError(
    'NotSupported',
    `${action}: smart charging is not supported (SmartChargingCtrlr.Available/Enabled), K01.FR.29`,
  );
}
