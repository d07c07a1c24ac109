import { describe, expect, it } from 'vitest';
import { metricsDifference } from '../../../src/core/record/metrics-agree.ts';

describe('stored against recomputed metrics', () => {
  it('agree within a relative 1e-9 (the last bits of another engine), and NaN as JSON stores it', () => {
    const a = { headline: [{ key: 'x', value: 0.41152080810492747 }], details: { n: 30, spread: NaN, big: 12345.678 } };
    const b = { headline: [{ key: 'x', value: 0.4115208081049275 }], details: { n: 30, spread: null, big: 12345.678 * (1 + 1e-12) } };
    expect(metricsDifference(a, b)).toBeNull();
  });

  it('name the first place they differ', () => {
    expect(metricsDifference({ a: { b: [1, 2, 0.5] } }, { a: { b: [1, 2, 0.5001] } })).toBe('a.b[2]: 0.5 stored, 0.5001 recomputed');
    // 1e-9 relative of 1000 is 1e-6: 1000.00001 is outside.
    expect(metricsDifference({ v: 1000 }, { v: 1000.00001 })).toBe('v: 1000 stored, 1000.00001 recomputed');
    expect(metricsDifference({ v: [1, 2] }, { v: [1] })).toBe('v: 2 entries stored, 1 recomputed');
    expect(metricsDifference({ v: 1 }, { v: 1, w: 2 })).toBe('w: not stored');
    expect(metricsDifference({ v: 1, w: 2 }, { v: 1 })).toBe('w: not recomputed');
    expect(metricsDifference({ s: 'S1' }, { s: 'S2' })).toBe('s: "S1" stored, "S2" recomputed');
    expect(metricsDifference({ s: null }, { s: 0 })).toBe('s: null stored, 0 recomputed');
  });
});
