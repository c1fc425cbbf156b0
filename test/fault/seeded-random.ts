/**
 * A small seeded pseudo-random generator for fault tests (mulberry32): the same seed gives the same
 * plan, so a failure is replayed by running the test with the seed it printed (`FAULT_SEED=...`).
 */

export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/**
 * The seed from `FAULT_SEED` (a decimal integer) when set, else `fallback`.
 *
 * @example
 * const random = seededRandom(seedFromEnv(20261203));
 */
export function seedFromEnv(fallback: number): number {
  const text = process.env.FAULT_SEED;
  if (text === undefined || text === '') return fallback;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`FAULT_SEED ${JSON.stringify(text)}: not an integer`);
  return seed;
}

/**
 * @example
 * const random = seededRandom(42);
 * random.int(1, 6); // the same sequence for seed 42 on every run
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}
