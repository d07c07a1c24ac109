/**
 * Jensen-Shannon distance: the FAIR-SP similarity score is 1 - this distance.
 *
 * Reproduces `scipy.spatial.distance.jensenshannon(p, q, base)` step for step (SciPy 1.17):
 *   p <- p / sum(p),  q <- q / sum(q),  m = (p + q) / 2
 *   JSD = sum_i rel_entr(p_i, m_i) + sum_i rel_entr(q_i, m_i)      (then / ln(base) if a base is given)
 *   distance = sqrt(JSD / 2)
 * with rel_entr(x, y) = x * ln(x / y) for x > 0, and 0 for x = 0 (the 0 * log 0 = 0 convention;
 * m_i > 0 wherever p_i > 0 or q_i > 0, so no other case arises).
 */
import { assertSameLength } from './checks.ts';
import { normalizeAs } from './distribution.ts';

/** SciPy's `rel_entr(x, y)` for x >= 0, y > 0 (or x = 0): x * ln(x / y), with 0 at x = 0. */
function relEntr(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}

/**
 * Jensen-Shannon distance between two distributions over the same options, with exactly SciPy's
 * `jensenshannon` semantics:
 *
 *   distance = sqrt( (KL(p || m) + KL(q || m)) / (2 * ln(base)) ),   m = (p + q) / 2,
 *
 * after normalising p and q to sum to 1 (so raw counts may be passed). KL uses the natural log and
 * 0 * log 0 = 0. The default base is e (SciPy's default, no division; range [0, sqrt(ln 2)] =
 * [0, 0.8326]), which is the official FAIR-SP score; base 2 gives the range [0, 1].
 *
 * Differences from SciPy, all on inputs SciPy does not handle: a negative, NaN or infinite entry,
 * an empty or all-zero vector, or a length mismatch throws a `RangeError` (SciPy returns inf/NaN or
 * broadcasts); a base that is not finite, not > 0 or equal to 1 throws; and a divergence that
 * rounding makes slightly negative (~ -1e-17 for nearly equal inputs) is taken as 0 instead of
 * giving NaN from the square root.
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[], base: number = Math.E): number {
  const where = 'jensenShannonDistance';
  assertSameLength(where, 'p', p, 'q', q);
  if (!Number.isFinite(base) || base <= 0 || base === 1) {
    throw new RangeError(`${where}: base must be a finite number > 0 other than 1, got ${base}`);
  }
  const pn = normalizeAs(where, 'p', p);
  const qn = normalizeAs(where, 'q', q);
  let left = 0;
  let right = 0;
  for (let i = 0; i < pn.length; i++) {
    const pi = pn[i]!;
    const qi = qn[i]!;
    const mi = (pi + qi) / 2;
    left += relEntr(pi, mi);
    right += relEntr(qi, mi);
  }
  let js = left + right;
  // SciPy divides only when a base is given; ln(e) is exactly 1 in IEEE arithmetic, so the
  // natural-log default needs no special case.
  js /= Math.log(base);
  return Math.sqrt(Math.max(js, 0) / 2);
}

/**
 * Similarity = 1 - jensenShannonDistance(p, q, base). With the default natural log its range is
 * [1 - sqrt(ln 2), 1] = [0.1674, 1]: the FAIR-SP tables report this number. Same inputs, rules and
 * errors as `jensenShannonDistance`.
 */
export function jsSimilarity(p: readonly number[], q: readonly number[], base: number = Math.E): number {
  return 1 - jensenShannonDistance(p, q, base);
}

/**
 * Math.log, with the ratio 2 (where one side is 0, p / ((p + 0) / 2) is exactly 2) answered
 * without the call: Math.log(2) is Math.LN2, so the results are the same bits. One-option
 * answers (a segment's answer to one question) make most ratios 2.
 */
const logOf = (x: number) => (x === 2 ? Math.LN2 : Math.log(x));

/**
 * The natural-log similarity 1 - jensenShannonDistance(p, q) for the hot loops of scoring (tens of
 * thousands of items, thousands of bootstrap resamples): the same arithmetic, in the same order,
 * with no validation and no allocation. The caller guarantees finite, non-negative entries, equal
 * lengths and positive sums (counts are fine: they are normalised here, as SciPy does). Returns
 * NaN when a sum is 0. Equal to `jsSimilarity(p, q)` bit for bit on valid input (tested).
 *
 * The distributions may sit inside larger flat arrays: p is p[pAt .. pAt + k), q is
 * q[qAt .. qAt + k) (default: the whole arrays), so scoring loops need not copy rows out.
 */
export function jsSimilarityFast(p: ArrayLike<number>, q: ArrayLike<number>, pAt = 0, qAt = 0, k = p.length - pAt): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < k; i++) {
    sp += p[pAt + i]!;
    sq += q[qAt + i]!;
  }
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let left = 0;
  let right = 0;
  for (let i = 0; i < k; i++) {
    const pi = p[pAt + i]! / sp;
    const qi = q[qAt + i]! / sq;
    const mi = (pi + qi) / 2;
    if (pi !== 0) left += pi * logOf(pi / mi);
    if (qi !== 0) right += qi * logOf(qi / mi);
  }
  return 1 - Math.sqrt(Math.max(left + right, 0) / 2);
}
