/**
 * Modal answers of subgroups and how much they diverge (WVS subgroups, SPEC section 2).
 */
import { assertFiniteNonNegative, assertInteger, assertNonEmpty, assertSameLength } from './checks.ts';
import { normalizeAs } from './distribution.ts';
import { cdfDistance } from './wasserstein.ts';

/** A subgroup's modal answer. */
export interface ModalAnswer {
  /** The answer code with the largest count; on a tie, the lowest such code. */
  answer: number;
  /** True when another code has the same (largest) count: ties are counted and reported. */
  tie: boolean;
}

/**
 * Modal answer of a histogram: `counts[c]` is how many respondents (or their total survey weight)
 * gave answer code c. The mode is the code with the largest count; ties go to the LOWEST code and
 * set `tie` (SPEC section 2, our rule). Counts are compared exactly.
 *
 * Throws when `counts` is empty, has a negative, NaN or infinite entry, or is all zeros (no answers,
 * no mode).
 */
export function modalAnswer(counts: readonly number[]): ModalAnswer {
  const where = 'modalAnswer';
  assertNonEmpty(where, 'counts', counts);
  assertFiniteNonNegative(where, 'counts', counts);
  let answer = 0;
  let tie = false;
  for (let c = 1; c < counts.length; c++) {
    const x = counts[c]!;
    const best = counts[answer]!;
    if (x > best) {
      answer = c;
      tie = false;
    } else if (x === best) {
      tie = true;
    }
  }
  if (counts[answer] === 0) throw new RangeError(`${where}: counts are all zero (no answers, no mode)`);
  return { answer, tie };
}

/**
 * Modal Diversity Score of one question within a stratum (SPEC section 2):
 *
 *   p(m) = share of subgroups whose modal answer is m,
 *   H = -sum_m p(m) log2 p(m)   (entropy in bits),
 *   MDS = H / log2(min(|S|, |C|)),
 *
 * with |S| = modes.length subgroups and |C| = optionCount options. 0 = every subgroup has the same
 * mode, 1 = the modes are spread as evenly as possible. When min(|S|, |C|) = 1 the score is 0.
 *
 * `modes` are answer labels compared by equality (0-based codes or the survey's own codes: only how
 * many subgroups share each mode matters). H is computed as log2(S) - (1/S) sum_m c_m log2 c_m with
 * c_m the number of subgroups with mode m: the same quantity, but exact when every subgroup has its
 * own mode, so that case gives exactly 1. The result is clamped to [0, 1] against rounding only.
 *
 * Throws when `modes` is empty, a mode is not an integer, optionCount is not a positive integer, or
 * there are more distinct modes than options.
 */
export function modalDiversityScore(modes: readonly number[], optionCount: number): number {
  const where = 'modalDiversityScore';
  assertNonEmpty(where, 'modes', modes);
  assertInteger(where, 'optionCount', optionCount);
  const counts = new Map<number, number>();
  for (let i = 0; i < modes.length; i++) {
    const m = modes[i]!;
    if (!Number.isInteger(m)) throw new RangeError(`${where}: modes[${i}] must be an integer answer code, got ${m}`);
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  if (counts.size > optionCount) {
    throw new RangeError(`${where}: ${counts.size} distinct modes but only ${optionCount} options`);
  }
  const s = modes.length;
  const denominator = Math.min(s, optionCount);
  if (denominator === 1) return 0;
  let sumCLogC = 0;
  for (const c of counts.values()) sumCLogC += c * Math.log2(c);
  const entropyBits = Math.log2(s) - sumCLogC / s;
  return Math.min(1, Math.max(0, entropyBits / Math.log2(denominator)));
}

/**
 * Mean pairwise Wasserstein distance between subgroup answer distributions (the ordinal
 * cross-check of the Modal Diversity Score):
 *
 *   (2 / (n (n - 1))) * sum_{i < j} wassersteinDistance(d_i, d_j),
 *
 * with `wassersteinDistance` in its raw unit-spacing form, range [0, K - 1] (divide by K - 1 for
 * [0, 1]). Each distribution is normalised (counts may be passed). One distribution has no pairs
 * and gives 0 (no divergence), as the Modal Diversity Score gives 0 for a single subgroup.
 *
 * Throws when `distributions` is empty, lengths differ, or a distribution is invalid.
 */
export function meanPairwiseWasserstein(distributions: readonly (readonly number[])[]): number {
  const where = 'meanPairwiseWasserstein';
  assertNonEmpty(where, 'distributions', distributions);
  const normalized = distributions.map((d, i) => {
    assertSameLength(where, 'distributions[0]', distributions[0]!, `distributions[${i}]`, d);
    return normalizeAs(where, `distributions[${i}]`, d);
  });
  const n = normalized.length;
  if (n === 1) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) sum += cdfDistance(normalized[i]!, normalized[j]!);
  }
  return sum / ((n * (n - 1)) / 2);
}
