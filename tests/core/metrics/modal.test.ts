import { describe, expect, it } from 'vitest';
import { meanPairwiseWasserstein, modalAnswer, modalDiversityScore } from '../../../src/core/metrics/modal.ts';

describe('modalAnswer', () => {
  it('returns the most frequent code', () => {
    expect(modalAnswer([3, 10, 2, 0])).toEqual({ answer: 1, tie: false });
    expect(modalAnswer([0, 0, 0, 5])).toEqual({ answer: 3, tie: false });
    expect(modalAnswer([1.5, 0.2])).toEqual({ answer: 0, tie: false }); // survey weights are fine
  });

  it('sends ties to the lowest code and reports them', () => {
    expect(modalAnswer([2, 5, 5, 1])).toEqual({ answer: 1, tie: true });
    expect(modalAnswer([4, 4])).toEqual({ answer: 0, tie: true });
    // a tie below the maximum is no tie
    expect(modalAnswer([1, 1, 6])).toEqual({ answer: 2, tie: false });
    // a tie that is broken later is no tie
    expect(modalAnswer([3, 3, 7])).toEqual({ answer: 2, tie: false });
  });

  it('rejects empty, all-zero and invalid counts', () => {
    expect(() => modalAnswer([])).toThrow('modalAnswer: counts is empty');
    expect(() => modalAnswer([0, 0])).toThrow('modalAnswer: counts are all zero (no answers, no mode)');
    expect(() => modalAnswer([1, -1])).toThrow('modalAnswer: counts[1] is negative (-1)');
    expect(() => modalAnswer([NaN])).toThrow('modalAnswer: counts[0] is not a finite number (NaN)');
  });
});

describe('modalDiversityScore', () => {
  it('reproduces the SPEC section 5 vectors', () => {
    // modes [1,1,2,3]: p = 1/2, 1/4, 1/4 -> H = 1/2*1 + 2*(1/4*2) = 1.5 bits; / log2(min(4,4)) = 2 -> 0.75
    expect(modalDiversityScore([1, 1, 2, 3], 4)).toBe(0.75);
    expect(modalDiversityScore([1, 1, 1, 1], 4)).toBe(0);
    expect(modalDiversityScore([1, 2, 3, 4], 4)).toBe(1);
    // two subgroups, two modes, five options: H = 1 bit / log2(min(2,5)) = 1
    expect(modalDiversityScore([1, 2], 5)).toBe(1);
  });

  it('matches scipy.stats.entropy(counts, base=2) / log2(min(S, C))', () => {
    // modes [0,0,0,1,1,2], 3 options: entropy([3,2,1], base=2) / log2(3) = 0.920619835714305
    expect(modalDiversityScore([0, 0, 0, 1, 1, 2], 3)).toBeCloseTo(0.920619835714305, 15);
    // 3 subgroups, modes [5,5,7], 2 options: entropy([2,1], base=2) / log2(2) = 0.9182958340544894
    expect(modalDiversityScore([5, 5, 7], 2)).toBeCloseTo(0.9182958340544894, 15);
  });

  it('is exactly 1 at maximal divergence, whichever of |S| and |C| is smaller', () => {
    expect(modalDiversityScore([0, 1, 2], 3)).toBe(1); // log2(3) / log2(3)
    expect(modalDiversityScore([0, 1, 2], 10)).toBe(1); // |S| = 3 < |C|
    expect(modalDiversityScore([0, 0, 1, 1, 2, 2], 3)).toBe(1); // |C| = 3 < |S|, modes spread evenly
  });

  it('is 0 when min(|S|, |C|) = 1', () => {
    expect(modalDiversityScore([2], 4)).toBe(0); // a single subgroup
    expect(modalDiversityScore([0, 0, 0], 1)).toBe(0); // a single option
  });

  it('rejects empty input, non-integer modes, a bad option count and more modes than options', () => {
    expect(() => modalDiversityScore([], 4)).toThrow('modalDiversityScore: modes is empty');
    expect(() => modalDiversityScore([1, 1.5], 4)).toThrow('modalDiversityScore: modes[1] must be an integer answer code, got 1.5');
    expect(() => modalDiversityScore([1, 2], 0)).toThrow('modalDiversityScore: optionCount must be an integer >= 1, got 0');
    expect(() => modalDiversityScore([1, 2, 3], 2)).toThrow('modalDiversityScore: 3 distinct modes but only 2 options');
  });
});

describe('meanPairwiseWasserstein', () => {
  it('averages the Wasserstein distance over unordered pairs', () => {
    // scipy.stats.wasserstein_distance(range(3), range(3), d_i, d_j) for the three pairs:
    // (0,1) 0.5, (0,2) 0.6, (1,2) 1.1 -> mean 0.7333333333333334
    const d = [
      [0.2, 0.5, 0.3],
      [0.6, 0.2, 0.2],
      [0.1, 0.1, 0.8],
    ];
    expect(meanPairwiseWasserstein(d)).toBeCloseTo(0.7333333333333334, 15);
  });

  it('is 0 for identical distributions and for a single one', () => {
    expect(meanPairwiseWasserstein([[1, 2, 1], [0.25, 0.5, 0.25]])).toBe(0);
    expect(meanPairwiseWasserstein([[0.3, 0.7]])).toBe(0);
  });

  it('rejects empty input, ragged input and invalid distributions', () => {
    expect(() => meanPairwiseWasserstein([])).toThrow('meanPairwiseWasserstein: distributions is empty');
    expect(() => meanPairwiseWasserstein([[0.5, 0.5], [1, 0, 0]])).toThrow(
      'meanPairwiseWasserstein: distributions[0] has length 2 but distributions[1] has length 3',
    );
    expect(() => meanPairwiseWasserstein([[0, 0]])).toThrow('meanPairwiseWasserstein: distributions[0] is all zeros');
  });
});
