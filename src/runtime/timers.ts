/**
 * Timers the runtime schedules with, replaceable in tests (a simulated clock advances them).
 */

/** setTimeout/clearTimeout, or a simulation of them. */
export interface TimerScheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers; unref'd so that a pending deadline never keeps a finished process alive. */
export const REAL_TIMERS: TimerScheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
