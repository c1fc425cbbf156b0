/**
 * The soak's trend figures: the least-squares slope of a memory figure over time, and the part of a
 * run it is taken over (the second half: the first is warm-up — boot, caches, JIT, SQLite pages).
 */

/** One memory sample of the soak process, after GC. */
export interface SoakSample {
  /** Seconds since the activity started. */
  t: number;
  /** Whole cycles done when sampled. */
  cycle: number;
  rss: number;
  heapUsed: number;
}

/**
 * Least-squares slope of `y` over `t` (units of y per second); 0 for fewer than two samples.
 *
 * @example
 * slope([{ t: 0, y: 10 }, { t: 1, y: 12 }, { t: 2, y: 14 }]); // 2
 */
export function slope(points: ReadonlyArray<{ t: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanT = points.reduce((s, p) => s + p.t, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - meanT) * (p.y - meanY);
    den += (p.t - meanT) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Trend of heap and RSS over the second half of the samples: slopes (bytes/s, and heap bytes per
 * cycle) and the growth they amount to over that half (bytes).
 *
 * @example
 * const { heapSlope, heapGrowth } = secondHalfTrend(samples);
 */
export function secondHalfTrend(samples: readonly SoakSample[]) {
  const half = samples.slice(Math.floor(samples.length / 2));
  const span = half.length > 1 ? (half.at(-1) as SoakSample).t - (half[0] as SoakSample).t : 0;
  const heapSlope = slope(half.map((s) => ({ t: s.t, y: s.heapUsed })));
  /** Bytes of heap per cycle (every EVSE one session): what a session leaves behind, if anything. */
  const heapPerCycle = slope(half.map((s) => ({ t: s.cycle, y: s.heapUsed })));
  const rssSlope = slope(half.map((s) => ({ t: s.t, y: s.rss })));
  const mean = (key: 'heapUsed' | 'rss') =>
    half.reduce((sum, s) => sum + s[key], 0) / Math.max(1, half.length);
  return {
    samples: half.length,
    spanSeconds: span,
    heapSlope,
    heapPerCycle,
    rssSlope,
    heapGrowth: heapSlope * span,
    rssGrowth: rssSlope * span,
    heapMean: mean('heapUsed'),
    rssMean: mean('rss'),
  };
}
