/**
 * RFC 3339 instants for the meter-values module: parsed to epoch milliseconds and formatted back
 * as UTC. The module never reads a clock; every time it works with is one of these strings.
 */
import { DateTime } from 'luxon';

// RFC 3339 section 5.6 date-time: the offset is required (an OCPP time without one is ambiguous).
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
/** ±100,000,000 days around 1970: the range of an ECMAScript Date. */
const MAX_MS = 8.64e15;

const last: { value: string | undefined; ms: number } = { value: undefined, ms: 0 };

/** Epoch ms of a UTC calendar time, or NaN when a field is out of range (2025-02-30, 24:00). */
function utcMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A day past the month's end rolls over into the next month: out of range.
  if (date.getUTCDate() !== day) return NaN;
  return date.setUTCHours(hour, minute, second, 0);
}

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
  // Parsed by hand, not with luxon: the first luxon DateTime initializes ICU (Intl), which costs
  // a cold start more than everything else a boot does with time (docs/fleet/cold-start.md).
  const m = typeof value === 'string' ? RFC3339.exec(value) : null;
  const [year, month, day, hour, minute, second] = (m?.slice(1, 7) ?? []).map(Number);
  const local = m ? utcMillis(year!, month!, day!, hour!, minute!, second!) : NaN;
  if (Number.isNaN(local)) {
    throw new RangeError(`${field}: ${JSON.stringify(value)} is not an RFC 3339 date-time with offset`);
  }
  const fraction = Number(`${m![7] ?? ''}000`.slice(0, 3));
  const offsetMinutes =
    m![8] === undefined ? 0 : (m![8] === '-' ? -1 : 1) * (Number(m![9]) * 60 + Number(m![10]));
  last.value = value;
  last.ms = local + fraction - offsetMinutes * 60_000;
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
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS) {
    throw new RangeError(`formatInstant: ${ms} is outside the representable range`);
  }
  const date = new Date(ms);
  // toISOString is RFC 3339 UTC with milliseconds for the years 0000-9999 (no ICU, see parseInstant).
  if (date.getUTCFullYear() >= 0 && date.getUTCFullYear() <= 9999) return date.toISOString();
  const formatted = DateTime.fromMillis(ms, { zone: 'utc' }).toISO({ suppressMilliseconds: false });
  if (formatted === null) throw new RangeError(`formatInstant: ${ms} is outside the representable range`);
  return formatted;
}
