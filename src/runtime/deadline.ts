/**
 * The waits the machines invoke (machines/deadline.ts): `deadline` resolves once the station clock
 * reaches an absolute instant, `alignedTick` at the next instant of a clock-aligned grid; both with
 * the station time they fired at. The clock may be moved (the CSMS sets the time, B01.FR.06), so a
 * long wait is cut into steps of at most {@link MAX_STEP_MS} and the clock is read again after each;
 * stopping the actor (its state was left) clears the timer.
 */
import { fromPromise } from 'xstate';
import type { AnyActorSystem } from './system-effects.js';
import type { AlignedTickInput, DeadlineInput } from '../../machines/deadline.js';
import type { StationClock } from '../clock.js';
import { nextClockAlignedTime } from '../meter-values/index.js';
import type { TimerScheduler } from './timers.js';

/** Longest single timer: the clock is re-read at least this often while waiting. */
export const MAX_STEP_MS = 60_000;

/**
 * Resolves with the station time once `clock` reaches `until` (never when `until` is null); stops
 * waiting (without settling) when `signal` aborts.
 *
 * @example
 * const firedAt = await waitUntil(clock, REAL_TIMERS, '2026-01-01T00:00:00Z', new AbortController().signal);
 */
export function waitUntil(
  clock: StationClock,
  timers: TimerScheduler,
  until: string | null,
  signal: AbortSignal,
): Promise<string> {
  return new Promise<string>((resolve) => {
    if (until === null) return; // forever: ends only when the state is left
    const target = Date.parse(until);
    let handle: unknown = null;
    const check = () => {
      handle = null;
      if (signal.aborted) return;
      const left = target - clock.nowMs();
      if (!Number.isFinite(left) || left <= 0) {
        resolve(clock.nowIso());
        return;
      }
      handle = timers.setTimeout(check, Math.min(left, MAX_STEP_MS));
    };
    signal.addEventListener('abort', () => {
      if (handle !== null) timers.clearTimeout(handle);
    });
    check();
  });
}

/** The station's clock and timers, found from the actor system (src/runtime/system-effects.ts). */
export type WaitPorts = (system: AnyActorSystem) => { clock: StationClock; timers: TimerScheduler };

/**
 * A `deadline` actor that waits on the station's clock with its timers (both found through the
 * actor system, so one provided machine serves every station of a process).
 *
 * @example
 * const machine = transactionMachine.provide({ actors: { deadline: deadlineActor(() => ({ clock, timers: REAL_TIMERS })) } });
 */
export function deadlineActor(ports: WaitPorts) {
  return fromPromise<string, DeadlineInput>(({ input, signal, system }) => {
    const { clock, timers } = ports(system);
    return waitUntil(clock, timers, input.until, signal);
  });
}

/**
 * The `alignedTick` actor: resolves at the next instant of the clock-aligned grid of `intervalS`
 * seconds from midnight (J01, AlignedDataInterval), in the station's time zone when `timeZone()`
 * names one (ClockCtrlr.TimeZone), with that instant. The ports are found through the actor system.
 *
 * @example
 * const machine = transactionMachine.provide({
 *   actors: { alignedTick: alignedTickActor(() => ({ clock, timers: REAL_TIMERS, timeZone: () => undefined, reportError: console.error })) },
 * });
 */
export function alignedTickActor(
  ports: (system: AnyActorSystem) => ReturnType<WaitPorts> & {
    timeZone(): string | undefined;
    reportError(error: unknown): void;
  },
) {
  return fromPromise<string, AlignedTickInput>(async ({ input, signal, system }) => {
    const station = ports(system);
    const { clock, timers } = station;
    const until = nextAlignedInstant(clock, input.intervalS, () => station.timeZone(), (e) => station.reportError(e));
    await waitUntil(clock, timers, until, signal);
    return until ?? clock.nowIso();
  });
}

/**
 * The next clock-aligned instant after now; an unusable ClockCtrlr.TimeZone falls back to the grid
 * from UTC midnight (reported).
 *
 * @example
 * nextAlignedInstant(clock, 900, () => 'Europe/Amsterdam'); // e.g. '2026-01-01T10:15:00.000Z'
 */
export function nextAlignedInstant(
  clock: StationClock,
  intervalS: number,
  zone: () => string | undefined,
  reportError: (error: unknown) => void = () => undefined,
): string | null {
  const now = clock.nowIso();
  try {
    const timeZone = zone();
    return nextClockAlignedTime(now, intervalS, timeZone ? { zone: timeZone } : {});
  } catch (error) {
    reportError(error);
    return nextClockAlignedTime(now, Math.max(1, Math.round(intervalS)));
  }
}
