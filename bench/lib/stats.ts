// Summary statistics for benchmark samples. Pure: runs in the page, in workers and in
// node (unit tests). Percentiles use the nearest-rank method, so every reported
// percentile is a value that was actually observed.

/** Mean, median and 99th percentile of a non-empty sample set. */
export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly median: number;
  readonly p99: number;
}

/** Copies the samples, rejecting an empty set and any NaN or infinity. */
function checked(values: ArrayLike<number>): Float64Array {
  if (values.length === 0) throw new RangeError('no samples');
  const copy = Float64Array.from(values);
  const bad = copy.findIndex((v) => !Number.isFinite(v));
  if (bad !== -1) throw new RangeError(`sample ${bad} is not a finite number`);
  return copy;
}

const sorted = (values: ArrayLike<number>): Float64Array => checked(values).sort();

export function mean(values: ArrayLike<number>): number {
  return checked(values).reduce((sum, v) => sum + v, 0) / values.length;
}

/** Middle value; the mean of the two middle values when the count is even. */
export function median(values: ArrayLike<number>): number {
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Nearest-rank percentile: the smallest sample with at least `p` percent of samples at or below it. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  const s = sorted(values);
  return s[Math.ceil((p / 100) * s.length) - 1] ?? 0;
}

export function summarize(values: ArrayLike<number>): Summary {
  return { count: values.length, mean: mean(values), median: median(values), p99: percentile(values, 99) };
}
