import { randomUUID } from 'node:crypto';
import type { RequestStartTransactionRequest, RequestStartTransactionResponse } from '../generated/ocpp-types.js';
import { AUTH_VARIABLES } from '../authorization/authorize-token.js';
import type { CallHandler, HandlerContext } from './handler-context.js';
import { reservationChoice } from '../reservations/reservation-choice.js';

/**
 * F01/F02 RequestStartTransaction. Rejected when the EVSE is unknown, Unavailable or Faulted
 * (F01.FR.23), already has an authorized transaction (F01.FR.24), the host refuses
 * (remoteStartTransactionCallback) or the charging profile is not valid (F01.FR.26: InvalidProfile /
 * InvalidSchedule; ignored without smart charging, F01.FR.12). Without evseId the station picks one
 * (F01.FR.20): the EVSE whose EV waits for authorization, else the first free one. A transaction
 * already running (not yet authorized) on that EVSE is named in the response (F01.FR.13).
 *
 * After the response: with AuthorizeRemoteStart the idToken is authorized first (F01.FR.01), else
 * not (F01.FR.02); then the session gets it and its next TransactionEvent is RemoteStart with the
 * remoteStartId (F01.FR.19/25, F02.FR.01/21).
 *
 * Reservations (H03): an EVSE reserved for another idToken (and groupIdToken) is Rejected
 * (F02.FR.23/24); without evseId the token's reserved EVSE is chosen first and EVSEs reserved for
 * others are skipped. The reservation the token holds there is consumed (H03.FR.09, errata: also by a
 * RequestStartTransaction) and named in its TransactionEvent (H01.FR.15).
 *
 * @example
 * await handleRequestStartTransaction(ctx, { idToken: { idToken: 'A', type: 'Central' }, remoteStartId: 7, evseId: 1 });
 * // { status: 'Accepted' }
 */
export const handleRequestStartTransaction: CallHandler<
  RequestStartTransactionRequest,
  RequestStartTransactionResponse
> = async (ctx, request) => {
  const rejected = (reasonCode: string, additionalInfo?: string): RequestStartTransactionResponse => ({
    status: 'Rejected',
    statusInfo: additionalInfo === undefined ? { reasonCode } : { reasonCode, additionalInfo },
  });
  const reserved = await reservationChoice(
    ctx.runtime.reservations,
    request.evseId === undefined ? ctx.evses.map((e) => e.id) : [request.evseId],
    request.idToken,
    request.groupIdToken,
  );
  if (request.evseId !== undefined && reserved.refused.includes(request.evseId)) {
    return rejected('Reserved', `EVSE ${request.evseId} is reserved for another token`);
  }
  const evseId = request.evseId ?? chooseEvse(ctx, reserved.allowed);
  if (evseId === undefined) return rejected('NoEvseAvailable', 'no EVSE is free');
  const evse = ctx.evses.find((e) => e.id === evseId);
  if (!evse) return rejected('UnknownEvse', `no EVSE ${evseId}`);
  const statuses = evse.connectors.map((c) => ctx.runtime.connectorStatus(evseId, c.id));
  if (statuses.every((s) => s === 'Unavailable' || s === 'Faulted')) {
    return rejected('UnavailableEvse', `EVSE ${evseId} is ${statuses[0] ?? 'unavailable'}`);
  }
  const session = ctx.runtime.openSession(evseId);
  if (session?.authorized && !session.ended) {
    return rejected('TxInProgress', `EVSE ${evseId} has an authorized transaction`);
  }
  const authorizeRemoteStart = ctx.deviceModel.getBoolean(AUTH_VARIABLES.authorizeRemoteStart) !== false;
  const profile = request.chargingProfile;
  if (profile !== undefined) {
    const check = ctx.smartCharging.checkRemoteStartProfile(evseId, profile);
    if (check.status === 'Rejected') {
      const reason = check.reasonCode === 'InvalidSchedule' ? 'InvalidSchedule' : 'InvalidProfile';
      return rejected(reason, check.additionalInfo);
    }
  }
  const host = await ctx.callbacks.remoteStartTransactionCallback?.(request, authorizeRemoteStart);
  if (host !== undefined && host !== 'Accepted') return rejected('Rejected', 'refused by the host');
  const transactionId = session && !session.ended ? session.transactionId : randomUUID();
  ctx.afterResponse(async () => {
    let groupIdToken = request.groupIdToken;
    // C05.FR.01: a Central token (the CSMS's own) is never sent back in an AuthorizeRequest.
    if (authorizeRemoteStart && request.idToken.type !== 'Central') {
      // F01.FR.01 / F02.FR.09: as a local presentation: authorized first.
      const verdict = await ctx.runtime.authorize(request.idToken);
      if (verdict.idTokenInfo.status !== 'Accepted') return;
      // C01.FR.21: a token allowed only on other EVSEs (idTokenInfo.evseId) does not start here.
      const allowed = verdict.idTokenInfo.evseId;
      if (allowed !== undefined && allowed.length > 0 && !allowed.includes(evseId)) return;
      groupIdToken = verdict.idTokenInfo.groupIdToken ?? groupIdToken;
    }
    if (profile !== undefined && ctx.smartCharging.supported) {
      ctx.runtime.remoteStartProfile(transactionId, evseId, profile);
    }
    const energyWh = ctx.runtime.meters.energyWh(evseId);
    ctx.station.send({
      type: 'auth.remoteStart',
      evseId,
      idToken: request.idToken,
      ...(groupIdToken ? { groupIdToken } : {}),
      remoteStartId: request.remoteStartId,
      ...(reserved.reservationFor.has(evseId) ? { reservationId: reserved.reservationFor.get(evseId) as number } : {}),
      at: ctx.clock.nowIso(),
      txId: transactionId,
      ...(energyWh === undefined ? {} : { energyWh }),
    });
  });
  return {
    status: 'Accepted',
    // F01.FR.13: the transaction that already runs here (started, not yet authorized).
    ...(session?.started && !session.ended ? { transactionId: session.transactionId } : {}),
  };
};

/**
 * F01.FR.20: among the EVSEs the token may use (its reserved one first, H03), the one whose EV waits
 * for an authorization, else the first with every connector Available (Reserved for this token counts).
 */
function chooseEvse(ctx: HandlerContext, allowed: readonly number[]): number | undefined {
  const evses = allowed.map((id) => ctx.evses.find((e) => e.id === id)).filter((e) => e !== undefined);
  const waiting = evses.find((e) => {
    const session = ctx.runtime.openSession(e.id);
    return session !== undefined && session.evConnected && !session.authorized && !session.ended;
  });
  if (waiting) return waiting.id;
  return evses.find(
    (e) =>
      ctx.runtime.openSession(e.id) === undefined &&
      e.connectors.every((c) => ['Available', 'Reserved'].includes(ctx.runtime.connectorStatus(e.id, c.id) ?? '')),
  )?.id;
}
