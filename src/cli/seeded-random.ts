/**
 * A small seeded pseudo-random generator for the behaviour profile (`--seed`): the same seed and
 * station identity give the same sequence of arrivals, durations and choices, whatever order the
 * stations of a fleet start in. Not for anything secret: it is reproducible on purpose.
 *
 * The generator is a 32-bit Weyl sequence passed through the murmur3 finalizer (full period 2^32,
 * good enough spread for simulated arrival times); the station's stream is seeded with an FNV-1a
 * hash of the station identity mixed with the run's seed.
 */

/** Uniform numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * A reproducible random source for one station of a run.
 *
 * @example
 * const random = seededRandom(42, 'CP00001');
 * random(); // 0.63... (the same for seed 42 and CP00001 every time)
 */
export function seededRandom(seed: number, stream = ''): RandomSource {
  let state = (mix(seed >>> 0) ^ fnv1a(stream)) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    return mix(state) / 0x1_0000_0000;
  };
}

/**
 * A random time between arrivals of a Poisson process with `perHour` arrivals per hour, in ms.
 *
 * @example
 * exponentialMs(seededRandom(1), 6); // ~600 000 on average (every 10 minutes)
 */
export function exponentialMs(random: RandomSource, perHour: number): number {
  // 1 - u is in (0, 1], so the logarithm is finite.
  return (-Math.log(1 - random()) / perHour) * 3_600_000;
}

/**
 * A number uniformly drawn from [min, max] (min itself when the range is one value).
 *
 * @example
 * uniform(seededRandom(1), 1800_000, 7200_000); // a charge of 30 min to 2 h, in ms
 */
export function uniform(random: RandomSource, min: number, max: number): number {
  return max <= min ? min : min + (max - min) * random();
}

/**
 * One of the weighted choices (weights need not sum to 1).
 *
 * @example
 * pick(seededRandom(1), [{ value: 'ev', weight: 6 }, { value: 'token', weight: 4 }]); // 'ev' 60 % of the time
 */
export function pick<T>(random: RandomSource, choices: ReadonlyArray<{ value: T; weight: number }>): T {
  const total = choices.reduce((sum, c) => sum + c.weight, 0);
  let at = random() * total;
  for (const choice of choices) {
    at -= choice.weight;
    if (at < 0) return choice.value;
  }
  // Rounding at the top end: the last choice with any weight.
  const last = [...choices].reverse().find((c) => c.weight > 0) ?? choices[choices.length - 1];
  if (last === undefined) throw new RangeError('pick: no choices');
  return last.value;
}

function mix(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
