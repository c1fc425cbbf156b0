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
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  if (!parsed.isValid) return undefined;
  return Math.floor(parsed.toMillis() / 1000);
}

/**
 * Like {@link parseInstant} but throws a {@link SmartChargingInputError} naming `field`.
 *
 * @example
 * requireInstant(input.startTime, 'startTime');
 */
export function requireInstant(value: string, field: string): number {
  const seconds = parseInstant(value);
  if (seconds === undefined) throw new SmartChargingInputError(field, `"${value}" is not an RFC 3339 date-time`);
  return seconds;
}

/**
 * Formats epoch seconds as an RFC 3339 UTC date-time without fraction.
 *
 * @example
 * formatInstant(1704067200); // '2024-01-01T00:00:00Z'
 */
export function formatInstant(seconds: number): string {
  return DateTime.fromSeconds(seconds, { zone: 'utc' }).toISO({ suppressMilliseconds: true }) ?? '';
}

/**
 * Checks an IANA zone name (default `UTC`) and returns it, or throws naming `field`.
 *
 * @example
 * requireTimeZone('Europe/Amsterdam', 'station.timeZone'); // 'Europe/Amsterdam'
 */
export function requireTimeZone(zone: string | undefined, field: string): string {
  const name = zone ?? 'UTC';
  if (!IANAZone.isValidZone(name)) throw new SmartChargingInputError(field, `"${name}" is not an IANA time zone`);
  return name;
}
