/**
 * Percentile bootstrap over items (SPEC section 4): confidence intervals for any statistic of a
 * set of n items, reproducible byte for byte in the browser, a Worker and the CLI.
 *
 * REPRODUCIBILITY CONTRACT. For a given (n, resamples, seed) the resampled index lists are fixed:
 * one generator `createRng(seed)` (src/core/random/prng.ts) is created per call, and resample
 * b = 0, 1, ..., resamples-1 draws its indices in order i = 0, 1, ..., n-1 as `rng.int(n)`.
 * Changing this order, the generator, or drawing anything else from it changes every published
 * interval; tests pin a small case. The estimate on all items draws nothing.
 */
import { createRng } from '../random/prng.ts';
import { assertInteger } from './checks.ts';
import { quantileSorted } from './percentile.ts';

/** Options of a bootstrap. */
export interface BootstrapOptions {
  /** Number of resamples B (default 1000). */
  resamples?: number;
  /** Seed of the PRNG (a number taken as uint32, or a string hashed with FNV-1a). */
  seed: number | string;
  /** Confidence level in (0, 1) (default 0.95, i.e. the 2.5th and 97.5th percentiles). */
  level?: number;
  /**
   * Leave out the resamples where the statistic is undefined (NaN, e.g. a similarity to a
   * segment when no question that segment answered was drawn) instead of throwing: the interval
   * is then conditional on the statistic being defined, and `resamples` says how many were used
   * (none: low and high are NaN). Default false.
   */
  skipUndefined?: boolean;
}

/** A percentile-bootstrap confidence interval. */
export interface BootstrapInterval {
  /** The statistic on all n items, in their order (indices 0..n-1). */
  estimate: number;
  /** Lower bound: the (1 - level)/2 quantile of the resampled statistics. */
  low: number;
  /** Upper bound: the (1 + level)/2 quantile of the resampled statistics. */
  high: number;
  /** Number of resamples used (fewer than asked when `skipUndefined` left some out). */
  resamples: number;
  /** The confidence level. */
  level: number;
}

/**
 * The resampled index lists of a bootstrap over n items: `resamples` arrays of n indices, each drawn
 * uniformly with replacement from 0..n-1 by the contract above. Each array is freshly allocated, so
 * a statistic may keep it.
 */
export function* bootstrapResamples(n: number, resamples: number, seed: number | string): Generator<Int32Array, void, undefined> {
  assertInteger('bootstrapResamples', 'n', n);
  assertInteger('bootstrapResamples', 'resamples', resamples);
  const rng = createRng(seed);
  for (let b = 0; b < resamples; b++) {
    const indices = new Int32Array(n);
    for (let i = 0; i < n; i++) indices[i] = rng.int(n);
    yield indices;
  }
}

/**
 * Percentile bootstrap interval of `statistic` over n items.
 *
 * estimate = statistic([0, 1, ..., n-1]); then for each of B resamples (see `bootstrapResamples`)
 * t_b = statistic(indices_b); with t sorted ascending,
 *   low = quantileSorted(t, (1 - level) / 2),  high = quantileSorted(t, (1 + level) / 2),
 * NumPy's default linear percentile, so for level 0.95 exactly `np.percentile(t, [2.5, 97.5])`
 * (the quantile levels are computed in percent, (100 - 100 * level) / 2, to hit 2.5 exactly).
 *
 * `statistic` receives the item indices (repeats allowed) and must return a finite number for every
 * resample: a NaN or infinite value throws, naming the resample, since an interval over undefined
 * values would be meaningless.
 *
 * Throws when n or resamples is not a positive integer or level is not in (0, 1).
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Int32Array) => number,
  options: BootstrapOptions,
): BootstrapInterval {
  return percentileInterval('bootstrapInterval', n, statistic, options);
}

/**
 * Paired bootstrap of the difference A - B between two statistics of the same n items (two models
 * on one item set, a model against two anchors): the SAME resampled indices feed both statistics,
 * so item difficulty cancels. estimate = statA(all) - statB(all); the interval is the percentile
 * interval of statA(indices_b) - statB(indices_b), with the rules and errors of
 * `bootstrapInterval`. An interval that excludes 0 means A and B differ at that level.
 */
export function pairedBootstrapDifference(
  n: number,
  statA: (indices: Int32Array) => number,
  statB: (indices: Int32Array) => number,
  options: BootstrapOptions,
): BootstrapInterval {
  return percentileInterval('pairedBootstrapDifference', n, (indices) => statA(indices) - statB(indices), options);
}

function percentileInterval(
  where: string,
  n: number,
  statistic: (indices: Int32Array) => number,
  options: BootstrapOptions,
): BootstrapInterval {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  assertInteger(where, 'n', n);
  assertInteger(where, 'resamples', resamples);
  if (!(level > 0 && level < 1)) throw new RangeError(`${where}: level must be in (0, 1), got ${level}`);

  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimate = statistic(all);

  const values = new Float64Array(resamples);
  let b = 0;
  let used = 0;
  for (const indices of bootstrapResamples(n, resamples, options.seed)) {
    const t = statistic(indices);
    if (Number.isNaN(t) && options.skipUndefined) {
      b++;
      continue;
    }
    if (!Number.isFinite(t)) throw new RangeError(`${where}: the statistic returned ${t} on resample ${b}; every resample needs a finite value`);
    values[used++] = t;
    b++;
  }
  const sorted = Array.from(values.subarray(0, used).sort()); // Float64Array sorts numerically
  const lowPercent = (100 - 100 * level) / 2;
  return {
    estimate,
    low: used > 0 ? quantileSorted(sorted, lowPercent / 100) : NaN,
    high: used > 0 ? quantileSorted(sorted, (100 - lowPercent) / 100) : NaN,
    resamples: used,
    level,
  };
}
