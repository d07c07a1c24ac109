import { describe, expect, it } from 'vitest';
import {
  normalizedWassersteinDistance,
  wassersteinDistance,
  wassersteinFromAnswers,
} from '../../../src/core/metrics/wasserstein.ts';

describe('wassersteinDistance', () => {
  it('reproduces the SPEC section 5 vector', () => {
    // CDFs: p 0.1, 0.3, 0.6 | q 0.25, 0.5, 0.75 -> 0.15 + 0.2 + 0.15 = 0.5
    // (scipy.stats.wasserstein_distance(range(4), range(4), p, q) = 0.4999999999999999)
    expect(wassersteinDistance([0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25])).toBeCloseTo(0.5, 15);
  });

  it('matches scipy.stats.wasserstein_distance on more vectors', () => {
    // wasserstein_distance(range(3), range(3), [0.7,0.2,0.1], [0.1,0.3,0.6]) = 1.1
    // by hand: CDFs 0.7, 0.9 | 0.1, 0.4 -> 0.6 + 0.5 = 1.1
    expect(wassersteinDistance([0.7, 0.2, 0.1], [0.1, 0.3, 0.6])).toBeCloseTo(1.1, 14);
    // wasserstein_distance(range(5), range(5), [0.05,0.15,0.4,0.3,0.1], [0.3,0.3,0.2,0.1,0.1]) = 0.8500000000000002
    expect(wassersteinDistance([0.05, 0.15, 0.4, 0.3, 0.1], [0.3, 0.3, 0.2, 0.1, 0.1])).toBeCloseTo(0.85, 14);
    // counts are normalised: wasserstein_distance(range(3), range(3), [2,0,1], [0,1,3]) = 1.0833333333333333
    expect(wassersteinDistance([2, 0, 1], [0, 1, 3])).toBeCloseTo(1.0833333333333333, 15);
  });

  it('spans [0, K - 1]: all mass at opposite ends of a 5-point scale is 4 apart', () => {
    expect(wassersteinDistance([1, 0, 0, 0, 0], [0, 0, 0, 0, 1])).toBe(4);
    expect(wassersteinDistance([0.2, 0.8], [0.2, 0.8])).toBe(0);
    expect(wassersteinDistance([1], [1])).toBe(0);
  });

  it('is ordinal, unlike total variation: moving mass further costs more', () => {
    const from = [1, 0, 0, 0];
    expect(wassersteinDistance(from, [0, 1, 0, 0])).toBe(1);
    expect(wassersteinDistance(from, [0, 0, 1, 0])).toBe(2);
    expect(wassersteinDistance(from, [0, 0, 0, 1])).toBe(3);
  });

  it('rejects a length mismatch and invalid distributions', () => {
    expect(() => wassersteinDistance([0.5, 0.5], [1, 0, 0])).toThrow('wassersteinDistance: p has length 2 but q has length 3');
    expect(() => wassersteinDistance([], [])).toThrow('wassersteinDistance: p is empty');
    expect(() => wassersteinDistance([0.5, 0.5], [-1, 2])).toThrow('wassersteinDistance: q[0] is negative (-1)');
  });
});

describe('normalizedWassersteinDistance', () => {
  it('divides by K - 1', () => {
    expect(normalizedWassersteinDistance([1, 0, 0, 0, 0], [0, 0, 0, 0, 1])).toBe(1);
    // 0.5 / 3 on the SPEC vector
    expect(normalizedWassersteinDistance([0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25])).toBeCloseTo(0.5 / 3, 15);
  });

  it('needs at least two categories', () => {
    expect(() => normalizedWassersteinDistance([1], [1])).toThrow('normalizedWassersteinDistance: needs at least 2 categories, got 1');
  });
});

describe('wassersteinFromAnswers', () => {
  it('compares the histograms of predicted and true answer codes', () => {
    // pred [0,0,1,2,4,4,3] -> counts [2,1,1,1,2]; actual [1,1,1,2,3,4,0] -> counts [1,3,1,1,1]
    // CDFs (sevenths): 2,3,4,5 | 1,4,5,6 -> |1|+|1|+|1|+|1| = 4/7
    // scipy.stats.wasserstein_distance([0,0,1,2,4,4,3], [1,1,1,2,3,4,0]) = 0.5714285714285714
    const r = wassersteinFromAnswers([0, 0, 1, 2, 4, 4, 3], [1, 1, 1, 2, 3, 4, 0], 5);
    expect(r.distance).toBeCloseTo(0.5714285714285714, 15);
    expect(r.normalized).toBeCloseTo(0.14285714285714285, 15);
  });

  it('normalises each histogram by its own count (lists may differ in length)', () => {
    // pred [0, 2] -> [0.5, 0, 0.5]; actual [1] -> [0, 1, 0]; CDFs 0.5, 0.5 | 0, 1 -> 0.5 + 0.5 = 1
    expect(wassersteinFromAnswers([0, 2], [1], 3)).toEqual({ distance: 1, normalized: 0.5 });
  });

  it('rejects k < 2, empty lists and codes outside 0..k-1', () => {
    expect(() => wassersteinFromAnswers([0], [0], 1)).toThrow('wassersteinFromAnswers: k must be an integer >= 2, got 1');
    expect(() => wassersteinFromAnswers([], [0], 3)).toThrow('wassersteinFromAnswers: predicted is empty');
    expect(() => wassersteinFromAnswers([0], [], 3)).toThrow('wassersteinFromAnswers: actual is empty');
    expect(() => wassersteinFromAnswers([0, 3], [0], 3)).toThrow('wassersteinFromAnswers: predicted[1] must be an answer code in 0..2, got 3');
  });
});
