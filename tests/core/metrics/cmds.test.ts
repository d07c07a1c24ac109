import { describe, expect, it } from 'vitest';
import { cMDS } from '../../../src/core/metrics/cmds.ts';
import { jensenShannonDistance } from '../../../src/core/metrics/jensen-shannon.ts';
import { createRng } from '../../../src/core/random/prng.ts';

function euclidean(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

function distanceMatrix(points: readonly (readonly number[])[]): number[][] {
  return points.map((p) => points.map((q) => euclidean(p, q)));
}

/** Largest |d_ij(embedding) - d_ij(input)|. */
function maxDistanceError(coordinates: number[][], distances: number[][]): number {
  let worst = 0;
  for (let i = 0; i < distances.length; i++) {
    for (let j = 0; j < distances.length; j++) {
      worst = Math.max(worst, Math.abs(euclidean(coordinates[i]!, coordinates[j]!) - distances[i]![j]!));
    }
  }
  return worst;
}

describe('cMDS', () => {
  it('recovers the pairwise distances of truly 2-D points (coordinates are unique only up to rotation)', () => {
    const rng = createRng('cmds');
    for (const n of [3, 5, 12]) {
      const points = Array.from({ length: n }, () => [rng.next() * 10 - 5, rng.next() * 4]);
      const d = distanceMatrix(points);
      const r = cMDS(d);
      expect(r.coordinates).toHaveLength(n);
      expect(r.coordinates[0]).toHaveLength(2);
      expect(maxDistanceError(r.coordinates, d)).toBeLessThan(1e-9);
      expect(r.totalExplained).toBeCloseTo(1, 12);
    }
  });

  it('places collinear points on the first axis', () => {
    const d = distanceMatrix([[0], [1], [3], [7]]);
    const r = cMDS(d);
    expect(maxDistanceError(r.coordinates, d)).toBeLessThan(1e-9);
    for (const [, y] of r.coordinates) expect(Math.abs(y!)).toBeLessThan(1e-7);
    expect(r.explained[0]).toBeCloseTo(1, 12);
    expect(r.explained[1]).toBeCloseTo(0, 12);
  });

  it('reports the share of variance of 3-D points squeezed into 2-D (NumPy reference)', () => {
    // X = [[0,0,0],[3,0,0],[0,2,0],[0,0,1],[3,2,1]]; B = -1/2 J D^2 J; numpy.linalg.eigvalsh(B)
    // descending: 11.075906787467606, 4.591449289629641, 1.1326439229027587, ~0, ~0
    // shares of the positive sum: 0.6592801659206906, 0.27330055295414524; total 0.9325807188748358
    const points = [[0, 0, 0], [3, 0, 0], [0, 2, 0], [0, 0, 1], [3, 2, 1]];
    const r = cMDS(distanceMatrix(points));
    expect(r.eigenvalues[0]).toBeCloseTo(11.075906787467606, 12);
    expect(r.eigenvalues[1]).toBeCloseTo(4.591449289629641, 12);
    expect(r.eigenvalues[2]).toBeCloseTo(1.1326439229027587, 12);
    expect(r.eigenvalues).toHaveLength(5);
    expect(r.explained[0]).toBeCloseTo(0.6592801659206906, 12);
    expect(r.explained[1]).toBeCloseTo(0.27330055295414524, 12);
    expect(r.totalExplained).toBeCloseTo(0.9325807188748358, 12);
    // embedded distances from the NumPy eigh embedding: |y0 - y1| = 2.9962022718474777, |y1 - y4| = 2.0840209688615072
    expect(euclidean(r.coordinates[0]!, r.coordinates[1]!)).toBeCloseTo(2.9962022718474777, 9);
    expect(euclidean(r.coordinates[1]!, r.coordinates[4]!)).toBeCloseTo(2.0840209688615072, 9);
    // all three axes recover the 3-D distances exactly
    const r3 = cMDS(distanceMatrix(points), 3);
    expect(maxDistanceError(r3.coordinates, distanceMatrix(points))).toBeLessThan(1e-9);
    expect(r3.totalExplained).toBeCloseTo(1, 12);
  });

  it('embeds Jensen-Shannon distances between segments (the FAIR-SP landscape)', () => {
    const dists = [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.4, 0.4, 0.2], [0.1, 0.1, 0.8]];
    const d = dists.map((p) => dists.map((q) => jensenShannonDistance(p, q)));
    const r = cMDS(d, 3);
    // sqrt(JSD) is a Hilbertian metric: the double-centred matrix has no negative eigenvalue
    for (const lambda of r.eigenvalues) expect(lambda).toBeGreaterThan(-1e-12);
    expect(maxDistanceError(r.coordinates, d)).toBeLessThan(1e-9);
  });

  it('follows a deterministic sign convention: each axis has its largest-|value| entry positive', () => {
    // for these points ml-matrix returns both eigenvectors with their largest-|value| entry negative
    const d = distanceMatrix([[-1, 0], [-3, 1], [1, -3], [5, -2], [2, -1]]);
    const a = cMDS(d);
    expect(cMDS(d)).toEqual(a);
    for (let axis = 0; axis < 2; axis++) {
      const column = a.coordinates.map((row) => row[axis]!);
      const largest = column.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('pads axes beyond n with zeros and handles a single point', () => {
    expect(cMDS([[0]])).toEqual({ coordinates: [[0, 0]], eigenvalues: [0], explained: [0, 0], totalExplained: 0 });
    const r = cMDS([[0, 2], [2, 0]], 3);
    // two points 2 apart: +-1 on the first axis, the other axes zero
    expect(r.eigenvalues).toHaveLength(2);
    for (const row of r.coordinates) {
      expect(Math.abs(row[0]!)).toBeCloseTo(1, 12);
      expect(row.slice(1)).toEqual([0, 0]);
    }
    expect(euclidean(r.coordinates[0]!, r.coordinates[1]!)).toBeCloseTo(2, 12);
    expect(r.explained).toEqual([1, 0, 0]);
  });

  it('tolerates last-bit asymmetry but rejects invalid matrices', () => {
    expect(() => cMDS([[0, 1], [1 + 1e-15, 0]])).not.toThrow();
    expect(() => cMDS([])).toThrow('cMDS: distances is empty');
    expect(() => cMDS([[0, 1], [1]])).toThrow('cMDS: distances must be square: row 1 has length 1, expected 2');
    expect(() => cMDS([[0, 1], [2, 0]])).toThrow('cMDS: distances must be symmetric: [0][1] = 1 but [1][0] = 2');
    expect(() => cMDS([[0.5, 1], [1, 0]])).toThrow('cMDS: distances[0][0] must be 0, got 0.5');
    expect(() => cMDS([[0, -1], [-1, 0]])).toThrow('cMDS: distances[0][1] is negative (-1)');
    expect(() => cMDS([[0, NaN], [NaN, 0]])).toThrow('cMDS: distances[0][1] is not a finite number (NaN)');
    expect(() => cMDS([[0]], 0)).toThrow('cMDS: dimensions must be an integer >= 1, got 0');
  });
});
