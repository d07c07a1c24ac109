import { describe, expect, it } from 'vitest';
import { noiseCeiling } from '../../../src/core/metrics/noise-ceiling.ts';

describe('noiseCeiling', () => {
  it('has a fixed value for a seed (part of the reproducibility contract)', () => {
    expect(noiseCeiling([0.5, 0.3, 0.2], 100, { seed: 7 })).toBe(0.9539883926947286);
  });

  it('matches a NumPy simulation of the same quantity', () => {
    // NumPy: rng = default_rng(0); c = rng.multinomial(100, [0.5,0.3,0.2], size=200000) / 100;
    // mean(1 - jensenshannon(p, c_b)) = 0.95543 (sd 0.0234 per resample, so the mean of 20,000
    // resamples has a standard error of 0.00017; 0.001 is about 6 standard errors).
    expect(Math.abs(noiseCeiling([0.5, 0.3, 0.2], 100, { seed: 'check', resamples: 20_000 }) - 0.95543)).toBeLessThan(0.001);
  });

  it('accepts counts, rises with the item count and stays below 1', () => {
    const small = noiseCeiling([50, 30, 20], 20, { seed: 1 });
    const large = noiseCeiling([50, 30, 20], 2000, { seed: 1 });
    expect(small).toBeLessThan(large);
    expect(large).toBeLessThan(1);
    expect(large).toBeGreaterThan(0.99);
  });

  it('is exactly 1 for a one-hot anchor, and never draws an option of probability 0', () => {
    expect(noiseCeiling([0, 1, 0], 30, { seed: 2 })).toBe(1);
    // One draw from [0.5, 0, 0.5] gives [1, 0, 0] or [0, 0, 1], both at distance
    // sqrt(0.75 ln(4/3)) = jensenshannon([0.5,0,0.5],[1,0,0]) = 0.464501404022459 (SciPy), so every
    // resample has similarity 0.535498595977541. Drawing the middle option (disjoint support,
    // distance sqrt(ln 2)) even once would pull the mean below that.
    expect(noiseCeiling([0.5, 0, 0.5], 1, { seed: 3, resamples: 10 })).toBeCloseTo(1 - 0.464501404022459, 14);
  });

  it('uses the log base given', () => {
    const e = noiseCeiling([0.6, 0.4], 10, { seed: 4, resamples: 50 });
    const two = noiseCeiling([0.6, 0.4], 10, { seed: 4, resamples: 50, base: 2 });
    expect(two).toBeLessThan(e); // same resamples, distances scaled by 1/sqrt(ln 2) > 1
  });

  it('rejects a bad item count, resample count or anchor', () => {
    expect(() => noiseCeiling([0.5, 0.5], 0, { seed: 1 })).toThrow('noiseCeiling: itemCount must be an integer >= 1, got 0');
    expect(() => noiseCeiling([0.5, 0.5], 10, { seed: 1, resamples: 1.5 })).toThrow(
      'noiseCeiling: resamples must be an integer >= 1, got 1.5',
    );
    expect(() => noiseCeiling([0, 0], 10, { seed: 1 })).toThrow('noiseCeiling: anchor is all zeros');
    expect(() => noiseCeiling([], 10, { seed: 1 })).toThrow('noiseCeiling: anchor is empty');
  });
});
