/**
 * J01: clock-aligned meter values outside transactions. At every AlignedDataInterval instant (the
 * grid from midnight, ClockCtrlr.TimeZone) the station sends a MeterValuesRequest with the
 * AlignedDataMeasurands (context Sample.Clock) for the main meter (EVSE 0) and for every EVSE that
 * has no transaction (J01.FR.14); an EVSE with a transaction reports them in its TransactionEvent
 * (MeterValueClock, J01.FR.22, the transaction chart does that). With AlignedDataSendDuringIdle
 * nothing clock-aligned is sent while any transaction runs (J01.FR.19/20, Part 6 TC_J_06).
 *
 * Only readings the host gave are reported; a station whose host gives none runs no timer
 * (DESIGN.md: an idle station runs no timer nobody needs). All messages of one interval carry the
 * same timestamp (Part 6 TC_J_01).
 */
import type { StationClock } from '../clock.js';
import type { MeterValuesRequest } from '../generated/ocpp-types.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import { nextAlignedInstant } from '../runtime/deadline.js';
import type { TimerScheduler } from '../runtime/timers.js';
import type { StationMeters } from './station-meters.js';

export interface AlignedMeterValuesOptions {
  deviceModel: DeviceModelPort;
  meters: StationMeters;
  clock: StationClock;
  timers: TimerScheduler;
  evseIds: readonly number[];
  /** Does a transaction run on this EVSE (or any, undefined)? */
  hasActiveTransaction(evseId?: number): boolean;
  /** Sends one MeterValuesRequest (not durable: a clock value missed offline is not repeated). */
  send(request: MeterValuesRequest): Promise<unknown>;
  reportError(error: unknown): void;
}

/** Longest wait between two looks at the settings and the clock. */
const MAX_WAIT_MS = 60_000;

/**
 * @example
 * const aligned = new AlignedMeterValues(options);
 * aligned.start(); // arms itself once a reading exists and AlignedDataInterval > 0
 * aligned.stop();
 */
export class AlignedMeterValues {
  private timer: unknown = null;
  private next: string | null = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: AlignedMeterValuesOptions) {}

  start(): void {
    this.unsubscribe = this.options.meters.onReading(() => this.arm());
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Follows a changed AlignedDataInterval. */
  settingsChanged(): void {
    this.next = null;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
    this.arm();
  }

  private interval(): number {
    const dm = this.options.deviceModel;
    if (dm.getBoolean({ component: 'AlignedDataCtrlr', variable: 'Enabled' }) === false) return 0;
    const value = dm.getInteger({ component: 'AlignedDataCtrlr', variable: 'Interval' }) ?? 0;
    return value > 0 ? value : 0;
  }

  private hasReadings(): boolean {
    return [0, ...this.options.evseIds].some((id) => this.options.meters.reading(id) !== undefined);
  }

  private arm(): void {
    if (this.stopped || this.timer !== null) return;
    const intervalS = this.interval();
    if (intervalS === 0 || !this.hasReadings()) return;
    const { clock, deviceModel } = this.options;
    this.next ??= nextAlignedInstant(
      clock,
      intervalS,
      () => deviceModel.get({ component: 'ClockCtrlr', variable: 'TimeZone' }) || undefined,
      this.options.reportError,
    );
    if (this.next === null) return;
    const wait = Date.parse(this.next) - clock.nowMs();
    this.timer = this.options.timers.setTimeout(
      () => {
        this.timer = null;
        if (this.next !== null && Date.parse(this.next) <= clock.nowMs()) {
          const at = this.next;
          this.next = null;
          void this.send(at);
        }
        this.arm();
      },
      Math.max(0, Math.min(wait, MAX_WAIT_MS)),
    );
  }

  private async send(at: string): Promise<void> {
    const { options } = this;
    const sendDuringIdle =
      options.deviceModel.getBoolean({ component: 'AlignedDataCtrlr', variable: 'SendDuringIdle' }) === true;
    // J01.FR.20: with SendDuringIdle, nothing at all while a transaction runs.
    if (sendDuringIdle && options.hasActiveTransaction()) return;
    for (const evseId of [0, ...options.evseIds]) {
      // J01.FR.22: an EVSE with a transaction reports through its TransactionEvent.
      if (evseId !== 0 && options.hasActiveTransaction(evseId)) continue;
      const meterValue = options.meters.alignedReading(evseId, 'Sample.Clock', at);
      if (!meterValue) continue;
      try {
        await options.send({ evseId, meterValue: [meterValue] });
      } catch (error) {
        // Offline or not accepted: a clock-aligned value is not repeated later (J01: not durable).
        if ((error as Error).name !== 'NotDeliveredError') options.reportError(error);
      }
    }
  }
}
