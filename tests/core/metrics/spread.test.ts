import { describe, expect, it } from 'vitest';
import { coefficientOfVariation, normalizedRange } from '../../../src/core/metrics/spread.ts';

describe('normalizedRange and coefficientOfVariation', () => {
  it('reproduce the SPEC section 5 vector', () => {
    // (0.8 - 0.5) / 0.8 = 0.375 (NumPy: 0.37500000000000006)
    expect(normalizedRange([0.5, 0.6, 0.8])).toBeCloseTo(0.375, 15);
    // np.std([0.5,0.6,0.8]) / np.mean([0.5,0.6,0.8]) = 0.19692933614599692
    expect(coefficientOfVariation([0.5, 0.6, 0.8])).toBe(0.19692933614599692);
  });

  it('match NumPy on another vector', () => {
    // x = [0.442, 0.508, 0.661, 0.574]: (x.max()-x.min())/x.max() = 0.3313161875945537,
    // x.std()/x.mean() = 0.1483536575627527
    expect(normalizedRange([0.442, 0.508, 0.661, 0.574])).toBeCloseTo(0.3313161875945537, 15);
    expect(coefficientOfVariation([0.442, 0.508, 0.661, 0.574])).toBeCloseTo(0.1483536575627527, 15);
  });

  it('use the population standard deviation (ddof = 0)', () => {
    // [1, 3]: mean 2, population sigma 1 -> CV 0.5 (the sample sigma sqrt(2) would give 0.707)
    expect(coefficientOfVariation([1, 3])).toBe(0.5);
  });

  it('are 0 for equal scores and for a single score', () => {
    expect(normalizedRange([0.4, 0.4, 0.4])).toBe(0);
    expect(coefficientOfVariation([0.4, 0.4, 0.4])).toBe(0);
    expect(normalizedRange([0.7])).toBe(0);
    expect(coefficientOfVariation([0.7])).toBe(0);
  });

  it('are NaN (undefined) when every score is 0: max = mean = 0', () => {
    expect(normalizedRange([0, 0])).toBeNaN();
    expect(coefficientOfVariation([0, 0, 0])).toBeNaN();
    // one non-zero score is enough to define both
    expect(normalizedRange([0, 0.5])).toBe(1);
    expect(coefficientOfVariation([0, 0.5])).toBe(1); // mean 0.25, sigma 0.25
  });

  it('reject empty input and negative or non-finite scores', () => {
    expect(() => normalizedRange([])).toThrow('normalizedRange: scores is empty');
    expect(() => coefficientOfVariation([])).toThrow('coefficientOfVariation: scores is empty');
    expect(() => normalizedRange([0.5, -0.1])).toThrow('normalizedRange: scores[1] is negative (-0.1)');
    expect(() => coefficientOfVariation([NaN])).toThrow('coefficientOfVariation: scores[0] is not a finite number (NaN)');
  });
});
