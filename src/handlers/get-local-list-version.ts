import type { GetLocalListVersionRequest, GetLocalListVersionResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * D02 GetLocalListVersion: the version of the Local Authorization List (D02.FR.01); 0 when the CSMS
 * never sent one (D02.FR.02) or LocalAuthListCtrlr.Enabled is not true (D02.FR.03).
 *
 * @example
 * handleGetLocalListVersion(ctx, {}); // { versionNumber: 0 } on a new station
 */
export const handleGetLocalListVersion: CallHandler<
  GetLocalListVersionRequest,
  GetLocalListVersionResponse
> = (ctx) => ({ versionNumber: ctx.authorization.localListVersion() });
