/**
 * Deadlines for the statecharts: waits that must survive a power loss. xstate does not persist
 * `after` timers, so a machine that must wait across a restart keeps the absolute instant (station
 * time, RFC 3339) in its context and invokes the `deadline` actor with it; src/ provides the actor
 * (it reads the clock), and a restored machine re-runs the invoked actor, which re-arms itself for
 * the same instant (DESIGN.md, "Restore is not a transition").
 *
 * The machines only do pure arithmetic on instants they were given; they never read a clock.
 */
import { fromPromise } from 'xstate';
import { formatInstant, instantMs } from './instant.js';

export interface DeadlineInput {
  /** Absolute instant (RFC 3339, station time) at which the wait ends; null waits forever. */
  until: string | null;
}

/**
 * The placeholder every machine registers as `deadline`; src/ provides the real one. It resolves
 * with the station time at which it fired (RFC 3339).
 *
 * @example
 * // in setup({ actors: { deadline: deadlineActor } }), then
 * invoke: { src: 'deadline', input: ({ context }) => ({ until: context.timeoutAt }), onDone: 'timedOut' }
 */
export const deadlineActor = fromPromise<string, DeadlineInput>(async () => {
  throw new Error('deadline actor not provided');
});

export interface AlignedTickInput {
  /** Clock-aligned interval (s) counted from midnight. */
  intervalS: number;
}

/**
 * The placeholder of `alignedTick`: resolves at the next clock-aligned instant (AlignedDataInterval
 * grid from midnight, J01) with that instant. src/ provides it (the grid needs the clock and the
 * station's time zone).
 */
export const alignedTickActor = fromPromise<string, AlignedTickInput>(async () => {
  throw new Error('alignedTick actor not provided');
});

/**
 * `iso` plus `seconds` (may be fractional), as RFC 3339 UTC with milliseconds. Pure arithmetic on
 * the instant given.
 *
 * @example
 * addSeconds('2026-01-01T00:00:00.000Z', 90); // '2026-01-01T00:01:30.000Z'
 */
export function addSeconds(iso: string, seconds: number): string {
  return formatInstant(instantMs(iso) + Math.round(seconds * 1000));
}

/**
 * Whole seconds from `fromIso` to `toIso` (never negative; 0 for unreadable instants).
 *
 * @example
 * secondsBetween('2026-01-01T00:00:00Z', '2026-01-01T00:02:00Z'); // 120
 */
export function secondsBetween(fromIso: string, toIso: string): number {
  const ms = instantMs(toIso) - instantMs(fromIso);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
}
