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

/** The order variants run in during round `round`: rotated, so no variant always runs first or last. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

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

/** 0, 1, ..., n - 1 in a random order (Fisher-Yates), drawn from `random`. */
export function shuffledIndices(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** A small seeded PRNG: the same seed gives the same report. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
