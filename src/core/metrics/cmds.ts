/**
 * Classical multidimensional scaling (Torgerson-Gower), the FAIR-SP landscape: models and segments
 * placed in a plane from their pairwise distances. Called cMDS in code to keep it apart from the
 * Modal Diversity Score (MDS).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { assertInteger, assertNonEmpty } from './checks.ts';

/** Relative tolerance for the symmetry and zero-diagonal checks on the distance matrix. */
const SYMMETRY_TOLERANCE = 1e-9;

/** A cMDS embedding. */
export interface CmdsResult {
  /** One row per point, `dimensions` columns. Unique only up to rotation and reflection. */
  coordinates: number[][];
  /** All n eigenvalues of the double-centred matrix B, in descending order (negative ones say the distances are not exactly Euclidean). */
  eigenvalues: number[];
  /** Per axis: max(lambda_a, 0) / sum_j max(lambda_j, 0), the share of variance the axis explains. */
  explained: number[];
  /** Sum of `explained`: the share of variance the embedding explains, in [0, 1]. */
  totalExplained: number;
}

/**
 * Classical MDS of an n x n distance matrix into `dimensions` axes (default 2):
 *
 *   B = -1/2 * J D^(2) J,   J = I - (1/n) 1 1^T,   D^(2)_ij = d_ij^2   (double centring),
 *   B = V diag(lambda) V^T  (ml-matrix EigenvalueDecomposition, symmetric),
 *   coordinates[:, a] = v_a * sqrt(max(lambda_a, 0))   for the `dimensions` largest eigenvalues.
 *
 * If the distances are Euclidean in <= `dimensions` dimensions, the returned points reproduce them
 * exactly (to rounding); otherwise the embedding is the best least-squares fit of B.
 * Axes beyond n (or with a non-positive eigenvalue) are all zeros.
 *
 * Sign convention (deterministic output): each axis is flipped so that its largest-|value|
 * eigenvector component is positive (on equal magnitudes, the lowest point index decides).
 * Eigenvalue ties are ordered by the decomposition's own order.
 *
 * Share of variance: per axis max(lambda_a, 0) / sum_j max(lambda_j, 0) over all n eigenvalues;
 * all zeros when every point coincides (nothing to explain).
 *
 * The matrix is symmetrised as (D + D^T) / 2 and its diagonal set to 0, after checking that
 * |d_ij - d_ji| and |d_ii| are at most 1e-9 * max(1, max d): distances computed as f(p, q) and
 * f(q, p) may differ in the last bit. Throws when the matrix is empty or not square, an entry is
 * negative, NaN or infinite, it is not symmetric with a zero diagonal within that tolerance, or
 * `dimensions` is not a positive integer.
 */
export function cMDS(distances: readonly (readonly number[])[], dimensions = 2): CmdsResult {
  const where = 'cMDS';
  assertNonEmpty(where, 'distances', distances);
  assertInteger(where, 'dimensions', dimensions);
  const d = checkedDistances(where, distances);
  const n = d.length;

  // B = -1/2 J D^(2) J, computed entry-wise: b_ij = -1/2 (s_ij - rowMean_i - colMean_j + grandMean),
  // with s_ij = d_ij^2 (row and column means are equal because D is symmetric).
  const squared = d.map((row) => row.map((x) => x * x));
  const rowMean = squared.map((row) => row.reduce((sum, x) => sum + x, 0) / n);
  const grandMean = rowMean.reduce((sum, x) => sum + x, 0) / n;
  const b = squared.map((row, i) => row.map((s, j) => -0.5 * (s - rowMean[i]! - rowMean[j]! + grandMean)));

  const evd = new EigenvalueDecomposition(new Matrix(b), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((i, j) => values[j]! - values[i]! || i - j);
  const eigenvalues = order.map((i) => values[i]!);

  let positiveSum = 0;
  for (const lambda of eigenvalues) if (lambda > 0) positiveSum += lambda;

  const coordinates = Array.from({ length: n }, () => new Array<number>(dimensions).fill(0));
  const explained = new Array<number>(dimensions).fill(0);
  for (let a = 0; a < Math.min(dimensions, n); a++) {
    const lambda = eigenvalues[a]!;
    if (!(lambda > 0)) continue;
    const column = vectors.getColumn(order[a]!);
    const scale = Math.sqrt(lambda) * signOfLargest(column);
    for (let i = 0; i < n; i++) coordinates[i]![a] = column[i]! * scale;
    explained[a] = lambda / positiveSum;
  }
  const totalExplained = explained.reduce((sum, x) => sum + x, 0);
  return { coordinates, eigenvalues, explained, totalExplained };
}

/** +1 or -1: the sign that makes the largest-|value| entry positive (first such entry on ties). */
function signOfLargest(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[best]!)) best = i;
  return v[best]! < 0 ? -1 : 1;
}

/** The validated, symmetrised distance matrix with a zero diagonal. */
function checkedDistances(where: string, distances: readonly (readonly number[])[]): number[][] {
  const n = distances.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const row = distances[i]!;
    if (row.length !== n) throw new RangeError(`${where}: distances must be square: row ${i} has length ${row.length}, expected ${n}`);
    for (let j = 0; j < n; j++) {
      const x = row[j]!;
      if (!Number.isFinite(x)) throw new RangeError(`${where}: distances[${i}][${j}] is not a finite number (${x})`);
      if (x < 0) throw new RangeError(`${where}: distances[${i}][${j}] is negative (${x})`);
      if (x > max) max = x;
    }
  }
  const tolerance = SYMMETRY_TOLERANCE * Math.max(1, max);
  return distances.map((row, i) =>
    row.map((x, j) => {
      if (i === j) {
        if (x > tolerance) throw new RangeError(`${where}: distances[${i}][${i}] must be 0, got ${x}`);
        return 0;
      }
      const y = distances[j]![i]!;
      if (Math.abs(x - y) > tolerance) {
        throw new RangeError(`${where}: distances must be symmetric: [${i}][${j}] = ${x} but [${j}][${i}] = ${y}`);
      }
      return (x + y) / 2;
    }),
  );
}
