/**
 * Fairness spread of a per-subgroup score across subgroups (SPEC section 2): how unequally a model
 * serves the subgroups. Report both measures, for accuracy and for NMAE.
 *
 * Scores must be non-negative (accuracy, NMAE, similarity all are): both measures are ratios to a
 * level and mean nothing on a scale that crosses 0. When every score is 0 the maximum and the mean
 * are 0 and both measures are 0/0: they return NaN ("undefined", shown as n/a), never a number
 * that would read as "perfectly even". Callers display NaN as n/a; a bootstrap of such a statistic
 * fails loudly (see `bootstrapInterval`).
 */
import { assertFiniteNonNegative, assertNonEmpty } from './checks.ts';

/**
 * Normalised range = (max - min) / max, in [0, 1]; NaN when every score is 0.
 * Throws when `scores` is empty or has a negative, NaN or infinite entry.
 */
export function normalizedRange(scores: readonly number[]): number {
  const where = 'normalizedRange';
  assertNonEmpty(where, 'scores', scores);
  assertFiniteNonNegative(where, 'scores', scores);
  let max = -Infinity;
  let min = Infinity;
  for (const x of scores) {
    if (x > max) max = x;
    if (x < min) min = x;
  }
  if (max === 0) return NaN;
  return (max - min) / max;
}

/**
 * Coefficient of variation = sigma / mu with the POPULATION standard deviation
 * sigma = sqrt((1/n) sum_i (x_i - mu)^2), mu = (1/n) sum_i x_i (NumPy's `np.std(x) / np.mean(x)`,
 * ddof = 0); NaN when every score is 0. Equal scores (and a single score) give exactly 0: the
 * floating-point mean of equal values can miss them in the last bit, which NumPy reports as ~1e-16.
 * Throws when `scores` is empty or has a negative, NaN or infinite entry.
 */
export function coefficientOfVariation(scores: readonly number[]): number {
  const where = 'coefficientOfVariation';
  assertNonEmpty(where, 'scores', scores);
  assertFiniteNonNegative(where, 'scores', scores);
  const n = scores.length;
  if (scores.every((x) => x === scores[0]) && scores[0] !== 0) return 0;
  let sum = 0;
  for (const x of scores) sum += x;
  const mean = sum / n;
  if (mean === 0) return NaN;
  let squares = 0;
  for (const x of scores) squares += (x - mean) ** 2;
  return Math.sqrt(squares / n) / mean;
}
