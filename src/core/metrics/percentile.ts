/**
 * Sample quantiles with NumPy's default rule, so intervals match `np.percentile` bit for bit.
 */
import { assertFinite, assertNonEmpty } from './checks.ts';

/**
 * The q-quantile of an ascending-sorted sample by NumPy's default `method='linear'` (Hyndman & Fan
 * type 7, also R's default and d3-array's `quantileSorted`):
 *
 *   h = (n - 1) * q,  j = floor(h),  g = h - j,
 *   Q(q) = x[j] + g * (x[j+1] - x[j])            when g < 0.5,
 *   Q(q) = x[j+1] - (1 - g) * (x[j+1] - x[j])    when g >= 0.5,
 *
 * and x[n-1] when h >= n - 1. The two algebraically equal forms of the interpolation are NumPy's
 * `_lerp` (it interpolates from the nearer end); d3-array always uses the first form, so the two
 * can differ in the last bit when g >= 0.5. `np.percentile(x, p)` is this with q = p / 100.
 *
 * Throws when `sorted` is empty, has a non-finite entry or is not ascending, or q is outside [0, 1].
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const where = 'quantileSorted';
  assertNonEmpty(where, 'sorted', sorted);
  assertFinite(where, 'sorted', sorted);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]! < sorted[i - 1]!) throw new RangeError(`${where}: sorted[${i}] < sorted[${i - 1}]: the sample must be ascending`);
  }
  if (!(q >= 0 && q <= 1)) throw new RangeError(`${where}: q must be in [0, 1], got ${q}`);
  const n = sorted.length;
  const h = (n - 1) * q;
  if (h >= n - 1) return sorted[n - 1]!;
  const j = Math.floor(h);
  const g = h - j;
  const a = sorted[j]!;
  const b = sorted[j + 1]!;
  const diff = b - a;
  return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
}
