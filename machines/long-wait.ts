/**
 * Waits of any length for the statecharts.
 *
 * Intervals come from the CSMS and from device-model variables (BootNotificationResponse.interval,
 * OCPPCommCtrlr.HeartbeatInterval): integers of seconds up to 2^31-1, i.e. far beyond what one
 * timer can hold. Node turns a setTimeout delay above 2^31-1 ms (about 24.8 days) into 1 ms, so a
 * 30-day interval taken as-is fires at once, again and again. Every timer a machine starts is
 * therefore clamped (`timerDelayMs`), and a longer wait is a chain of clamped timers
 * (`longWaitMachine`), so it neither floods nor ends early (B02.FR.04 forbids a BootNotification
 * before the interval has passed).
 */
import { assign, setup } from 'xstate';

/** The longest delay setTimeout honours: 2^31-1 ms. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * A delay one timer can hold: `ms` clamped to [0, MAX_TIMER_DELAY_MS]. NaN counts as 0.
 *
 * @example
 * timerDelayMs(30 * 24 * 3600 * 1000); // 2_147_483_647
 * timerDelayMs(1500); // 1500
 */
export function timerDelayMs(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_DELAY_MS);
}

/**
 * Milliseconds of a wait given in seconds, at least `minimumS` seconds (an interval of 0 or less,
 * or NaN, would otherwise make a busy loop). Not clamped: pass it to `longWaitMachine`.
 *
 * @example
 * waitMs(300); // 300_000
 * waitMs(0); // 1000: never a busy loop
 * waitMs(30 * 24 * 3600); // 2_592_000_000: longer than one timer, chained by longWaitMachine
 */
export function waitMs(seconds: number, minimumS = 1): number {
  const s = Number.isNaN(seconds) ? minimumS : Math.max(minimumS, seconds);
  return s * 1000;
}

export interface LongWaitInput {
  /** How long to wait (ms); any length, Infinity waits forever. */
  ms: number;
}

export interface LongWaitContext {
  /** What was left of the wait when the running timer started (it may be longer than that timer). */
  leftMs: number;
}

/**
 * Completes (final state, so the invoking state gets `onDone`) after `input.ms`, however long:
 * one clamped timer after another. Invoke it where a plain `after` could overflow.
 *
 * @example
 * // in a machine's setup: actors: { wait: longWaitMachine }
 * pending: {
 *   invoke: { id: 'retryWait', src: 'wait', input: ({ context }) => ({ ms: waitMs(context.retryIntervalS) }),
 *     onDone: 'registering' },
 * }
 */
export const longWaitMachine = setup({
  types: {
    context: {} as LongWaitContext,
    input: {} as LongWaitInput,
  },
  delays: {
    step: ({ context }) => timerDelayMs(context.leftMs),
  },
  guards: {
    moreThanOneTimer: ({ context }) => context.leftMs > MAX_TIMER_DELAY_MS,
  },
}).createMachine({
  id: 'longWait',
  context: ({ input }) => ({ leftMs: Number.isNaN(input.ms) ? 0 : Math.max(0, input.ms) }),
  initial: 'waiting',
  states: {
    waiting: {
      after: {
        step: [
          {
            guard: 'moreThanOneTimer',
            target: 'waiting',
            reenter: true,
            actions: assign({ leftMs: ({ context }) => context.leftMs - MAX_TIMER_DELAY_MS }),
          },
          { target: 'done' },
        ],
      },
    },
    done: { type: 'final' },
  },
});
