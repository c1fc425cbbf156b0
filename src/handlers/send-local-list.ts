import type { SendLocalListRequest, SendLocalListResponse } from '../generated/ocpp-types.js';
import type { CallHandler } from './handler-context.js';

/**
 * D01 SendLocalList: a Full or Differential update of the Local Authorization List, answered once
 * it is stored (Accepted), or refused with the list unchanged (VersionMismatch, D01.FR.19; Failed).
 * The rules are in `planSendLocalList` (src/authorization/local-list.ts); the received frame's size
 * is checked against BytesPerMessageSendLocalList (D01.FR.11).
 *
 * @example
 * await handleSendLocalList(ctx, { versionNumber: 1, updateType: 'Full' }); // { status: 'Accepted' }: the list is empty, version 1
 */
export const handleSendLocalList: CallHandler<SendLocalListRequest, SendLocalListResponse> = (ctx, request) =>
  ctx.authorization.sendLocalList(request, ctx.requestBytes);
