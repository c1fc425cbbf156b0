/**
 * Time synchronisation from the CSMS (B01.FR.06, G02.FR.06): the `currentTime` of a
 * BootNotificationResponse or HeartbeatResponse sets the station clock, but only when
 * ClockCtrlr.TimeSource lists `Heartbeat` (the CSMS is a configured time source).
 */
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { DeviceModelPort } from './ports.js';
import { NUMBER_RULES, readSetting } from './setting-rules.js';
import { VARIABLES } from './settings.js';

/**
 * Does ClockCtrlr.TimeSource (a SequenceList, default `Heartbeat`) let the CSMS set the clock?
 *
 * @example
 * csmsIsTimeSource(deviceModel); // true for 'NTP,Heartbeat', false for 'RealTimeClock'
 */
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
    /** Raises a security event (A04); given, a large adjustment is reported as SettingSystemTime. */
    securityEvent?: (type: string, techInfo?: string) => void;
  },
  currentTime: string,
): boolean {
  if (!csmsIsTimeSource(ctx.deviceModel)) return false;
  try {
    const before = ctx.clock.nowMs();
    ctx.clock.setTime(currentTime);
    const movedS = Math.abs(ctx.clock.nowMs() - before) / 1000;
    // Appendix 1 (SettingSystemTime, critical): the clock moved by more than
    // ClockCtrlr.TimeAdjustmentReportingThreshold seconds. Without a threshold nothing is reported.
    const threshold = readSetting(ctx.deviceModel, NUMBER_RULES.timeAdjustmentReportingThreshold);
    if (threshold > 0 && movedS > threshold) {
      ctx.securityEvent?.(
        'SettingSystemTime',
        `clock set to ${currentTime}, moved by ${Math.round(movedS)} s`,
      );
    }
    ctx.callbacks.timeSyncCallback?.(currentTime);
    return true;
  } catch (error) {
    ctx.reportError(error);
    return false;
  }
}
