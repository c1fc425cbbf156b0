/**
 * Time synchronisation from the CSMS (B01.FR.06, G02.FR.06): the `currentTime` of a
 * BootNotificationResponse or HeartbeatResponse sets the station clock, but only when
 * ClockCtrlr.TimeSource lists `Heartbeat` (the CSMS is a configured time source).
 */
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { DeviceModelPort } from './ports.js';
import { VARIABLES } from './settings.js';

/** Does ClockCtrlr.TimeSource (a SequenceList, default `Heartbeat`) let the CSMS set the clock? */
export function csmsIsTimeSource(dm: DeviceModelPort): boolean {
  const source = dm.get(VARIABLES.timeSource) ?? 'Heartbeat';
  return source
    .split(',')
    .map((s) => s.trim())
    .includes('Heartbeat');
}

/**
 * Adopts the CSMS's time when the configuration allows it and tells the host (timeSyncCallback).
 * Returns whether the clock was set; an unreadable time is reported, not thrown (the schema
 * already checked the format, so this is a clock failure).
 *
 * @example
 * syncClockFromCsms({ deviceModel, clock, callbacks, reportError }, response.currentTime);
 */
export function syncClockFromCsms(
  ctx: {
    deviceModel: DeviceModelPort;
    clock: StationClock;
    callbacks: Pick<ChargePointCallbacks, 'timeSyncCallback'>;
    reportError: (error: unknown) => void;
  },
  currentTime: string,
): boolean {
  if (!csmsIsTimeSource(ctx.deviceModel)) return false;
  try {
    ctx.clock.setTime(currentTime);
    ctx.callbacks.timeSyncCallback?.(currentTime);
    return true;
  } catch (error) {
    ctx.reportError(error);
    return false;
  }
}
