import type { GetDisplayMessagesRequest, GetDisplayMessagesResponse } from '../generated/ocpp-types.js';
import { splitNotifyDisplayMessages } from '../display/display-rules.js';
import type { CallHandler } from './handler-context.js';

/**
 * O03/O04 GetDisplayMessages: Unknown when no configured message matches (O03.FR.06, O04.FR.02/07);
 * else Accepted (O03.FR.01, O04.FR.01) and, after the response, every match in
 * NotifyDisplayMessagesRequests with the request's requestId, split at DeviceDataCtrlr
 * ItemsPerMessage/BytesPerMessage[GetReport] with tbc on all but the last (O03.FR.02–05, O04.FR.03–06).
 * The parts may go while Pending: the CSMS asked for them (B02.FR.02).
 *
 * @example
 * await handleGetDisplayMessages(ctx, { requestId: 7 }); // { status: 'Accepted' }, then NotifyDisplayMessages
 */
export const handleGetDisplayMessages: CallHandler<GetDisplayMessagesRequest, GetDisplayMessagesResponse> = async (
  ctx,
  request,
) => {
  const matches = await ctx.runtime.userInterface.display.get(request);
  if (matches.length === 0) return { status: 'Unknown' };
  const limit = (variable: string) =>
    ctx.deviceModel.getInteger({ component: 'DeviceDataCtrlr', variable, variableInstance: 'GetReport' });
  const parts = splitNotifyDisplayMessages(matches, request.requestId, {
    itemsPerMessage: limit('ItemsPerMessage'),
    bytesPerMessage: limit('BytesPerMessage'),
  });
  ctx.afterResponse(async () => {
    for (const part of parts) await ctx.queue.send('NotifyDisplayMessages', part, { triggered: true });
  });
  return { status: 'Accepted' };
};
