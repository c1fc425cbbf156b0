/**
 * The clock-aligned grid of AlignedDataCtrlr.Interval / TxEndedInterval: evenly spaced intervals
 * per day, starting at 00:00:00 (midnight).
 */
import { IANAZone } from 'luxon';
import { formatInstant, parseInstant } from './instant.js';

const DAY_MS = 86_400_000;
// A zone changes its offset a few times a year; a handful of changes within one search window
// only happens with broken zone data, so the loop gives up after this many.
const MAX_TRANSITIONS = 8;

/** Where the clock-aligned grid is anchored. */
export interface ClockAlignedOptions {
  /**
   * IANA time zone whose local midnight starts the grid (ClockCtrlr.TimeZone, e.g.
   * 'Europe/Amsterdam'). Absent: UTC midnight.
   */
  zone?: string;
}

/**
 * The next clock-aligned sampling instant strictly after `afterIso`, as RFC 3339 UTC with
 * milliseconds; null when `intervalS` <= 0 (J01.FR.14: "0" means no clock-aligned data).
 *
 * The grid (AlignedDataInterval, errata 2025-09 §2.65.1) is the set of evenly spaced intervals
 * per day starting at 00:00:00 (midnight): the times of day 00:00:00 + k × intervalS, for every
 * k ≥ 0 with k × intervalS < 24 h, restarting at every midnight. An interval that does not divide
 * the day leaves a shorter last interval; one of 24 h or more gives only midnight.
 *
 * Which midnight: UTC, unless `options.zone` is given. The spec does not name a zone for this
 * midnight; it says times are exchanged in UTC (Part 2 §3.1) and that ClockCtrlr.TimeZone and the
 * DST rules are "for display purposes" (§3.1.1.1, ClockCtrlr.TimeZone), so the station's own clock
 * is UTC and so is its midnight. For the usual intervals (900, 1800, 3600 s) this coincides with
 * local quarter hours in every zone with a whole-hour (or quarter-hour, for 900 s) offset, DST
 * included. A deployment that must align to local midnight (e.g. 7200 s in a +05:30 zone, or a
 * daily reading at local midnight) passes the zone.
 *
 * With a zone, the grid follows the local wall clock: an instant is on the grid when the clock
 * shows, or jumps over, a grid time of day.
 * - Spring forward (a skipped hour): every grid time inside the gap is taken once, at the jump
 *   (e.g. 7200 s in Europe/Amsterdam on 2024-03-31: 00:00, then 03:00 local, the instant 02:00
 *   would have been shown, then 04:00).
 * - Fall back (a repeated hour): the grid times in the repeated hour are taken both times the
 *   clock shows them, so a 900 s grid keeps one reading every 15 minutes through the night.
 * - A zone whose midnight is skipped (DST starting at 00:00) starts that day at the jump.
 *
 * Throws a RangeError for a time that is not RFC 3339, a non-integer or non-finite interval, or a
 * zone that is not IANA.
 *
 * @example
 * nextClockAlignedTime('2025-01-01T10:07:12Z', 900); // '2025-01-01T10:15:00.000Z'
 * nextClockAlignedTime('2025-01-01T10:15:00Z', 900); // '2025-01-01T10:30:00.000Z' (strictly after)
 * nextClockAlignedTime('2025-01-01T10:00:00Z', 0); // null
 * nextClockAlignedTime('2025-01-01T20:00:00Z', 86_400, { zone: 'Europe/Amsterdam' }); // '2025-01-01T23:00:00.000Z'
 */
export function nextClockAlignedTime(
  afterIso: string,
  intervalS: number,
  options: ClockAlignedOptions = {},
): string | null {
  if (!Number.isFinite(intervalS)) throw new RangeError(`intervalS: ${intervalS} is not a finite number`);
  const after = parseInstant(afterIso, 'afterIso');
  // J01.FR.14: clock-aligned data only when AlignedDataInterval > 0.
  if (intervalS <= 0) return null;
  if (!Number.isInteger(intervalS)) throw new RangeError(`intervalS: ${intervalS} is not whole seconds`);
  return formatInstant(nextCrossing(after, intervalS * 1000, zoneOffset(options.zone ?? 'UTC')));
}

/**
 * The UTC offset (ms) of an IANA zone at an instant. UTC's is 0 at every instant: answered without
 * luxon, whose zone check initializes ICU (the first Intl.DateTimeFormat, 25–50 ms of a cold start
 * before the BootNotification when ClockCtrlr.TimeZone is unset; issue 9).
 */
function zoneOffset(zoneName: string): (ms: number) => number {
  if (zoneName === 'UTC') return () => 0;
  if (!IANAZone.isValidZone(zoneName)) throw new RangeError(`zone: "${zoneName}" is not an IANA time zone`);
  const zone = IANAZone.create(zoneName);
  return (ms) => zone.offset(ms) * 60_000;
}

/**
 * Walks the wall clock forward from `start` (exclusive) to the first instant at which it shows or
 * jumps over a grid time. `offsetAt` gives the zone's UTC offset (ms) at an instant.
 */
function nextCrossing(start: number, intervalMs: number, offsetAt: (ms: number) => number): number {
  let instant = start;
  let offset = offsetAt(instant);
  let wall = instant + offset;
  let inclusive = false; // the starting instant itself is not "after" it
  for (let transitions = 0; transitions <= MAX_TRANSITIONS; transitions++) {
    const target = nextGridWallTime(wall, intervalMs, inclusive);
    const candidate = instant + (target - wall);
    if (offsetAt(candidate) === offset) return candidate;
    // The offset changes before the clock reaches `target`: find the change, then go on from there.
    const change = firstInstantWithOtherOffset(instant, candidate, offset, offsetAt);
    const newOffset = offsetAt(change);
    const newWall = change + newOffset;
    // Spring forward: the clock jumps from change + offset to newWall, over `target` (which is at
    // least change + offset, or the clock would have shown it before the change).
    if (newOffset > offset && target <= newWall) return change;
    // Fall back (or a jump that lands before `target`): the clock shows newWall at `change`.
    instant = change;
    offset = newOffset;
    wall = newWall;
    inclusive = true;
  }
  throw new RangeError('nextClockAlignedTime: too many offset changes in the time zone data');
}

/** The first grid time of day after (or, when inclusive, at or after) the wall time `wall`. */
function nextGridWallTime(wall: number, intervalMs: number, inclusive: boolean): number {
  const dayStart = Math.floor(wall / DAY_MS) * DAY_MS;
  const intoDay = wall - dayStart;
  const k = inclusive ? Math.ceil(intoDay / intervalMs) : Math.floor(intoDay / intervalMs) + 1;
  const offsetInDay = k * intervalMs;
  // AlignedDataInterval (errata 2025-09 §2.65.1): intervals per day, starting at 00:00:00, so the
  // grid restarts at every midnight: past the last grid time of the day comes the next 00:00.
  return offsetInDay < DAY_MS ? dayStart + offsetInDay : dayStart + DAY_MS;
}

/** Binary search (ms resolution) in (from, to] for the first instant whose offset differs. */
function firstInstantWithOtherOffset(
  from: number,
  to: number,
  offset: number,
  offsetAt: (ms: number) => number,
): number {
  let low = from; // offset here is `offset`
  let high = to; // offset here differs
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle) === offset) low = middle;
    else high = middle;
  }
  return high;
}
