import type {
  ChargingProfileType,
  ChargingRateUnitEnumType,
  RecurrencyKindEnumType,
} from '../generated/ocpp-types.js';
import { instantToWallClock, parseInstant, wallClockToInstant, type WallClock } from './time.js';
import { SmartChargingInputError } from './types.js';

/** One schedule period of one profile, placed on the time line: active on [from, to) (epoch s). */
export interface ScheduleSegment {
  from: number;
  to: number;
  limit: number;
  unit: ChargingRateUnitEnumType;
  numberPhases?: number;
  phaseToUse?: number;
  minChargingRate?: number;
}

/** Where and when to place a profile's schedule. */
export interface PlacementOptions {
  /** Only the part of the time line in [windowStart, windowEnd) is produced (epoch s). */
  windowStart: number;
  windowEnd: number;
  /** Start of a Relative schedule (epoch s): the transaction start, or "now" without one (K08.FR.06). */
  relativeStart: number;
  /** IANA zone in which Recurring schedules recur. */
  timeZone: string;
}

/** One run of a schedule: [start, end) where end is where the next recurrence starts (or +Infinity). */
export interface Occurrence {
  start: number;
  end: number;
}

const APPROXIMATE_LENGTH: Record<RecurrencyKindEnumType, number> = { Daily: 86_400, Weekly: 604_800 };

/**
 * The recurrences of a Recurring schedule that overlap [from, to). Recurrence k starts k days (or
 * weeks) after startSchedule in wall-clock time of `timeZone`, so a day across a DST change lasts
 * 23 or 25 hours; in UTC a day is exactly 86400 s. A start time the clocks skip that day moves
 * forward by the gap, one they show twice is taken the first time ({@link wallClockToInstant}).
 * Nothing recurs before startSchedule (K01.FR.30).
 *
 * @example
 * recurrencesOverlapping(Date.parse('2024-01-01T08:00:00Z') / 1000, 'Daily', 'UTC', t0, t0 + 86400);
 */
export function recurrencesOverlapping(
  startSchedule: number,
  kind: RecurrencyKindEnumType,
  timeZone: string,
  from: number,
  to: number,
): Occurrence[] {
  const series = seriesOf(startSchedule, kind, timeZone);
  // A wall-clock day is 23..25 h, so the estimate is at most one recurrence late; step back one.
  let k = Math.max(0, Math.floor((from - startSchedule) / APPROXIMATE_LENGTH[kind]) - 1);
  while (startOf(series, k + 1) <= from) k += 1;
  const occurrences: Occurrence[] = [];
  for (let start = startOf(series, k); start < to; k += 1) {
    const end = startOf(series, k + 1);
    if (end > from) occurrences.push({ start, end });
    start = end;
  }
  return occurrences;
}

/** The recurrences of one schedule (startSchedule, kind, zone), remembered by index as computed. */
interface Series {
  startSchedule: number;
  kind: RecurrencyKindEnumType;
  timeZone: string;
  base: Readonly<WallClock>;
  starts: Map<number, number>;
}

/**
 * Series kept for the next composite schedule: every composite schedule of a station asks for the
 * same few recurrences again (issue 9: their calendar arithmetic was most of a placement). Pure
 * results, bounded: cleared when full, and a series keeps at most SERIES_STARTS recurrences.
 */
const SERIES = new Map<string, Map<number, Series>>(); // by zone and kind, then startSchedule
const SERIES_LIMIT = 1_000;
const SERIES_STARTS = 1_000;
let seriesCount = 0;

function seriesOf(startSchedule: number, kind: RecurrencyKindEnumType, timeZone: string): Series {
  // Keyed without formatting numbers into strings: this runs for every recurring profile of every
  // composite schedule.
  const zoneKind = kind === 'Daily' ? timeZone : `${timeZone}\u0001${kind}`;
  let byStart = SERIES.get(zoneKind);
  let series = byStart?.get(startSchedule);
  if (series !== undefined) return series;
  if (seriesCount >= SERIES_LIMIT) {
    SERIES.clear();
    seriesCount = 0;
    byStart = undefined;
  }
  if (byStart === undefined) {
    byStart = new Map();
    SERIES.set(zoneKind, byStart);
  }
  const base = instantToWallClock(startSchedule, timeZone);
  series = { startSchedule, kind, timeZone, base, starts: new Map() };
  byStart.set(startSchedule, series);
  seriesCount += 1;
  return series;
}

/** Start of recurrence k (0 = startSchedule), k days or weeks later in wall-clock time. */
function startOf(series: Series, k: number): number {
  if (k === 0) return series.startSchedule;
  const known = series.starts.get(k);
  if (known !== undefined) return known;
  const { base, kind } = series;
  // Calendar arithmetic on the date alone (Date.UTC normalizes day overflow into months and
  // years); luxon's plus() was most of a composite schedule's cost (issue 9).
  const date = new Date(Date.UTC(base.year, base.month - 1, base.day + (kind === 'Daily' ? k : 7 * k)));
  const wall = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: base.hour,
    minute: base.minute,
    second: base.second,
  };
  const start = wallClockToInstant(wall, series.timeZone);
  if (series.starts.size < SERIES_STARTS) series.starts.set(k, start);
  return start;
}

/** `value` in epoch s; `field` (of profile `id`) names it in the error. */
function instantOf(value: string | undefined, id: number, field: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseInstant(value);
  if (seconds === undefined)
    throw new SmartChargingInputError(`profile ${id}.${field}`, `"${value}" is not an RFC 3339 date-time`);
  return seconds;
}

/**
 * Places the first chargingSchedule of an installed profile on the time line and returns the
 * segments inside the window and inside the profile's validity, in time order, not overlapping.
 *
 * - Absolute: the schedule starts at startSchedule; Relative: at `relativeStart`; Recurring: at
 *   every recurrence (see {@link recurrencesOverlapping}), each run ending where the next starts.
 * - A period lasts until the next period starts or the schedule's duration ends (K01.FR.12); a
 *   period starting at or after the duration never runs (K01.FR.11).
 * - The profile counts only while validFrom <= t < validTo (K01.FR.36/37); absent bounds are open.
 * - Only the first chargingSchedule is used: more than one exists only for ISO 15118 TxProfiles,
 *   where the EV selects among them (K15); the first is the CSMS's preferred one.
 *
 * Throws {@link SmartChargingInputError} when a stored date-time is unreadable.
 *
 * @example
 * const segments = placeChargingProfile(profile, { windowStart, windowEnd, relativeStart: windowStart, timeZone: 'UTC' });
 */
export function placeChargingProfile(
  profile: ChargingProfileType,
  options: PlacementOptions,
): ScheduleSegment[] {
  const schedule = profile.chargingSchedule[0];
  const validFrom = instantOf(profile.validFrom, profile.id, 'validFrom') ?? -Infinity;
  const validTo = instantOf(profile.validTo, profile.id, 'validTo') ?? Infinity;
  const from = Math.max(options.windowStart, validFrom);
  const to = Math.min(options.windowEnd, validTo);
  if (from >= to) return [];
  const startSchedule = instantOf(schedule.startSchedule, profile.id, 'chargingSchedule[0].startSchedule');
  const duration = schedule.duration ?? Infinity;

  let runs: Occurrence[];
  if (profile.chargingProfileKind === 'Relative') {
    runs = [{ start: options.relativeStart, end: Infinity }];
  } else if (startSchedule === undefined) {
    throw new SmartChargingInputError(
      `profile ${profile.id}.chargingSchedule[0].startSchedule`,
      'missing for an Absolute or Recurring profile',
    );
  } else if (profile.chargingProfileKind === 'Absolute') {
    runs = [{ start: startSchedule, end: Infinity }];
  } else {
    if (profile.recurrencyKind === undefined) {
      throw new SmartChargingInputError(
        `profile ${profile.id}.recurrencyKind`,
        'missing for a Recurring profile',
      );
    }
    runs = recurrencesOverlapping(startSchedule, profile.recurrencyKind, options.timeZone, from, to);
  }

  const periods = schedule.chargingSchedulePeriod;
  const segments: ScheduleSegment[] = [];
  for (const run of runs) {
    // K01.FR.13: a recurring schedule shorter than its recurrence falls back to other limits after duration.
    const runEnd = Math.min(run.end, run.start + duration);
    for (let i = 0; i < periods.length; i += 1) {
      const period = periods[i];
      if (period === undefined) continue;
      const next = periods[i + 1];
      const segmentFrom = Math.max(run.start + period.startPeriod, from);
      const segmentTo = Math.min(
        next === undefined ? runEnd : Math.min(run.start + next.startPeriod, runEnd),
        to,
      );
      if (segmentFrom >= segmentTo) continue;
      const segment: ScheduleSegment = {
        from: segmentFrom,
        to: segmentTo,
        limit: period.limit,
        unit: schedule.chargingRateUnit,
      };
      if (period.numberPhases !== undefined) segment.numberPhases = period.numberPhases;
      if (period.phaseToUse !== undefined) segment.phaseToUse = period.phaseToUse;
      if (schedule.minChargingRate !== undefined) segment.minChargingRate = schedule.minChargingRate;
      segments.push(segment);
    }
  }
  return segments;
}
