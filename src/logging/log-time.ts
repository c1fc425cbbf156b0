/**
 * The `time` of a log line (N01: RFC 3339, UTC, milliseconds), formatted without a `Date` per line:
 * the text up to the second is kept for the current second, so a line costs the milliseconds only
 * (issue 9: `new Date(ms).toISOString()` per frame showed in the heartbeat profile).
 */

let cachedSecond = Number.NaN;
/** `YYYY-MM-DDTHH:MM:SS` of {@link cachedSecond}. */
let cachedPrefix = '';

const MILLIS = Array.from({ length: 1000 }, (_, ms) => `.${String(ms).padStart(3, '0')}Z`);

/**
 * `ms` (milliseconds since the epoch) as ISO 8601 UTC with milliseconds, the same text as
 * `new Date(ms).toISOString()`. Throws a RangeError for a time `Date` cannot hold.
 *
 * @example
 * isoUtc(Date.UTC(2026, 2, 29, 0, 30)); // '2026-03-29T00:30:00.000Z'
 */
export function isoUtc(ms: number): string {
  // Date keeps whole milliseconds, cut toward zero.
  const whole = Math.trunc(ms);
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    // Throws for NaN or beyond ±8.64e15 ms, as toISOString does.
    const iso = new Date(whole).toISOString();
    // Strip '.mmmZ' (years beyond 9999 or before 0 have a longer prefix: '+012000-01-01T...').
    cachedPrefix = iso.slice(0, -5);
    cachedSecond = second;
  }
  return cachedPrefix + MILLIS[whole - second * 1000]!;
}
