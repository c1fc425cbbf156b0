import { DateTime, IANAZone } from 'luxon';
import { SmartChargingInputError } from './types.js';

/**
 * Parses an OCPP date-time to whole epoch seconds (floored: composite schedules count in whole
 * seconds). A value without an offset is read as UTC, because OCPP times are UTC (the spec's own
 * examples omit the `Z`). Returns undefined when the text is not a date-time.
 *
 * @example
 * parseInstant('2024-01-01T00:00:01.900Z'); // 1704067201
 */
export function parseInstant(value: string): number | undefined {
  const known = PARSED.get(value);
  if (known !== undefined || PARSED.has(value)) return known;
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  const seconds = parsed.isValid ? Math.floor(parsed.toMillis() / 1000) : undefined;
  remember(PARSED, value, seconds);
  return seconds;
}

/**
 * Pure results kept for the next composite schedule: every period boundary of every station
 * recomputes one, from the same few schedule start times and recurrences (issue 9: luxon's parse
 * and its time-zone offsets were most of the work). Bounded: cleared when full.
 */
const CACHE_LIMIT = 10_000;
const PARSED = new Map<string, number | undefined>();
const INSTANTS = new Map<string, number>();
const WALL_CLOCKS = new Map<string, Readonly<WallClock>>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

/**
 * Like {@link parseInstant} but throws a {@link SmartChargingInputError} naming `field`.
 *
 * @example
 * requireInstant(input.startTime, 'startTime');
 */
export function requireInstant(value: string, field: string): number {
  const seconds = parseInstant(value);
  if (seconds === undefined)
    throw new SmartChargingInputError(field, `"${value}" is not an RFC 3339 date-time`);
  return seconds;
}

/**
 * Formats epoch seconds as an RFC 3339 UTC date-time without fraction.
 *
 * @example
 * formatInstant(1704067200); // '2024-01-01T00:00:00Z'
 */
export function formatInstant(seconds: number): string {
  const ms = seconds * 1000;
  // Date's own ISO form for the years it writes with four digits (luxon's, built per call, cost
  // ~3 µs of every composite schedule; issue 9); luxon for the rest, whose year form differs.
  if (Number.isInteger(ms) && ms >= 0 && ms < YEAR_10000_MS) {
    const text = new Date(ms).toISOString();
    return ms % 1000 === 0 ? `${text.slice(0, 19)}Z` : text;
  }
  return DateTime.fromSeconds(seconds, { zone: 'utc' }).toISO({ suppressMilliseconds: true }) ?? '';
}

/** 10000-01-01T00:00:00Z in epoch ms: from here Date writes six-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * Checks an IANA zone name (default `UTC`) and returns it, or throws naming `field`.
 *
 * @example
 * requireTimeZone('Europe/Amsterdam', 'station.timeZone'); // 'Europe/Amsterdam'
 */
export function requireTimeZone(zone: string | undefined, field: string): string {
  const name = zone ?? 'UTC';
  if (VALID_ZONES.has(name)) return name;
  if (!IANAZone.isValidZone(name))
    throw new SmartChargingInputError(field, `"${name}" is not an IANA time zone`);
  VALID_ZONES.add(name);
  return name;
}

/**
 * Zones already found valid: luxon's check builds an Intl.DateTimeFormat each time, and this runs
 * for every composite schedule of every station (issue 9). A zone's validity does not change
 * while the process runs.
 */
const VALID_ZONES = new Set<string>();

/** A wall-clock date and time (month 1..12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The instant (epoch s) at which the clocks of `zone` show `wall`. When they show it twice (the
 * hour repeated when DST ends) the first instant is taken; when never (the hour skipped when DST
 * starts) the wall time is read with the offset before the change, i.e. moved forward by the gap
 * (02:30 becomes 03:30). Luxon alone resolves the repeated hour by the offset it is given, which
 * would depend on how the time was reached.
 *
 * @example
 * wallClockToInstant({ year: 2024, month: 10, day: 27, hour: 2, minute: 30, second: 0 }, 'Europe/Amsterdam');
 * // 1729989000 = 2024-10-27T00:30:00Z (02:30 CEST, the first of the two)
 */
export function wallClockToInstant(wall: WallClock, zone: string): number {
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const key = `${zone}\u0001${wallMs}`;
  const known = INSTANTS.get(key);
  if (known !== undefined) return known;
  const instant = zonedInstant(wallMs, zone);
  remember(INSTANTS, key, instant);
  return instant;
}

/**
 * What the clocks of `zone` show at `seconds` (epoch s), the inverse of {@link wallClockToInstant}.
 * Cached: a recurring profile asks it for the same startSchedule at every composite schedule, and
 * luxon's offset lookup (an Intl format per call) was the largest cost left there (issue 9).
 *
 * @example
 * instantToWallClock(1729989000, 'Europe/Amsterdam'); // { year: 2024, month: 10, day: 27, hour: 2, minute: 30, second: 0 }
 */
export function instantToWallClock(seconds: number, zone: string): Readonly<WallClock> {
  const key = `${zone}\u0001${seconds}`;
  const known = WALL_CLOCKS.get(key);
  if (known !== undefined) return known;
  const at = DateTime.fromSeconds(seconds, { zone });
  const wall = Object.freeze({
    year: at.year,
    month: at.month,
    day: at.day,
    hour: at.hour,
    minute: at.minute,
    second: at.second,
  });
  remember(WALL_CLOCKS, key, wall);
  return wall;
}

function zonedInstant(wallMs: number, zone: string): number {
  const tz = IANAZone.create(zone);
  const day = 86_400_000;
  const offsetBefore = tz.offset(wallMs - day);
  const offsetAfter = tz.offset(wallMs + day);
  const candidates = [offsetBefore, offsetAfter]
    .map((offset) => wallMs - offset * 60_000)
    .filter((instant) => wallMs - tz.offset(instant) * 60_000 === instant);
  const instant = candidates.length > 0 ? Math.min(...candidates) : wallMs - offsetBefore * 60_000;
  return Math.floor(instant / 1000);
}
