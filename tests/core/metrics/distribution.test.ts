import { describe, expect, it } from 'vitest';
import {
  argmax,
  countAnswers,
  countsToDistribution,
  meanDistribution,
  normalize,
  totalVariation,
} from '../../../src/core/metrics/distribution.ts';

describe('normalize', () => {
  it('divides by the sum', () => {
    // [1, 3, 4] / 8 = [0.125, 0.375, 0.5] (exact in binary)
    expect(normalize([1, 3, 4])).toEqual([0.125, 0.375, 0.5]);
    expect(normalize([0, 2, 0])).toEqual([0, 1, 0]);
  });

  it('does not mutate its input', () => {
    const p = [2, 2];
    normalize(p);
    expect(p).toEqual([2, 2]);
  });

  it('rejects empty, negative, NaN, infinite and all-zero input', () => {
    expect(() => normalize([])).toThrow('normalize: p is empty');
    expect(() => normalize([0.5, -0.1, 0.6])).toThrow('normalize: p[1] is negative (-0.1)');
    expect(() => normalize([0.5, NaN])).toThrow('normalize: p[1] is not a finite number (NaN)');
    expect(() => normalize([Infinity, 1])).toThrow('normalize: p[0] is not a finite number (Infinity)');
    expect(() => normalize([0, 0, 0])).toThrow('normalize: p is all zeros and cannot be normalised');
    expect(() => normalize([-0.1])).toThrow(RangeError);
  });
});

describe('countAnswers and countsToDistribution', () => {
  it('counts 0-based answer codes', () => {
    expect(countAnswers([0, 2, 2, 1, 2], 3)).toEqual([1, 1, 3]);
    expect(countAnswers([], 2)).toEqual([0, 0]);
    // 5 answers: A once, B once, N/A three times -> [1/5, 1/5, 3/5]
    expect(countsToDistribution([0, 2, 2, 1, 2], 3)).toEqual([0.2, 0.2, 0.6]);
    // a code never given gets share 0
    expect(countsToDistribution([1, 1], 4)).toEqual([0, 1, 0, 0]);
  });

  it('rejects codes outside 0..k-1, a bad k and no answers', () => {
    expect(() => countAnswers([0, 3], 3)).toThrow('countAnswers: answers[1] must be an answer code in 0..2, got 3');
    expect(() => countAnswers([-1], 3)).toThrow('countAnswers: answers[0] must be an answer code in 0..2, got -1');
    expect(() => countAnswers([0.5], 3)).toThrow('answers[0] must be an answer code in 0..2, got 0.5');
    expect(() => countAnswers([0], 0)).toThrow('countAnswers: k must be an integer >= 1, got 0');
    expect(() => countsToDistribution([], 3)).toThrow('countsToDistribution: answers is empty');
    expect(() => countsToDistribution([5], 3)).toThrow('countsToDistribution: answers[0] must be an answer code in 0..2, got 5');
  });
});

describe('meanDistribution', () => {
  it('averages element-wise without renormalising', () => {
    // ([0.5, 0.5, 0] + [0.25, 0.25, 0.5]) / 2 = [0.375, 0.375, 0.25]
    expect(meanDistribution([
      [0.5, 0.5, 0],
      [0.25, 0.25, 0.5],
    ])).toEqual([0.375, 0.375, 0.25]);
    expect(meanDistribution([[1, 3]])).toEqual([1, 3]);
  });

  it('rejects empty lists, ragged input and invalid entries', () => {
    expect(() => meanDistribution([])).toThrow('meanDistribution: ps is empty');
    expect(() => meanDistribution([[]])).toThrow('meanDistribution: ps[0] is empty');
    expect(() => meanDistribution([[0.5, 0.5], [1]])).toThrow('meanDistribution: ps[0] has length 2 but ps[1] has length 1');
    expect(() => meanDistribution([[0.5, 0.5], [1.5, -0.5]])).toThrow('meanDistribution: ps[1][1] is negative (-0.5)');
  });
});

describe('argmax', () => {
  it('finds the largest entry and sends ties to the lowest index', () => {
    expect(argmax([0.1, 0.7, 0.2])).toBe(1);
    expect(argmax([0.4, 0.4, 0.2])).toBe(0);
    expect(argmax([0.2, 0.4, 0.4])).toBe(1);
    expect(argmax([1 / 3, 1 / 3, 1 / 3])).toBe(0);
    expect(argmax([-Infinity, -2, -1])).toBe(2); // log-probabilities are fine
  });

  it('rejects empty input and NaN', () => {
    expect(() => argmax([])).toThrow('argmax: p is empty');
    expect(() => argmax([0.5, NaN, 0.2])).toThrow('argmax: p[1] is NaN');
  });
});

describe('totalVariation', () => {
  it('is half the L1 distance between the normalised inputs', () => {
    // 1/2 (|0.5-0.25| + |0.5-0.25| + |0-0.5|) = 1/2 (0.25 + 0.25 + 0.5) = 0.5
    expect(totalVariation([0.5, 0.5, 0], [0.25, 0.25, 0.5])).toBe(0.5);
    expect(totalVariation([1, 0], [0, 1])).toBe(1);
    expect(totalVariation([0.3, 0.7], [0.3, 0.7])).toBe(0);
    // counts are normalised first: [2, 2, 0] -> [0.5, 0.5, 0], [1, 1, 2] -> [0.25, 0.25, 0.5]
    expect(totalVariation([2, 2, 0], [1, 1, 2])).toBe(0.5);
  });

  it('rejects a length mismatch and invalid inputs', () => {
    expect(() => totalVariation([0.5, 0.5], [1])).toThrow('totalVariation: p has length 2 but q has length 1');
    expect(() => totalVariation([0.5, 0.5], [0, 0])).toThrow('totalVariation: q is all zeros');
  });
});
