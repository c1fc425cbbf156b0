/**
 * RFC 3339 instants for the meter-values module: parsed to epoch milliseconds and formatted back
 * as UTC. The module never reads a clock; every time it works with is one of these strings.
 */
import { DateTime } from 'luxon';

// RFC 3339 section 5.6 date-time: the offset is required (an OCPP time without one is ambiguous).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const last: { value: string | undefined; ms: number } = { value: undefined, ms: 0 };

/**
 * Parses an RFC 3339 date-time (offset required, fraction optional) to epoch milliseconds;
 * fractions finer than a millisecond are truncated. Throws a RangeError naming `field` otherwise.
 *
 * @example
 * parseInstant('2025-01-01T01:00:00+01:00', 'timestamp'); // 1735689600000
 * parseInstant('2025-01-01', 'timestamp'); // throws RangeError
 */
export function parseInstant(value: string, field: string): number {
  // The same reading's timestamp is parsed for every message that carries it (the transaction
  // path's hot spot in `npm run bench transactions`): the last result is kept.
  if (value === last.value) return last.ms;
  const parsed =
    typeof value === 'string' && RFC3339.test(value) ? DateTime.fromISO(value, { zone: 'utc' }) : null;
  if (parsed === null || !parsed.isValid) {
    throw new RangeError(`${field}: ${JSON.stringify(value)} is not an RFC 3339 date-time with offset`);
  }
  last.value = value;
  last.ms = parsed.toMillis();
  return last.ms;
}

/**
 * Formats epoch milliseconds as an RFC 3339 UTC date-time with milliseconds (the station's wire
 * format for times it computes; GEN: "exchange all time values as UTC").
 *
 * @example
 * formatInstant(1735689600000); // '2025-01-01T00:00:00.000Z'
 */
export function formatInstant(ms: number): string {
  const formatted = DateTime.fromMillis(ms, { zone: 'utc' }).toISO({ suppressMilliseconds: false });
  if (formatted === null) throw new RangeError(`formatInstant: ${ms} is outside the representable range`);
  return formatted;
}
