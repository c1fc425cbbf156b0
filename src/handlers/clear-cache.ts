import type { ClearCacheRequest, ClearCacheResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * C11 ClearCache: the station tries to clear its Authorization Cache (C11.FR.01) and says whether
 * it could (C11.FR.02): Accepted once every entry is gone from the store (C11.FR.03); Rejected when
 * AuthCacheCtrlr.Enabled is false (C11.FR.04, reasonCode NotEnabled) or the store failed (C11.FR.05).
 *
 * @example
 * const response = await handleClearCache(ctx, {}); // { status: 'Accepted' }
 */
export const handleClearCache: CallHandler<ClearCacheRequest, ClearCacheResponse> = (ctx) =>
  ctx.authorization.clearCache();
