/**
 * Choosing which items a run covers. A quick run of a few hundred items should stand for the
 * whole set, so the default sample is stratified: items are grouped by the suite's strata
 * (e.g. dimension x phrasing), each stratum gets a share of the sample proportional to its size
 * (largest remainders, ties to the larger stratum then the earlier key), and items are drawn
 * within each stratum without replacement by a seeded shuffle.
 *
 * Nested draws (the default): each stratum shuffles with its own generator, seeded by the seed
 * and the stratum's key, so a larger sample with the same seed draws the smaller one's items
 * first and contains them (wherever a stratum's quota does not shrink, which largest remainders
 * allow only rarely). Two runs of different sizes then share as many questions as they can, and
 * a comparison of them keeps its pairs. Records made before (no `nested` in their sample) drew
 * every stratum from one generator; they are resumed that way.
 */
import { createRng } from '../random/prng.ts';
import type { Item } from './item.ts';

export type SampleStrategy = 'all' | 'first' | 'stratified';

export interface SampleRequest {
  strategy: SampleStrategy;
  limit?: number;
  seed: number;
  stratifyBy: string[];
  /** Per-stratum generators (see above); false only to rebuild a sample made before. Default true. */
  nested?: boolean;
}

/** A note for a sample size the set cannot fill (the whole set is then scored), else null. */
export function sampleSizeNote(request: Pick<SampleRequest, 'strategy' | 'limit'>, available: number): string | null {
  if (request.strategy === 'all' || request.limit === undefined || request.limit <= available) return null;
  return `${request.limit} questions were asked for, but this set has ${available}: all ${available} are scored`;
}

export function sampleItems(items: readonly Item[], request: SampleRequest): Item[] {
  const limit = request.limit;
  if (request.strategy === 'all' || limit === undefined || limit >= items.length) return [...items];
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the sample size must be a positive integer, got ${limit}`);
  if (request.strategy === 'first') return items.slice(0, limit);

  const strata = new Map<string, Item[]>();
  for (const item of items) {
    const key = request.stratifyBy.map((k) => String(item.meta[k] ?? '')).join('\u0000');
    let bucket = strata.get(key);
    if (!bucket) strata.set(key, (bucket = []));
    bucket.push(item);
  }
  const keys = [...strata.keys()].sort();
  const quotas = keys.map((k) => (strata.get(k)!.length * limit) / items.length);
  const counts = quotas.map(Math.floor);
  let left = limit - counts.reduce((a, b) => a + b, 0);
  const order = keys
    .map((k, i) => ({ i, remainder: quotas[i]! - counts[i]!, size: strata.get(k)!.length }))
    .sort((a, b) => b.remainder - a.remainder || b.size - a.size || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }

  const nested = request.nested ?? true;
  const shared = createRng(request.seed);
  const chosen = new Set<Item>();
  keys.forEach((key, i) => {
    const rng = nested ? createRng(`${request.seed}\u0000${key}`) : shared;
    const bucket = [...strata.get(key)!];
    // Partial Fisher-Yates: the first counts[i] positions are a uniform sample.
    for (let j = 0; j < counts[i]!; j++) {
      const pick = j + rng.int(bucket.length - j);
      [bucket[j], bucket[pick]] = [bucket[pick]!, bucket[j]!];
      chosen.add(bucket[j]!);
    }
  });
  // Keep the source's order so runs read naturally.
  return items.filter((item) => chosen.has(item));
}
