import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/core/items/item.ts';
import { sampleItems, sampleSizeNote } from '../../../src/core/items/sample.ts';

const items: Item[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `i${i}`,
  question: 'q',
  options: ['a', 'b'],
  fixedTail: 0,
  // strata of sizes 500 / 300 / 200
  meta: { stratum: i < 500 ? 'x' : i < 800 ? 'y' : 'z', other: i % 2 },
  refs: {},
}));

describe('stratified sampling', () => {
  it('allocates proportionally to stratum size', () => {
    const sample = sampleItems(items, { strategy: 'stratified', limit: 100, seed: 1, stratifyBy: ['stratum'] });
    expect(sample).toHaveLength(100);
    const count = (s: string) => sample.filter((i) => i.meta.stratum === s).length;
    expect([count('x'), count('y'), count('z')]).toEqual([50, 30, 20]);
  });

  it('uses largest remainders for the rounding', () => {
    // 7 items from 500/300/200: quotas 3.5, 2.1, 1.4 -> floors 3, 2, 1 (=6); the largest remainder (x) gets the 7th.
    const sample = sampleItems(items, { strategy: 'stratified', limit: 7, seed: 1, stratifyBy: ['stratum'] });
    const count = (s: string) => sample.filter((i) => i.meta.stratum === s).length;
    expect([count('x'), count('y'), count('z')]).toEqual([4, 2, 1]);
  });

  it('nests: a larger sample with the same seed contains the smaller one, so two runs of different sizes share their questions', () => {
    const ids = (limit: number) => new Set(sampleItems(items, { strategy: 'stratified', limit, seed: 5, stratifyBy: ['stratum', 'other'] }).map((i) => i.id));
    const sizes = [10, 20, 30, 50, 100, 200, 500];
    for (let k = 1; k < sizes.length; k++) {
      const small = ids(sizes[k - 1]!);
      const large = ids(sizes[k]!);
      expect([...small].filter((id) => !large.has(id)), `${sizes[k - 1]} in ${sizes[k]}`).toEqual([]);
    }
  });

  it('draws a sample made before nested draws as it was drawn then (nested: false), so such a run resumes on its own questions', () => {
    // The ids the previous implementation drew (one generator for every stratum), kept verbatim.
    const old = sampleItems(items, { strategy: 'stratified', limit: 12, seed: 7, stratifyBy: ['stratum'], nested: false });
    expect(old.map((i) => i.id)).toEqual(['i119', 'i217', 'i235', 'i348', 'i400', 'i432', 'i506', 'i577', 'i677', 'i760', 'i810', 'i876']);
  });

  it('is seeded: same seed same sample, other seed other sample; no duplicates; source order kept', () => {
    const a = sampleItems(items, { strategy: 'stratified', limit: 50, seed: 3, stratifyBy: ['stratum', 'other'] });
    const b = sampleItems(items, { strategy: 'stratified', limit: 50, seed: 3, stratifyBy: ['stratum', 'other'] });
    const c = sampleItems(items, { strategy: 'stratified', limit: 50, seed: 4, stratifyBy: ['stratum', 'other'] });
    expect(a.map((i) => i.id)).toEqual(b.map((i) => i.id));
    expect(a.map((i) => i.id)).not.toEqual(c.map((i) => i.id));
    expect(new Set(a.map((i) => i.id)).size).toBe(50);
    const positions = a.map((i) => Number(i.id.slice(1)));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
  });

  it('keeps everything when the limit covers the set, and takes the first N on request', () => {
    expect(sampleItems(items, { strategy: 'stratified', limit: 5000, seed: 1, stratifyBy: [] })).toHaveLength(1000);
    expect(sampleItems(items, { strategy: 'first', limit: 3, seed: 1, stratifyBy: [] }).map((i) => i.id)).toEqual(['i0', 'i1', 'i2']);
  });
  it('says so when the sample size is more than the set has (and only then)', () => {
    expect(sampleSizeNote({ strategy: 'stratified', limit: 5000 }, 1000)).toBe('5000 questions were asked for, but this set has 1000: all 1000 are scored');
    expect(sampleSizeNote({ strategy: 'first', limit: 1001 }, 1000)).toMatch(/^1001 questions were asked for/);
    expect(sampleSizeNote({ strategy: 'stratified', limit: 1000 }, 1000)).toBeNull();
    expect(sampleSizeNote({ strategy: 'stratified' }, 1000)).toBeNull();
    expect(sampleSizeNote({ strategy: 'all', limit: 5000 }, 1000)).toBeNull();
  });
});
