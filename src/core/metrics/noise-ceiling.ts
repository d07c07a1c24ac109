/**
 * Sampling-noise ceiling of an anchor (SPEC section 4): the similarity an anchor reaches against
 * itself once its finite item count is taken into account. A model scoring near the ceiling is as
 * close to the anchor as a re-drawn anchor of the same size would be.
 */
import { createRng } from '../random/prng.ts';
import { assertInteger } from './checks.ts';
import { normalizeAs } from './distribution.ts';
import { jsSimilarity } from './jensen-shannon.ts';

/** Options of `noiseCeiling`. */
export interface NoiseCeilingOptions {
  /** Number of multinomial resamples (default 1000). */
  resamples?: number;
  /** Seed of the PRNG (number or string), as for the bootstrap. */
  seed: number | string;
  /** Log base of the Jensen-Shannon distance (default e, the official FAIR-SP score). */
  base?: number;
}

/**
 * Noise ceiling = (1/B) sum_b jsSimilarity(p, p_hat_b, base), where p is the anchor's whole-split
 * distribution (normalised; counts may be passed), and p_hat_b is the share of each option among
 * `itemCount` independent draws from p (a multinomial resample at the anchor's real item count).
 *
 * Reproducibility contract: one `createRng(seed)` per call; resample b = 0..B-1 makes draws
 * i = 0..itemCount-1 in order, each with u = rng.next() mapped to the first option k with
 * u < p_0 + ... + p_k (an option of probability 0 is never drawn; if rounding leaves the total
 * below u, the last option with p_k > 0 is taken).
 *
 * A one-hot anchor gives exactly 1 (every resample equals it). The ceiling rises towards 1 as
 * itemCount grows.
 *
 * Throws when itemCount or resamples is not a positive integer, or the anchor is invalid
 * (empty, negative, NaN, all zeros).
 */
export function noiseCeiling(anchor: readonly number[], itemCount: number, options: NoiseCeilingOptions): number {
  const where = 'noiseCeiling';
  const resamples = options.resamples ?? 1000;
  assertInteger(where, 'itemCount', itemCount);
  assertInteger(where, 'resamples', resamples);
  const p = normalizeAs(where, 'anchor', anchor);
  const k = p.length;

  const cdf = new Array<number>(k);
  let running = 0;
  let lastPositive = 0;
  for (let c = 0; c < k; c++) {
    running += p[c]!;
    cdf[c] = running;
    if (p[c]! > 0) lastPositive = c;
  }

  const rng = createRng(options.seed);
  const counts = new Array<number>(k);
  let sum = 0;
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let i = 0; i < itemCount; i++) {
      const u = rng.next();
      let c = 0;
      while (c < k && !(u < cdf[c]!)) c++;
      counts[c < k ? c : lastPositive]!++;
    }
    sum += jsSimilarity(p, counts.map((n) => n / itemCount), options.base);
  }
  return sum / resamples;
}
