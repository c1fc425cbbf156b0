import type { SetDisplayMessageRequest, SetDisplayMessageResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * O01/O02/O06 SetDisplayMessage: checked against DisplayMessageCtrlr (priority, format, state,
 * NumberOfDisplayMessages) and the open transactions, then stored (or handed to the host that owns
 * the messages); src/display/display-messages.ts.
 *
 * @example
 * await handleSetDisplayMessage(ctx, { message: { id: 1, priority: 'NormalCycle', message: { format: 'UTF8', content: 'Hi' } } });
 * // { status: 'Accepted' }
 */
export const handleSetDisplayMessage: CallHandler<SetDisplayMessageRequest, SetDisplayMessageResponse> = (
  ctx,
  request,
) => ctx.runtime.userInterface.display.set(request.message);
