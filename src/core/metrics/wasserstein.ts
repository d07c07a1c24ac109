/**
 * 1-D Wasserstein (earth mover's) distance between two distributions over the same ordered
 * categories 0..K-1, one unit apart: DVMap's WD.
 */
import { assertInteger, assertNonEmpty, assertSameLength } from './checks.ts';
import { countAnswersAs, normalizeAs } from './distribution.ts';

/**
 * WD(p, q) = sum_{k=0}^{K-2} |CDF_p(k) - CDF_q(k)|, with CDF_p(k) = p_0 + ... + p_k, after
 * normalising p and q to sum to 1 (so histograms of counts may be passed). The last category is
 * left out of the sum because both CDFs equal 1 there; the result is then exactly
 * `scipy.stats.wasserstein_distance(range(K), range(K), p, q)` up to rounding. Range [0, K - 1];
 * 0 for K = 1.
 *
 * Throws on a length mismatch or any input `normalize` rejects (empty, negative, NaN, all zero).
 */
export function wassersteinDistance(p: readonly number[], q: readonly number[]): number {
  return wassersteinAs('wassersteinDistance', p, q);
}

function wassersteinAs(where: string, p: readonly number[], q: readonly number[]): number {
  assertSameLength(where, 'p', p, 'q', q);
  return cdfDistance(normalizeAs(where, 'p', p), normalizeAs(where, 'q', q));
}

/**
 * sum_{k=0}^{K-2} |CDF_p(k) - CDF_q(k)| for two already validated, normalised, equally long
 * distributions. For the metrics modules; not part of the public API.
 */
export function cdfDistance(pn: readonly number[], qn: readonly number[]): number {
  let cdfP = 0;
  let cdfQ = 0;
  let sum = 0;
  for (let k = 0; k < pn.length - 1; k++) {
    cdfP += pn[k]!;
    cdfQ += qn[k]!;
    sum += Math.abs(cdfP - cdfQ);
  }
  return sum;
}

/**
 * WD(p, q) / (K - 1), in [0, 1], so scales of 3, 4 and 5 points compare.
 * Throws when K < 2 (no ordinal distance exists on one category) and as `wassersteinDistance`.
 */
export function normalizedWassersteinDistance(p: readonly number[], q: readonly number[]): number {
  const where = 'normalizedWassersteinDistance';
  if (p.length < 2) throw new RangeError(`${where}: needs at least 2 categories, got ${p.length}`);
  return wassersteinAs(where, p, q) / (p.length - 1);
}

/** Both forms of the Wasserstein distance between two answer histograms. */
export interface WassersteinResult {
  /** sum_k |CDF_pred(k) - CDF_actual(k)|, in [0, K - 1]. */
  distance: number;
  /** distance / (K - 1), in [0, 1]. */
  normalized: number;
}

/**
 * DVMap's WD for one question: the histogram of the predicted answer codes against the histogram
 * of the true answer codes (both 0..k-1, each histogram normalised by its own count; the two lists
 * may differ in length), compared with `wassersteinDistance`; also divided by (k - 1).
 *
 * Throws when k < 2, either list is empty, or an answer is not an integer in 0..k-1.
 */
export function wassersteinFromAnswers(predicted: readonly number[], actual: readonly number[], k: number): WassersteinResult {
  const where = 'wassersteinFromAnswers';
  assertInteger(where, 'k', k, 2);
  assertNonEmpty(where, 'predicted', predicted);
  assertNonEmpty(where, 'actual', actual);
  const p = countAnswersAs(where, 'predicted', predicted, k);
  const q = countAnswersAs(where, 'actual', actual, k);
  const distance = wassersteinAs(where, p, q);
  return { distance, normalized: distance / (k - 1) };
}
