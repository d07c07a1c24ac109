/**
 * Discrete probability distributions over the options of one question.
 *
 * Conventions used by every metrics module:
 * - a distribution is a plain `number[]` indexed by option (the source's option order);
 * - answers are 0-based option codes: for a K-option question, 0..K-1 (FAIR-SP's A = 0, B = 1,
 *   N/A = 2; a survey coded 1..K must be shifted by the caller);
 * - functions never mutate their inputs.
 */
import { assertAnswerCode, assertFiniteNonNegative, assertInteger, assertNonEmpty, assertSameLength } from './checks.ts';

/**
 * `p` divided by its sum: p_i / sum_j p_j, so counts, weights or an almost-normalised vector all
 * become a probability distribution. The sum is taken left to right (as NumPy does for fewer than
 * 8 entries; for longer vectors NumPy's pairwise sum may differ in the last bit).
 *
 * Throws a `RangeError` when `p` is empty, has an entry that is negative, NaN or infinite, or sums
 * to 0 (an all-zero vector has no distribution).
 */
export function normalize(p: readonly number[]): number[] {
  return normalizeAs('normalize', 'p', p);
}

/**
 * `normalize`, with errors naming the calling metric and argument. For the metrics modules;
 * not part of the public API.
 */
export function normalizeAs(where: string, what: string, p: readonly number[]): number[] {
  assertNonEmpty(where, what, p);
  assertFiniteNonNegative(where, what, p);
  let sum = 0;
  for (const x of p) sum += x;
  if (sum === 0) throw new RangeError(`${where}: ${what} is all zeros and cannot be normalised`);
  return p.map((x) => x / sum);
}

/**
 * How many times each option code 0..k-1 occurs in `answers`: counts[c] = #{i : answers[i] = c}.
 * Throws when k is not a positive integer or an answer is not an integer in 0..k-1.
 * An empty `answers` gives all-zero counts.
 */
export function countAnswers(answers: readonly number[], k: number): number[] {
  return countAnswersAs('countAnswers', 'answers', answers, k);
}

/** `countAnswers` with errors naming the caller. Not part of the public API. */
export function countAnswersAs(where: string, what: string, answers: readonly number[], k: number): number[] {
  assertInteger(where, 'k', k);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i]!;
    assertAnswerCode(where, `${what}[${i}]`, a, k);
    counts[a]!++;
  }
  return counts;
}

/**
 * The empirical distribution of answer codes: share of each option 0..k-1,
 * p[c] = #{i : answers[i] = c} / answers.length (the official FAIR-SP bin shares).
 * Throws when `answers` is empty or an answer is not an integer in 0..k-1.
 */
export function countsToDistribution(answers: readonly number[], k: number): number[] {
  assertNonEmpty('countsToDistribution', 'answers', answers);
  const counts = countAnswersAs('countsToDistribution', 'answers', answers, k);
  return counts.map((c) => c / answers.length);
}

/**
 * Element-wise mean of equally long vectors: m[j] = (sum_i ps[i][j]) / ps.length, summed in
 * order i = 0, 1, ... The inputs are averaged as given (not renormalised): the mean of
 * distributions is a distribution. Used for the model's bin shares in likelihood mode (the mean
 * of its per-question distributions) and for averaging option rotations.
 *
 * Throws when `ps` is empty, a vector is empty, the lengths differ, or an entry is negative,
 * NaN or infinite.
 */
export function meanDistribution(ps: readonly (readonly number[])[]): number[] {
  const where = 'meanDistribution';
  assertNonEmpty(where, 'ps', ps);
  const first = ps[0]!;
  assertNonEmpty(where, 'ps[0]', first);
  const sum = new Array<number>(first.length).fill(0);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    assertSameLength(where, 'ps[0]', first, `ps[${i}]`, p);
    assertFiniteNonNegative(where, `ps[${i}]`, p);
    for (let j = 0; j < p.length; j++) sum[j]! += p[j]!;
  }
  return sum.map((s) => s / ps.length);
}

/**
 * Index of the largest entry; ties go to the LOWEST index (so argmax([0.4, 0.4, 0.2]) = 0).
 * Any numbers are accepted (scores, log-probabilities, -Infinity) except NaN.
 * Throws when `p` is empty or has a NaN.
 */
export function argmax(p: readonly number[]): number {
  assertNonEmpty('argmax', 'p', p);
  let best = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    if (Number.isNaN(x)) throw new RangeError(`argmax: p[${i}] is NaN`);
    if (x > p[best]!) best = i; // strict: an equal later value never wins
  }
  return best;
}

/**
 * Total-variation distance TV(p, q) = 1/2 * sum_i |p_i - q_i|, in [0, 1], after normalising both
 * inputs (as `jensenShannonDistance` does, so counts may be passed).
 * Throws on a length mismatch or on any input `normalize` rejects.
 */
export function totalVariation(p: readonly number[], q: readonly number[]): number {
  const where = 'totalVariation';
  assertSameLength(where, 'p', p, 'q', q);
  const pn = normalizeAs(where, 'p', p);
  const qn = normalizeAs(where, 'q', q);
  let sum = 0;
  for (let i = 0; i < pn.length; i++) sum += Math.abs(pn[i]! - qn[i]!);
  return sum / 2;
}
