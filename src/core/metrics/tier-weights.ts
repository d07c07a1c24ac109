/**
 * FAIR-SP frequency-tier sample weights for WSFT / WDPO (SPEC section 1): answers that set the
 * target segment apart from the others weigh more in training.
 */
import { assertFiniteNonNegative, assertInteger, assertNonEmpty } from './checks.ts';

/**
 * Tier of one training question for the target segment:
 *
 *   T = 1 + #{ other segments whose answer differs from the target's },
 *
 * so with seven segments, 1 = every segment gives the target's answer and 7 = only the target does.
 * Answers are compared by strict equality (answer codes; N/A is an answer like any other).
 * Throws when an answer is NaN (an unparsed answer must be coded first, e.g. as N/A = 2).
 */
export function tierOf(targetAnswer: number, otherAnswers: readonly number[]): number {
  const where = 'tierOf';
  if (Number.isNaN(targetAnswer)) throw new RangeError(`${where}: targetAnswer is NaN`);
  let differing = 0;
  for (let i = 0; i < otherAnswers.length; i++) {
    const a = otherAnswers[i]!;
    if (Number.isNaN(a)) throw new RangeError(`${where}: otherAnswers[${i}] is NaN`);
    if (a !== targetAnswer) differing++;
  }
  return 1 + differing;
}

/**
 * How many samples fall in each tier 1..maxTier: counts[T - 1] = #{ i : tiers[i] = T }.
 * Throws when maxTier is not a positive integer or a tier is not an integer in 1..maxTier.
 */
export function countTiers(tiers: readonly number[], maxTier: number): number[] {
  const where = 'countTiers';
  assertInteger(where, 'maxTier', maxTier);
  const counts = new Array<number>(maxTier).fill(0);
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i]!;
    if (!Number.isInteger(t) || t < 1 || t > maxTier) {
      throw new RangeError(`${where}: tiers[${i}] must be an integer in 1..${maxTier}, got ${t}`);
    }
    counts[t - 1]!++;
  }
  return counts;
}

/**
 * Per-tier weights from the number of samples in each tier: `countsPerTier[T - 1]` = N_T, and
 *
 *   W_T = (T / N_T) / sum_j (T_j / N_j),   the sum over the tiers present (N_j > 0),
 *
 * so the weights of the present tiers sum to 1; every sample of tier T gets weight W_T. A tier
 * with no samples gets weight 0 (no sample carries it). Paper Table 7 (segment 6):
 * N = [6193, 2350, 1350, 1506, 5181, 3083, 3088] gives W = [0.015, 0.077, 0.201, 0.240, 0.087,
 * 0.176, 0.205] to 3 decimals. Use `scaleToMeanOne` on the per-sample weights before training.
 *
 * Throws when `countsPerTier` is empty, has a negative, NaN or infinite entry, or is all zeros.
 */
export function tierWeights(countsPerTier: readonly number[]): number[] {
  const where = 'tierWeights';
  assertNonEmpty(where, 'countsPerTier', countsPerTier);
  assertFiniteNonNegative(where, 'countsPerTier', countsPerTier);
  const raw = countsPerTier.map((n, i) => (n > 0 ? (i + 1) / n : 0));
  let sum = 0;
  for (const r of raw) sum += r;
  if (sum === 0) throw new RangeError(`${where}: countsPerTier are all zero (no samples)`);
  return raw.map((r) => r / sum);
}

/**
 * Per-sample weights scaled so that their mean over the training set is 1 (SPEC section 4):
 * w_i' = w_i / ((1/n) sum_j w_j). The loss of each example is multiplied by w_i', so the overall
 * loss scale (and learning rate) matches unweighted training.
 * Throws when `weights` is empty, has a negative, NaN or infinite entry, or is all zeros.
 */
export function scaleToMeanOne(weights: readonly number[]): number[] {
  const where = 'scaleToMeanOne';
  assertNonEmpty(where, 'weights', weights);
  assertFiniteNonNegative(where, 'weights', weights);
  let sum = 0;
  for (const w of weights) sum += w;
  if (sum === 0) throw new RangeError(`${where}: weights are all zero`);
  const mean = sum / weights.length;
  return weights.map((w) => w / mean);
}

/**
 * Training weights of the samples in one step: with N_T = countTiers(tiers, maxTier) and
 * W = tierWeights(N), sample i gets W_{tiers[i]}, then `scaleToMeanOne`. Equivalently
 * w_i = (T_i / N_{T_i}) * n / sum_{present T} T (the mean over samples is exactly 1 up to rounding).
 * Throws as `countTiers` (and on an empty `tiers`).
 */
export function sampleTierWeights(tiers: readonly number[], maxTier: number): number[] {
  assertNonEmpty('sampleTierWeights', 'tiers', tiers);
  const weights = tierWeights(countTiers(tiers, maxTier));
  return scaleToMeanOne(tiers.map((t) => weights[t - 1]!));
}
