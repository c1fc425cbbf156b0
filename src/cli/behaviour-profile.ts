/**
 * The behaviour profile of `--behaviour` (docs/cli.md "Behaviour"): how often an EV arrives at each
 * station, whether its driver presents the idToken before or after plugging in, how long it draws
 * energy and at what power, and how the session ends. Parsing only; src/cli/behaviour-runner.ts
 * turns a profile into console commands on the station clock.
 *
 * Grammar: comma-separated `key=value` pairs, every key optional, each at most once:
 *   plug=6/h  auth-first=0.2  auth-delay=5s..30s  charge=30m..2h  power=3.7kW..11kW
 *   stop=ev:5/token:3/unplug:2  leave=1m..10m
 */

/** A closed range of numbers (durations in ms, powers in W); min === max for one value. */
export interface NumberRange {
  min: number;
  max: number;
}

/**
 * How a session ends: `ev` the EV is full (it suspends; the driver unplugs later: EVDisconnected),
 * `token` the driver presents the idToken again (a local stop: stoppedReason Local), `unplug` the
 * driver pulls the cable from the EV while it charges (EVDisconnected).
 */
export type StopMode = 'ev' | 'token' | 'unplug';

export const STOP_MODES: readonly StopMode[] = ['ev', 'token', 'unplug'];

export interface BehaviourProfile {
  /** EV arrivals per station per hour (a Poisson process). */
  arrivalsPerHour: number;
  /** Probability (0..1) that the driver presents the idToken before plugging in. */
  authFirst: number;
  /** Time between plugging in and presenting the idToken (either order), ms. */
  authDelayMs: NumberRange;
  /** How long the EV draws energy once both happened, ms. */
  chargeMs: NumberRange;
  /** The EV's charging power, W; undefined: the station's default (11 kW capped by EVSE.Power:MaxSet). */
  powerW: NumberRange | undefined;
  /** How sessions end, with relative weights. */
  stop: Array<{ value: StopMode; weight: number }>;
  /** How long the driver takes to leave once charging has ended (to unplug), ms. */
  leaveMs: NumberRange;
}

/** Values for keys a profile leaves out. */
export const DEFAULT_PROFILE: Readonly<BehaviourProfile> = {
  arrivalsPerHour: 1,
  authFirst: 0.2,
  authDelayMs: { min: 5_000, max: 30_000 },
  chargeMs: { min: 30 * 60_000, max: 2 * 3_600_000 },
  powerW: undefined,
  stop: [
    { value: 'ev', weight: 5 },
    { value: 'token', weight: 3 },
    { value: 'unplug', weight: 2 },
  ],
  leaveMs: { min: 60_000, max: 10 * 60_000 },
};

/**
 * A profile string that cannot be used; the message names the key and what was expected.
 *
 * @example
 * try { parseBehaviourProfile('plug=often'); } catch (e) { if (e instanceof BehaviourProfileError) console.error(e.message); }
 * // plug="often": expected a rate such as 6/h, 0.5/min or 2/s
 */
export class BehaviourProfileError extends Error {
  override readonly name = 'BehaviourProfileError';
  /** Catalogue code (docs/errors.md): a bad command line. */
  readonly code = 'ERR_CLI_USAGE';
}

const KEYS = ['plug', 'auth-first', 'auth-delay', 'charge', 'power', 'stop', 'leave'] as const;
type Key = (typeof KEYS)[number];

/**
 * Parses a profile string; keys left out take {@link DEFAULT_PROFILE}'s values.
 *
 * @example
 * parseBehaviourProfile('plug=6/h,charge=30m..2h,power=7.4kW,stop=ev:3/token:1');
 * // { arrivalsPerHour: 6, chargeMs: { min: 1800000, max: 7200000 }, powerW: { min: 7400, max: 7400 }, ... }
 */
export function parseBehaviourProfile(text: string): BehaviourProfile {
  const profile: BehaviourProfile = { ...DEFAULT_PROFILE, stop: [...DEFAULT_PROFILE.stop] };
  const seen = new Set<Key>();
  const parts = text.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) throw new BehaviourProfileError('the profile is empty');
  for (const part of parts) {
    if (part === '') throw new BehaviourProfileError(`empty item in ${JSON.stringify(text)} (two commas?)`);
    const eq = part.indexOf('=');
    if (eq < 0) throw new BehaviourProfileError(`${JSON.stringify(part)}: expected key=value`);
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (!isKey(key)) {
      throw new BehaviourProfileError(`unknown key ${JSON.stringify(key)} (one of ${KEYS.join(', ')})`);
    }
    if (seen.has(key)) throw new BehaviourProfileError(`${key} is given twice`);
    seen.add(key);
    const bad = (expected: string) =>
      new BehaviourProfileError(`${key}=${JSON.stringify(value)}: expected ${expected}`);
    switch (key) {
      case 'plug': {
        const rate = parseRatePerHour(value);
        if (rate === undefined) throw bad('a rate greater than 0 such as 6/h, 0.5/min or 2/s');
        profile.arrivalsPerHour = rate;
        break;
      }
      case 'auth-first': {
        const p = parseProbability(value);
        if (p === undefined) throw bad('a probability from 0 to 1 (or 0% to 100%)');
        profile.authFirst = p;
        break;
      }
      case 'auth-delay':
      case 'charge':
      case 'leave': {
        const range = parseRange(value, parseDurationMs);
        if (range === undefined) throw bad('a duration or min..max such as 30m..2h, 45s, 1h30m');
        if (key === 'charge' && range.min <= 0) throw bad('a charging time greater than 0');
        if (key === 'auth-delay') profile.authDelayMs = range;
        else if (key === 'charge') profile.chargeMs = range;
        else profile.leaveMs = range;
        break;
      }
      case 'power': {
        const range = parseRange(value, parsePowerW);
        if (range === undefined || range.min <= 0) {
          throw bad('a power greater than 0 or min..max such as 7.4kW, 11000W, 3.7kW..22kW');
        }
        profile.powerW = range;
        break;
      }
      case 'stop':
        profile.stop = parseStop(value, bad);
        break;
    }
  }
  return profile;
}

/**
 * A duration: one or more `<number><unit>` (ms, s, m or min, h, d), e.g. `90s`, `1h30m`, `0.5h`.
 * Undefined when the text is not one.
 *
 * @example
 * parseDurationMs('1h30m'); // 5400000
 * parseDurationMs('10');    // undefined (a unit is required)
 */
export function parseDurationMs(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?(ms|min|s|m|h|d))+$/.test(value)) return undefined;
  let total = 0;
  for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ms|min|s|m|h|d)/g)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function parseRatePerHour(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*\/\s*(s|m|min|h|d)$/i.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  const perHour = (count * 3_600_000) / UNIT_MS[(match[2] as string).toLowerCase() as keyof typeof UNIT_MS];
  return perHour > 0 && Number.isFinite(perHour) ? perHour : undefined;
}

function parseProbability(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text);
  if (!match) return undefined;
  const p = Number(match[1]) / (match[2] === '%' ? 100 : 1);
  return p >= 0 && p <= 1 ? p : undefined;
}

function parsePowerW(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(w|kw)?$/i.exec(text.trim());
  if (!match) return undefined;
  const watts = Number(match[1]) * ((match[2] ?? 'w').toLowerCase() === 'kw' ? 1000 : 1);
  return Number.isFinite(watts) ? Math.round(watts) : undefined;
}

function parseRange(text: string, one: (t: string) => number | undefined): NumberRange | undefined {
  const [low, high, ...rest] = text.split('..');
  if (low === undefined || rest.length > 0) return undefined;
  const min = one(low);
  const max = high === undefined ? min : one(high);
  if (min === undefined || max === undefined || max < min) return undefined;
  return { min, max };
}

function parseStop(
  value: string,
  bad: (expected: string) => BehaviourProfileError,
): Array<{ value: StopMode; weight: number }> {
  const expected = `${STOP_MODES.join(', ')} or weighted choices such as ev:5/token:3/unplug:2`;
  const seen = new Set<StopMode>();
  const choices = value.split('/').map((item) => {
    const [name = '', weightText, ...rest] = item.trim().toLowerCase().split(':');
    const mode = STOP_MODES.find((m) => m === name);
    const weight = weightText === undefined ? 1 : Number(weightText);
    if (
      mode === undefined ||
      rest.length > 0 ||
      weightText === '' ||
      !(weight >= 0) ||
      !Number.isFinite(weight)
    )
      throw bad(expected);
    if (seen.has(mode)) throw bad(`${mode} at most once (${expected})`);
    seen.add(mode);
    return { value: mode, weight };
  });
  if (!choices.some((c) => c.weight > 0)) throw bad(`at least one weight greater than 0 (${expected})`);
  return choices;
}

function isKey(key: string): key is Key {
  return (KEYS as readonly string[]).includes(key);
}
