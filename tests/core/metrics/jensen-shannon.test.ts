import { describe, expect, it } from 'vitest';
import { jensenShannonDistance, jsSimilarity } from '../../../src/core/metrics/jensen-shannon.ts';

/** |a - b| <= 1e-12: the precision required of the SPEC section 5 vectors. */
function expectClose(a: number, b: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12);
}

describe('jensenShannonDistance: SPEC section 5 vectors (SciPy)', () => {
  it('natural log, the official FAIR-SP score', () => {
    // scipy.spatial.distance.jensenshannon([0.6,0.3,0.1],[0.2,0.5,0.3])
    expectClose(jensenShannonDistance([0.6, 0.3, 0.1], [0.2, 0.5, 0.3]), 0.30186221778398753);
    expectClose(jsSimilarity([0.6, 0.3, 0.1], [0.2, 0.5, 0.3]), 0.6981377822160124);
  });

  it('base 2', () => {
    expectClose(jensenShannonDistance([0.6, 0.3, 0.1], [0.2, 0.5, 0.3], 2), 0.362573474146323);
    expectClose(jsSimilarity([0.6, 0.3, 0.1], [0.2, 0.5, 0.3], 2), 0.637426525853677);
    expectClose(jensenShannonDistance([1, 0, 0], [0, 1, 0], 2), 1.0);
    expectClose(jensenShannonDistance([0.5, 0.5, 0], [0.25, 0.25, 0.5], 2), 0.5579230452841438);
  });
});

describe('jensenShannonDistance: more SciPy vectors', () => {
  // Computed with SciPy 1.17.1, scipy.spatial.distance.jensenshannon(p, q[, base]).
  it('normalises raw counts like SciPy', () => {
    // jensenshannon([1,2,3],[3,2,1])
    expectClose(jensenShannonDistance([1, 2, 3], [3, 2, 1]), 0.29531004717204934);
    // jensenshannon([10,0,5],[1,1,1], base=10)
    expectClose(jensenShannonDistance([10, 0, 5], [1, 1, 1], 10), 0.24993872910005357);
    // jensenshannon([0.5,0.5,0],[0.25,0.25,0.5])
    expectClose(jensenShannonDistance([0.5, 0.5, 0], [0.25, 0.25, 0.5]), 0.464501404022459);
  });

  it('reaches sqrt(ln 2) for disjoint supports in natural log', () => {
    // jensenshannon([1,0,0],[0,1,0]) = sqrt(ln 2) = 0.8325546111576977
    expectClose(jensenShannonDistance([1, 0, 0], [0, 1, 0]), Math.sqrt(Math.LN2));
    expectClose(jensenShannonDistance([1, 0, 0], [0, 1, 0]), 0.8325546111576977);
    expectClose(jsSimilarity([1, 0], [0, 1]), 1 - 0.8325546111576977);
  });

  it('matches on a 10-option vector with zeros on each side', () => {
    // numpy.random.default_rng(2024): p = rng.random(10), q = rng.random(10), q[3] = 0, p[7] = 0
    const p = [0.6758313379812818, 0.21432320123825765, 0.3094520308816917, 0.7994660967748332, 0.9958020988654668,
      0.1422318152800518, 0.07872553376199898, 0.0, 0.35964689168935093, 0.16961924970704834];
    const q = [0.5887593155397302, 0.6168075138237781, 0.10538567974837565, 0.0, 0.00462964332838578,
      0.4651191994088223, 0.9756221976285376, 0.7994284384514969, 0.5968223667041186, 0.3253496550827225];
    expectClose(jensenShannonDistance(p, q), 0.5499802956616976);
    expectClose(jensenShannonDistance(p, q, 2), 0.660593657510262);
  });
});

describe('jensenShannonDistance: properties', () => {
  it('is 0 for equal inputs (also as counts) and symmetric', () => {
    expect(jensenShannonDistance([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
    expect(jensenShannonDistance([2, 3, 5], [0.2, 0.3, 0.5])).toBe(0);
    expect(jsSimilarity([1, 0, 0], [1, 0, 0])).toBe(1);
    const p = [0.7, 0.2, 0.1];
    const q = [0.1, 0.1, 0.8];
    expectClose(jensenShannonDistance(p, q), jensenShannonDistance(q, p));
  });

  it('returns 0, not NaN, when rounding makes the divergence slightly negative', () => {
    // These nearly equal vectors give a divergence of about -6.7e-17 in floating point;
    // scipy.spatial.distance.jensenshannon(p, q) returns nan (sqrt of a negative) for them.
    const p = [0.06894725213712571, 0.05501973477548283, 0.8096633930496568];
    const q = [0.06894725213712569, 0.05501973477548281, 0.8096633930496567];
    expect(jensenShannonDistance(p, q)).toBe(0);
  });
});

describe('jensenShannonDistance: input validation', () => {
  it('rejects length mismatch, empty, negative, NaN and all-zero inputs', () => {
    expect(() => jensenShannonDistance([0.5, 0.5], [1, 0, 0])).toThrow('jensenShannonDistance: p has length 2 but q has length 3');
    expect(() => jensenShannonDistance([], [])).toThrow('jensenShannonDistance: p is empty');
    expect(() => jensenShannonDistance([0.5, 0.5], [1.1, -0.1])).toThrow('jensenShannonDistance: q[1] is negative (-0.1)');
    expect(() => jensenShannonDistance([NaN, 1], [0.5, 0.5])).toThrow('jensenShannonDistance: p[0] is not a finite number (NaN)');
    expect(() => jensenShannonDistance([0, 0], [0.5, 0.5])).toThrow('jensenShannonDistance: p is all zeros');
    expect(() => jsSimilarity([0.5, 0.5], [0.5])).toThrow('p has length 2 but q has length 1');
  });

  it('rejects a meaningless log base', () => {
    for (const base of [1, 0, -2, NaN, Infinity]) {
      expect(() => jensenShannonDistance([0.5, 0.5], [0.2, 0.8], base)).toThrow(
        `jensenShannonDistance: base must be a finite number > 0 other than 1, got ${base}`,
      );
    }
  });
});

describe('jsSimilarityFast (the scoring hot path)', () => {
  it('equals jsSimilarity bit for bit on valid inputs, counts included', async () => {
    const { jsSimilarity, jsSimilarityFast } = await import('../../../src/core/metrics/index.ts');
    const { createRng } = await import('../../../src/core/random/prng.ts');
    const rng = createRng('fast-jsd');
    for (let t = 0; t < 5000; t++) {
      const k = 2 + rng.int(6);
      const p = Array.from({ length: k }, () => (rng.next() < 0.2 ? 0 : rng.next() * 10));
      const q = Array.from({ length: k }, () => (rng.next() < 0.2 ? 0 : rng.int(50)));
      if (p.every((x) => x === 0) || q.every((x) => x === 0)) continue;
      expect(jsSimilarityFast(p, q)).toBe(jsSimilarity(p, q));
    }
    // SPEC vector: 1 - 0.30186221778398753.
    expect(jsSimilarityFast([0.6, 0.3, 0.1], [0.2, 0.5, 0.3])).toBeCloseTo(0.6981377822160124, 15);
    expect(jsSimilarityFast([0, 0, 0], [1, 0, 0])).toBeNaN();
    // Rows inside flat arrays, read in place: the same numbers as the rows copied out.
    const flat = new Float64Array([9, 9, 0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0, 0, 0]);
    expect(jsSimilarityFast(flat, flat, 2, 5, 3)).toBe(jsSimilarityFast([0.6, 0.3, 0.1], [0.2, 0.5, 0.3]));
    expect(jsSimilarityFast(flat, flat, 2, 8, 3)).toBeNaN();
  });
});
