/**
 * Naive references for pinning the suites' percentile-bootstrap intervals: the project's seeded
 * index stream (`bootstrapResamples`, pinned by its own tests) feeds a statistic written out
 * plainly in the test, and the interval is NumPy's default (linear) percentile of the resampled
 * values. Nothing here calls the code under test.
 */
import { bootstrapResamples } from '../../src/core/metrics/index.ts';

/** 1 - scipy.spatial.distance.jensenshannon(p, q) with the natural log (inputs normalised). */
export function referenceSimilarity(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    if (a > 0) kl += a * Math.log(a / m);
    if (b > 0) kl += b * Math.log(b / m);
  }
  return 1 - Math.sqrt(Math.max(0, kl / 2));
}

/** numpy.percentile(values, q) with the default linear method; q in [0, 100]. */
export function numpyPercentile(values: readonly number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  const h = ((v.length - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo]! + (v[hi]! - v[lo]!) * (h - lo);
}

/** The 95% percentile-bootstrap interval (percentiles 2.5 and 97.5) of `statistic`; NaN resamples left out. */
export function reference95(n: number, resamples: number, seed: string, statistic: (indices: Int32Array) => number): { low: number; high: number } {
  const values: number[] = [];
  for (const indices of bootstrapResamples(n, resamples, seed)) {
    const t = statistic(indices);
    if (!Number.isNaN(t)) values.push(t);
  }
  return { low: numpyPercentile(values, 2.5), high: numpyPercentile(values, 97.5) };
}

/** The element-wise sum of rows[i] over the (repeated) indices. */
export function sumAt(rows: readonly (readonly number[])[], indices: ArrayLike<number>): number[] {
  const out = new Array<number>(rows[0]!.length).fill(0);
  for (let j = 0; j < indices.length; j++) rows[indices[j]!]!.forEach((x, c) => (out[c]! += x));
  return out;
}

/** The mean of values[i] over the (repeated) indices. */
export function meanAt(values: readonly number[], indices: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < indices.length; j++) s += values[indices[j]!]!;
  return s / indices.length;
}
