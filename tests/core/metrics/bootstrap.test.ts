import { describe, expect, it } from 'vitest';
import {
  bootstrapInterval,
  bootstrapResamples,
  pairedBootstrapDifference,
} from '../../../src/core/metrics/bootstrap.ts';

/** Mean of data over the given item indices. */
function meanOf(data: readonly number[]): (indices: Int32Array) => number {
  return (indices) => {
    let sum = 0;
    for (const i of indices) sum += data[i]!;
    return sum / indices.length;
  };
}

// 20 items: ((i * 7919) % 23) / 10
const DATA = [0, 0.7, 1.4, 2.1, 0.5, 1.2, 1.9, 0.3, 1, 1.7, 0.1, 0.8, 1.5, 2.2, 0.6, 1.3, 2, 0.4, 1.1, 1.8];

describe('bootstrapResamples: the reproducibility contract', () => {
  it('draws this fixed index stream for n = 5, 3 resamples, seed 1', () => {
    // Pinned: changing the PRNG or the draw order changes every published interval.
    expect([...bootstrapResamples(5, 3, 1)].map((a) => Array.from(a))).toEqual([
      [3, 1, 1, 4, 1],
      [3, 0, 4, 0, 3],
      [4, 2, 2, 1, 4],
    ]);
  });

  it('repeats for a seed, differs between seeds, and allocates a fresh array per resample', () => {
    const a = [...bootstrapResamples(10, 4, 'x')];
    const b = [...bootstrapResamples(10, 4, 'x')];
    const c = [...bootstrapResamples(10, 4, 'y')];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0]).not.toBe(a[1]);
    for (const r of a) for (const i of r) expect(i >= 0 && i < 10).toBe(true);
  });

  it('feeds the statistic exactly these arrays', () => {
    const seen: number[][] = [];
    bootstrapInterval(5, (idx) => (seen.push(Array.from(idx)), idx[0]!), { seed: 1, resamples: 3 });
    // the first call is the estimate on all items, in order
    expect(seen).toEqual([[0, 1, 2, 3, 4], [3, 1, 1, 4, 1], [3, 0, 4, 0, 3], [4, 2, 2, 1, 4]]);
  });
});

describe('bootstrapInterval', () => {
  it('gives the interval NumPy computes from the same resampled statistics', () => {
    // The 1000 resampled means (seed 'pluralscope') were exported and passed to
    // np.percentile(stats, [2.5, 97.5]) -> 0.8448749999999999, 1.425125 (NumPy 2.4.6).
    const r = bootstrapInterval(20, meanOf(DATA), { seed: 'pluralscope' });
    expect(r).toEqual({ estimate: 1.13, low: 0.8448749999999999, high: 1.425125, resamples: 1000, level: 0.95 });
  });

  it('takes the (1 - level) / 2 and (1 + level) / 2 percentiles', () => {
    const stats: number[] = [];
    const stat = (idx: Int32Array): number => {
      const m = meanOf(DATA)(idx);
      stats.push(m);
      return m;
    };
    const r = bootstrapInterval(20, stat, { seed: 3, resamples: 201, level: 0.9 });
    const sorted = stats.slice(1).sort((a, b) => a - b);
    // 201 resamples: h = 200 * 0.05 = 10 and 200 * 0.95 = 190, exact order statistics
    expect(r.low).toBe(sorted[10]);
    expect(r.high).toBe(sorted[190]);
    expect(r.resamples).toBe(201);
  });

  it('narrows with more items and contains the estimate for a mean', () => {
    const small = bootstrapInterval(20, meanOf(DATA), { seed: 5 });
    const big = DATA.flatMap((x) => [x, x, x, x]);
    const large = bootstrapInterval(80, meanOf(big), { seed: 5 });
    expect(small.low).toBeLessThan(small.estimate);
    expect(small.high).toBeGreaterThan(small.estimate);
    expect(large.high - large.low).toBeLessThan(0.7 * (small.high - small.low));
  });

  it('gives a zero-width interval for a constant statistic', () => {
    expect(bootstrapInterval(4, () => 0.25, { seed: 9, resamples: 50 })).toEqual({
      estimate: 0.25,
      low: 0.25,
      high: 0.25,
      resamples: 50,
      level: 0.95,
    });
  });

  it('rejects bad options and a non-finite statistic', () => {
    const stat = meanOf(DATA);
    expect(() => bootstrapInterval(0, stat, { seed: 1 })).toThrow('bootstrapInterval: n must be an integer >= 1, got 0');
    expect(() => bootstrapInterval(20, stat, { seed: 1, resamples: 0 })).toThrow(
      'bootstrapInterval: resamples must be an integer >= 1, got 0',
    );
    expect(() => bootstrapInterval(20, stat, { seed: 1, level: 1 })).toThrow('bootstrapInterval: level must be in (0, 1), got 1');
    let calls = 0;
    expect(() => bootstrapInterval(20, () => (++calls === 3 ? NaN : 1), { seed: 1 })).toThrow(
      'bootstrapInterval: the statistic returned NaN on resample 1; every resample needs a finite value',
    );
  });
});

describe('bootstrapInterval with skipUndefined', () => {
  it('leaves out the resamples where the statistic is NaN and takes the percentiles of the rest', () => {
    // Mean of DATA over the drawn items that are < 5 (undefined when none is drawn): n = 6 items,
    // one of them (index 0) defined, so about (5/6)^6 = 33% of resamples are undefined.
    const data = [0.5, 9, 9, 9, 9, 9];
    const stat = (idx: Int32Array) => {
      const kept = Array.from(idx).filter((i) => data[i]! < 5);
      return kept.length === 0 ? NaN : kept.reduce((a, i) => a + data[i]!, 0) / kept.length;
    };
    expect(() => bootstrapInterval(6, stat, { seed: 2, resamples: 300 })).toThrow(/returned NaN/);
    const r = bootstrapInterval(6, stat, { seed: 2, resamples: 300, skipUndefined: true });
    // Every defined resample's statistic is 0.5: the interval is [0.5, 0.5], not [0, 0.5].
    expect(r).toMatchObject({ estimate: 0.5, low: 0.5, high: 0.5 });
    const undefinedCount = [...bootstrapResamples(6, 300, 2)].filter((idx) => !idx.includes(0)).length;
    expect(undefinedCount).toBeGreaterThan(50);
    expect(r.resamples).toBe(300 - undefinedCount);
  });
  it('still refuses an infinite statistic, and gives NaN bounds when no resample is defined', () => {
    expect(() => bootstrapInterval(3, () => Infinity, { seed: 1, resamples: 5, skipUndefined: true })).toThrow(/returned Infinity/);
    expect(bootstrapInterval(3, () => NaN, { seed: 1, resamples: 5, skipUndefined: true })).toMatchObject({ low: NaN, high: NaN, resamples: 0 });
  });
});

describe('pairedBootstrapDifference', () => {
  it('feeds the same indices to both statistics', () => {
    const a: number[][] = [];
    const b: number[][] = [];
    pairedBootstrapDifference(
      6,
      (idx) => (a.push(Array.from(idx)), 0),
      (idx) => (b.push(Array.from(idx)), 0),
      { seed: 11, resamples: 20 },
    );
    expect(a).toHaveLength(21);
    expect(a).toEqual(b);
  });

  it('is the interval of A - B: a constant offset gives a zero-width interval', () => {
    // B = A - 0.1 on every resample: unpaired intervals would be wide, the paired one is a point.
    const statA = meanOf(DATA);
    const statB = meanOf(DATA.map((x) => x - 0.1));
    const r = pairedBootstrapDifference(20, statA, statB, { seed: 'pair' });
    expect(r.estimate).toBeCloseTo(0.1, 12);
    expect(r.low).toBeCloseTo(0.1, 12);
    expect(r.high).toBeCloseTo(0.1, 12);
  });

  it('equals the bootstrap of the per-resample difference', () => {
    const other = DATA.map((x, i) => (i % 3 === 0 ? x + 1 : x));
    const paired = pairedBootstrapDifference(20, meanOf(other), meanOf(DATA), { seed: 4, resamples: 300 });
    const direct = bootstrapInterval(20, (idx) => meanOf(other)(idx) - meanOf(DATA)(idx), { seed: 4, resamples: 300 });
    expect(paired).toEqual(direct);
    expect(paired.low).toBeGreaterThan(0); // item 0, 3, ... gain 1: A is clearly larger
  });

  it('rejects bad options with its own name', () => {
    expect(() => pairedBootstrapDifference(3, () => 0, () => 0, { seed: 1, level: 0 })).toThrow(
      'pairedBootstrapDifference: level must be in (0, 1), got 0',
    );
  });
});
