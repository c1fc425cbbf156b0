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
      offsetMs = instantMs(instant) - hostNow();
    },
  };
  if (startAt !== undefined) clock.setTime(startAt);
  return clock;
}

/** `YYYY-MM-DDTHH:MM:SS[.fff]Z|±HH:MM`: the form CSMSs send (B01.FR.06 currentTime). */
const PLAIN_RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch of an RFC 3339 instant, as luxon's `DateTime.fromISO(instant,
 * { setZone: true }).toMillis()` gives them; throws a RangeError for text luxon finds invalid.
 * The plain form with every field in range is read by `Date.parse` (no DateTime built: every
 * station of a boot storm sets its clock from the BootNotification answer, issue 9); anything
 * else (lower-case separators, more digits, hour 24, a day past the month's end) goes to luxon.
 */
function instantMs(instant: string): number {
  const m = PLAIN_RFC3339.exec(instant);
  if (m !== null) {
    // Absent offset fields (`Z`) read as 0.
    const field = (i: number) => Number(m[i] ?? 0);
    const month = field(2);
    const inRange =
      month >= 1 &&
      month <= 12 &&
      field(3) >= 1 &&
      field(3) <= daysInMonth(field(1), month) &&
      field(4) <= 23 &&
      field(5) <= 59 &&
      field(6) <= 59 &&
      field(7) <= 23 &&
      field(8) <= 59;
    const ms = inRange ? Date.parse(instant) : Number.NaN;
    if (Number.isFinite(ms)) return ms;
  }
  const target = DateTime.fromISO(instant, { setZone: true });
  if (!target.isValid) throw new RangeError(`not an RFC 3339 instant: ${JSON.stringify(instant)}`);
  return target.toMillis();
}

/** Days of a month (1-12) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
