/** Order statistics for timing samples: medians and spreads, because timings are skewed, never normal. */
export interface Summary {
  n: number;
  min: number;
  p10: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Quantile by linear interpolation between closest ranks (R's type 7, numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => quantile(sorted, q);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p10: at(0.1),
    p25: at(0.25),
    median: at(0.5),
    p75: at(0.75),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1),
  };
}

/**
 * The turns of one round of interleaved measurements: a new random order each round, drawn from `random` (a
 * seeded `turnOrder()`, so a rerun takes the same turns). Rotating (A B C, B C A, ...) puts one variant right
 * after the same other in most rounds, and what ran just before moves a cold start: after the C floor's start,
 * the next runtime measured up to 25 % slower in some runs (two entries of the same executable, 7.2 and 9.0 ms
 * rotated; 6.8 and 6.9 ms shuffled, 300 rounds each).
 */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as T, order[i] as T];
  }
  return order;
}

/** The seeded source of turn orders every interleaved measurement of the bench uses. */
export const turnOrder = (): (() => number) => mulberry32(0x0dd5);

export interface Difference {
  median: number;
  /** 95% bootstrap confidence interval of the median difference. */
  lo: number;
  hi: number;
}

/**
 * Median of the paired differences a[i] - b[i] (samples taken in the same round, so drift in the machine's
 * load cancels), with a percentile-bootstrap 95% interval; a fixed seed keeps reports reproducible.
 */
export function pairedDifference(a: readonly number[], b: readonly number[], iterations = 2000): Difference {
  const n = Math.min(a.length, b.length);
  const diffs = Array.from({ length: n }, (_, i) => (a[i] as number) - (b[i] as number));
  const median = (xs: number[]) =>
    quantile(
      [...xs].sort((x, y) => x - y),
      0.5,
    );
  const random = mulberry32(0x5eed);
  const medians: number[] = [];
  for (let k = 0; k < iterations; k++) {
    medians.push(median(Array.from({ length: n }, () => diffs[Math.floor(random() * n)] as number)));
  }
  medians.sort((x, y) => x - y);
  return { median: median(diffs), lo: quantile(medians, 0.025), hi: quantile(medians, 0.975) };
}

/** A small seeded PRNG: the same seed gives the same report. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
