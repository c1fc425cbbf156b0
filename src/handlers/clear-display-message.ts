import type { ClearDisplayMessageRequest, ClearDisplayMessageResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * O05 ClearDisplayMessage: Accepted when a message with that id was configured and is now removed
 * (O05.FR.01), Unknown otherwise (O05.FR.02).
 *
 * @example
 * await handleClearDisplayMessage(ctx, { id: 1 }); // { status: 'Accepted' }
 */
export const handleClearDisplayMessage: CallHandler<ClearDisplayMessageRequest, ClearDisplayMessageResponse> = (
  ctx,
  request,
) => ctx.runtime.userInterface.display.clear(request.id);
