import { quantileSorted as d3QuantileSorted } from 'd3-array';
import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../../src/core/metrics/percentile.ts';

// numpy.random.default_rng(7).random(11), sorted
const SAMPLE = [0.625095466604667, 0.8972138009695755, 0.7756856902451935, 0.22520718999059186, 0.30016628491122543,
  0.8735534453962619, 0.005265304565574724, 0.8212284183827663, 0.7970694287520462, 0.4679349528437208,
  0.3030324268193135].sort((a, b) => a - b);

describe('quantileSorted (NumPy method="linear")', () => {
  it('equals np.percentile bit for bit', () => {
    // np.percentile(x, 2.5), np.percentile(x, 97.5), np.percentile(x, 50), np.quantile(x, 0.3)
    expect(quantileSorted(SAMPLE, 0.025)).toBe(0.06025077592182901);
    expect(quantileSorted(SAMPLE, 0.975)).toBe(0.8912987120762471);
    expect(quantileSorted(SAMPLE, 0.5)).toBe(0.625095466604667);
    expect(quantileSorted(SAMPLE, 0.3)).toBe(0.3030324268193135);
  });

  it('interpolates from the nearer end like NumPy, where d3-array can differ in the last bit', () => {
    // One of 273 differences in 12,000 random cases: np.percentile(x, 2.5) = 2.823477211013666,
    // d3-array's quantileSorted gives 2.8234772110136657 (h = 0.725, so g >= 0.5).
    const x = [1.123991352885223, 3.4681097778899717, 9.97758575575276, 12.547592991076629, 18.665851824196945,
      23.002065579596398, 25.953754146584817, 27.21168449043224, 27.34195590884745, 29.316041748155484,
      34.333189270243295, 40.89827342319469, 41.4413423042038, 43.73966439849188, 48.45816539770254,
      52.3125475074939, 52.9380931101413, 59.69410153477375, 62.05834421885513, 62.23127143853028,
      68.9806083842731, 69.92123788891827, 77.60760989731084, 81.38582232577014, 85.17390927157821,
      89.50737006985376, 90.20262506213284, 92.34341853684933, 96.91468247203173, 98.32818088018588];
    expect(quantileSorted(x, 0.025)).toBe(2.823477211013666);
    expect(d3QuantileSorted(x, 0.025)).toBe(2.8234772110136657);
  });

  it('agrees with d3-array (the same R-7 rule) to rounding', () => {
    for (const q of [0, 0.01, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1]) {
      expect(quantileSorted(SAMPLE, q)).toBeCloseTo(d3QuantileSorted(SAMPLE, q)!, 15);
    }
  });

  it('handles the ends, one value and exact positions', () => {
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([7], 0.3)).toBe(7);
    // h = 3 * 0.5 = 1.5 -> 2 + 0.5 * (3 - 2) = 2.5
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    // h = 4 * 0.25 = 1 exactly -> x[1]
    expect(quantileSorted([10, 20, 30, 40, 50], 0.25)).toBe(20);
  });

  it('rejects empty, unsorted or non-finite samples and q outside [0, 1]', () => {
    expect(() => quantileSorted([], 0.5)).toThrow('quantileSorted: sorted is empty');
    expect(() => quantileSorted([1, 3, 2], 0.5)).toThrow('quantileSorted: sorted[2] < sorted[1]: the sample must be ascending');
    expect(() => quantileSorted([1, NaN], 0.5)).toThrow('quantileSorted: sorted[1] is not a finite number (NaN)');
    expect(() => quantileSorted([1, 2], 1.5)).toThrow('quantileSorted: q must be in [0, 1], got 1.5');
    expect(() => quantileSorted([1, 2], NaN)).toThrow('quantileSorted: q must be in [0, 1], got NaN');
  });
});
