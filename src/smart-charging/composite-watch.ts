/**
 * When do the host's composite schedules change by themselves? At the first period boundary of any
 * of them (or at the end of the window they cover): that is when the limit in force changes.
 */
import type { CompositeScheduleType } from '../generated/ocpp-types.js';
import { parseInstant } from './time.js';

/**
 * The earliest instant (epoch ms) at which one of `schedules` moves to its next period or ends, or
 * undefined when there is none (no schedules).
 *
 * @example
 * const next = nextScheduleChange(schedules.map((s) => s.schedule));
 * if (next !== undefined) setTimeout(recheck, next - Date.now());
 */
export function nextScheduleChange(schedules: readonly CompositeScheduleType[]): number | undefined {
  let next: number | undefined;
  for (const schedule of schedules) {
    const start = parseInstant(schedule.scheduleStart ?? '');
    if (start === undefined) continue;
    const second = schedule.chargingSchedulePeriod[1];
    const offset = second === undefined ? schedule.duration : Math.min(second.startPeriod, schedule.duration);
    const at = (start + offset) * 1000;
    if (next === undefined || at < next) next = at;
  }
  return next;
}

/**
 * A fingerprint of the limits in force at the start of `schedules` (first period of each: EVSE,
 * limit, numberPhases, phaseToUse): equal fingerprints mean the host has nothing new to apply now.
 *
 * @example
 * if (limitsInForce(now) !== limitsInForce(before)) host.apply(now);
 */
export function limitsInForce(schedules: readonly CompositeScheduleType[]): string {
  return JSON.stringify(
    schedules.map((schedule) => {
      const first = schedule.chargingSchedulePeriod[0];
      return [schedule.evseId, schedule.chargingRateUnit, first.limit, first.numberPhases, first.phaseToUse];
    }),
  );
}

export interface CompositeWatchOptions<S extends { schedule: CompositeScheduleType }> {
  /** The schedules from now, or undefined when they cannot be computed (the reason was reported). */
  compute(): S[] | undefined;
  /** Station time (epoch ms). */
  now(): number;
  /** Tell the host (and listeners). */
  notify(schedules: S[]): void;
  /** Longest wait between two checks (ms). */
  maxCheckIntervalMs: number;
}

/**
 * Tells the host the composite schedules now ({@link CompositeWatch.publish}) and again whenever
 * the limits in force change with time: a timer to the next period boundary
 * ({@link nextScheduleChange}), capped at maxCheckIntervalMs so that a station clock that jumps
 * is followed. At a check the host is told only if {@link limitsInForce} differs.
 *
 * @example
 * const watch = new CompositeWatch({ compute, now: () => Date.now(), notify: host.apply, maxCheckIntervalMs: 60_000 });
 * watch.publish(); // after any input change
 * watch.stop();
 */
export class CompositeWatch<S extends { schedule: CompositeScheduleType }> {
  private timer: NodeJS.Timeout | null = null;
  private inForce = '';
  private stopped = false;

  constructor(private readonly options: CompositeWatchOptions<S>) {}

  /** Computes, tells the host, and arms the timer. */
  publish(): void {
    if (this.stopped) return;
    const schedules = this.options.compute();
    if (schedules !== undefined) {
      this.inForce = limitsInForce(schedules.map((s) => s.schedule));
      this.options.notify(schedules);
    }
    this.arm(schedules);
  }

  /**
   * Nobody listens for now: the boundary timer is cleared and the next {@link publish} tells the
   * host again whatever is in force then.
   */
  pause(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.inForce = '';
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private check(): void {
    this.timer = null;
    if (this.stopped) return;
    const schedules = this.options.compute();
    if (schedules !== undefined && limitsInForce(schedules.map((s) => s.schedule)) !== this.inForce) {
      this.publish();
    } else {
      this.arm(schedules);
    }
  }

  private arm(schedules: S[] | undefined): void {
    if (this.timer !== null) clearTimeout(this.timer);
    const { maxCheckIntervalMs } = this.options;
    const next = schedules === undefined ? undefined : nextScheduleChange(schedules.map((s) => s.schedule));
    // +1 ms: the boundary itself belongs to the next period.
    const wait = next === undefined ? maxCheckIntervalMs : Math.max(0, next - this.options.now()) + 1;
    this.timer = setTimeout(() => this.check(), Math.min(wait, maxCheckIntervalMs));
    this.timer.unref();
  }
}
