import { describe, expect, it } from 'vitest';
import { countTiers, sampleTierWeights, scaleToMeanOne, tierOf, tierWeights } from '../../../src/core/metrics/tier-weights.ts';

describe('tierOf', () => {
  it('is 1 + the number of other segments that answer differently', () => {
    expect(tierOf(0, [0, 0, 0, 0, 0, 0])).toBe(1); // shared by all seven segments
    expect(tierOf(1, [0, 0, 0, 0, 0, 0])).toBe(7); // unique to the target
    expect(tierOf(2, [0, 2, 1, 2, 2, 0])).toBe(4); // 0, 1, 0 differ -> 1 + 3
    expect(tierOf(0, [])).toBe(1);
  });

  it('rejects NaN answers', () => {
    expect(() => tierOf(NaN, [0])).toThrow('tierOf: targetAnswer is NaN');
    expect(() => tierOf(0, [0, NaN])).toThrow('tierOf: otherAnswers[1] is NaN');
  });
});

describe('tierWeights', () => {
  it('reproduces paper Table 7 (segment 6)', () => {
    // W_T = (T / N_T) / sum_j (T_j / N_j). Exact values from NumPy:
    // T = np.arange(1, 8); N = np.array([6193, 2350, 1350, 1506, 5181, 3083, 3088.]); (T/N) / np.sum(T/N)
    const w = tierWeights([6193, 2350, 1350, 1506, 5181, 3083, 3088]);
    const exact = [0.014588007045247247, 0.07688810862231166, 0.200763394736036, 0.2399562486884892,
      0.08718734571628663, 0.17582262918822483, 0.20479426600340456];
    w.forEach((x, i) => expect(x).toBeCloseTo(exact[i]!, 15));
    // the paper's rounded numbers
    expect(w.map((x) => Math.round(x * 1000) / 1000)).toEqual([0.015, 0.077, 0.201, 0.24, 0.087, 0.176, 0.205]);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
  });

  it('gives absent tiers weight 0 and sums over the tiers present', () => {
    // tiers 1 and 3 present: 1/10 and 3/30 -> equal weights 0.5 and 0.5
    expect(tierWeights([10, 0, 30])).toEqual([0.5, 0, 0.5]);
    // one tier: weight 1
    expect(tierWeights([0, 4])).toEqual([0, 1]);
  });

  it('rejects empty, all-zero and invalid counts', () => {
    expect(() => tierWeights([])).toThrow('tierWeights: countsPerTier is empty');
    expect(() => tierWeights([0, 0])).toThrow('tierWeights: countsPerTier are all zero (no samples)');
    expect(() => tierWeights([3, -1])).toThrow('tierWeights: countsPerTier[1] is negative (-1)');
  });
});

describe('countTiers', () => {
  it('counts samples per tier 1..maxTier', () => {
    expect(countTiers([1, 3, 3, 7], 7)).toEqual([1, 0, 2, 0, 0, 0, 1]);
  });

  it('rejects tiers outside 1..maxTier', () => {
    expect(() => countTiers([0], 7)).toThrow('countTiers: tiers[0] must be an integer in 1..7, got 0');
    expect(() => countTiers([1, 8], 7)).toThrow('countTiers: tiers[1] must be an integer in 1..7, got 8');
    expect(() => countTiers([1], 0)).toThrow('countTiers: maxTier must be an integer >= 1, got 0');
  });
});

describe('scaleToMeanOne', () => {
  it('divides by the mean', () => {
    // mean of [1, 2, 3, 2] is 2 -> [0.5, 1, 1.5, 1]
    expect(scaleToMeanOne([1, 2, 3, 2])).toEqual([0.5, 1, 1.5, 1]);
    expect(scaleToMeanOne([0.2, 0, 0.2])).toEqual([1.5, 0, 1.5]);
  });

  it('rejects empty, all-zero and invalid weights', () => {
    expect(() => scaleToMeanOne([])).toThrow('scaleToMeanOne: weights is empty');
    expect(() => scaleToMeanOne([0, 0])).toThrow('scaleToMeanOne: weights are all zero');
    expect(() => scaleToMeanOne([1, Infinity])).toThrow('scaleToMeanOne: weights[1] is not a finite number (Infinity)');
  });
});

describe('sampleTierWeights', () => {
  it('weights each sample by its tier and scales the mean to 1', () => {
    // tiers [1, 1, 1, 2]: N = [3, 1]; T/N = [1/3, 2]; W = [1/7, 6/7]
    // per sample [1/7, 1/7, 1/7, 6/7], mean 9/28 -> [4/9, 4/9, 4/9, 24/9]
    // closed form: w_i = (T_i / N_Ti) * n / sum T = (1/3) * 4 / 3 = 4/9 and 2 * 4 / 3 = 8/3
    const w = sampleTierWeights([1, 1, 1, 2], 7);
    expect(w[0]).toBeCloseTo(4 / 9, 15);
    expect(w[3]).toBeCloseTo(8 / 3, 15);
    expect(w.reduce((a, b) => a + b, 0) / w.length).toBeCloseTo(1, 15);
  });

  it('rejects an empty training set', () => {
    expect(() => sampleTierWeights([], 7)).toThrow('sampleTierWeights: tiers is empty');
  });
});
