/**
 * Station identities of a CLI fleet (`--count N`): `--id` is a pattern with one printf-style
 * decimal placeholder (`%d`, or `%05d` zero-padded to 5 digits) numbered from 1, e.g. `CP%05d` →
 * CP00001, CP00002, ...
 */

/** Part 4 §3.1.1: identifierString (Part 2 §2.1.3) without ':', at most 48 characters. */
export const IDENTITY = /^[A-Za-z0-9*\-_=+|@.]{1,48}$/;

/** The one placeholder of a pattern: `%d` or `%0<width>d`. */
const PLACEHOLDER = /%(0\d+)?d/g;

/** Default `--id` of a fleet (`--count` > 1 without `--id`). */
export const DEFAULT_FLEET_PATTERN = 'CP%05d';

/**
 * A bad `--id` pattern; the message names the pattern and what is wrong.
 *
 * @example
 * try { fleetIdentity('CP', 3, 1); } catch (e) { if (e instanceof FleetIdError) console.error(e.message); }
 */
export class FleetIdError extends Error {
  override readonly name = 'FleetIdError';
}

/**
 * The identity of station `n` (1-based) of a fleet of `count` from `pattern`. Throws a
 * {@link FleetIdError} when the pattern has no placeholder, more than one, another `%`, or yields an
 * identity that is not an OCPP-J identity (checked on the longest one, station `count`).
 *
 * @example
 * fleetIdentity('CP%05d', 1000, 7); // 'CP00007'
 * fleetIdentity('site-a-%d', 20, 12); // 'site-a-12'
 */
export function fleetIdentity(pattern: string, count: number, n: number): string {
  const placeholders = [...pattern.matchAll(PLACEHOLDER)];
  if (placeholders.length !== 1) {
    throw new FleetIdError(
      `--id ${JSON.stringify(pattern)}: with --count ${count} the identity is a pattern with exactly one number placeholder, %d or %0<width>d (e.g. CP%05d); found ${placeholders.length}`,
    );
  }
  if (pattern.replace(PLACEHOLDER, '').includes('%')) {
    throw new FleetIdError(
      `--id ${JSON.stringify(pattern)}: '%' is allowed only in the number placeholder (%d or %0<width>d)`,
    );
  }
  const format = (i: number) =>
    pattern.replace(PLACEHOLDER, (_all, width: string | undefined) =>
      width === undefined ? String(i) : String(i).padStart(Number(width), '0'),
    );
  // The last identity is the longest: if it fits, all do.
  const last = format(count);
  if (!IDENTITY.test(last)) {
    throw new FleetIdError(
      `--id ${JSON.stringify(pattern)}: station ${count} would be ${JSON.stringify(last)}, not an identity of 1-48 characters of a-z A-Z 0-9 * - _ = + | @ . (OCPP-J identifierString without ':')`,
    );
  }
  return format(n);
}
