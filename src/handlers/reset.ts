import type { ResetRequest, ResetResponse } from '../generated/ocpp-types.js';
import { evseAllowReset } from '../runtime/settings.js';
import { setPendingBootReason } from '../store/station-state.js';
import type { CallHandler } from './handler-context.js';

/**
 * B11/B12 Reset. Decides Accepted / Scheduled / Rejected; an accepted reset is carried out by the
 * station actor (`reset.execute`, which calls resetCallback) after the response went out.
 * A whole-station reset records the boot reason of the next start (B01.FR.09: RemoteReset here;
 * ScheduledReset, for one that waited for transactions to end, when it runs: the station actor's
 * performReset).
 *
 * @example
 * const response = await handleReset(ctx, request); // the ResetResponse to send
 */
export const handleReset: CallHandler<ResetRequest, ResetResponse> = async (ctx, request) => {
  const { evseId, type } = request;
  const reject = (reasonCode: string, additionalInfo?: string): ResetResponse => ({
    status: 'Rejected',
    statusInfo: additionalInfo === undefined ? { reasonCode } : { reasonCode, additionalInfo },
  });
  if (evseId !== undefined && evseId !== 0) {
    if (!ctx.evses.some((e) => e.id === evseId)) return reject('UnknownEvse', `no EVSE ${evseId}`);
    // B11.FR.09 / B12.FR.09: only EVSEs that announce AllowReset can be reset individually.
    if (ctx.deviceModel.getBoolean(evseAllowReset(evseId)) !== true) {
      return reject('UnsupportedRequest', `EVSE ${evseId} cannot be reset on its own (EVSE.AllowReset)`);
    }
  }
  const target = evseId === undefined || evseId === 0 ? undefined : evseId;
  if (!ctx.callbacks.resetCallback) return reject('UnsupportedRequest', 'this station has no reset handler');
  // B11.FR.06: e.g. a firmware update that cannot be interrupted.
  const allowed = (await ctx.callbacks.isResetAllowedCallback?.(target, type)) ?? true;
  if (!allowed) return reject('InvalidStatus', 'reset not allowed now');

  if (type === 'OnIdle' && ctx.hasActiveTransaction(target)) {
    // B12.FR.01: reset once the transactions have ended (B12.FR.03/07 end them normally). The boot
    // reason ScheduledReset is recorded when the reset runs: a power loss before that boots as
    // PowerUp, not as a reset that never happened.
    ctx.afterResponse(() =>
      ctx.station.send({
        type: 'reset.schedule',
        resetType: type,
        ...(target === undefined ? {} : { evseId: target }),
      }),
    );
    return { status: 'Scheduled' };
  }
  // B11.FR.03 / B11.FR.08 / B12.FR.02; B12.FR.04/08: the transactions end first (ImmediateReset).
  if (target === undefined)
    await setPendingBootReason(ctx.db, ctx.stationId, 'RemoteReset', ctx.clock.nowIso());
  ctx.afterResponse(() =>
    ctx.station.send({
      type: 'reset.execute',
      resetType: type,
      bootReason: 'RemoteReset',
      at: ctx.clock.nowIso(),
      ...(target === undefined ? {} : { evseId: target }),
    }),
  );
  return { status: 'Accepted' };
};
