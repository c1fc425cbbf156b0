import { DateTime } from 'luxon';

/**
 * The station's clock: real time plus an offset. The offset moves when the CSMS tells the time
 * (B01.FR.06, G02.FR.06) or when a simulated station starts at a chosen instant (`--clock`).
 * Every timestamp the station sends comes from here, as RFC 3339 UTC.
 *
 * Plain numbers and strings only: the interface is public (ChargePointOptions.clock) and a host's own
 * clock should not need luxon (nor its types) to implement it.
 */
export interface StationClock {
  /** Current station time in milliseconds since the epoch (as `Date.now()` counts them). */
  nowMs(): number;
  /** Current station time as an RFC 3339 UTC string with milliseconds. */
  nowIso(): string;
  /** Set the station time to `instant` (RFC 3339); the clock runs on from there. */
  setTime(instant: string): void;
}

/**
 * Creates a station clock, optionally starting at `startAt` (RFC 3339) instead of the host's time.
 *
 * @example
 * const clock = createStationClock('2026-03-29T00:30:00Z');
 * clock.nowIso(); // '2026-03-29T00:30:00.000Z' (and running)
 */
export function createStationClock(startAt?: string, hostNow: () => number = Date.now): StationClock {
  let offsetMs = 0;
  // The last instant formatted: a fleet's boot storm asks the time many times per millisecond
  // (every message, event and row), and formatting is most of what a timestamp costs (issue 9).
  let lastMs = Number.NaN;
  let lastIso = '';
  const clock: StationClock = {
    nowMs: () => hostNow() + offsetMs,
    // RFC 3339 UTC with milliseconds, as luxon's toISO() of the UTC DateTime would give, without
    // building a DateTime for every timestamp (it is taken for every message and event).
    nowIso: () => {
      const ms = hostNow() + offsetMs;
      if (ms !== lastMs) {
        lastIso = new Date(ms).toISOString();
        lastMs = ms;
      }
      return lastIso;
    },
    setTime(instant: string) {
      const target = DateTime.fromISO(instant, { setZone: true });
      if (!target.isValid) throw new RangeError(`not an RFC 3339 instant: ${JSON.stringify(instant)}`);
      offsetMs = target.toMillis() - hostNow();
    },
  };
  if (startAt !== undefined) clock.setTime(startAt);
  return clock;
}
