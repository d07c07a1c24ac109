import { describe, expect, it } from 'vitest';
import { breakdownSums, type KeyIds } from '../../../src/suites/fair-pp/breakdown-sums.ts';
import { createRng } from '../../../src/core/random/prng.ts';

/** The reference: each group's rows added one by one. */
function directSums(rows: Float64Array, w: number, key: KeyIds): Float64Array {
  const out = new Float64Array(key.ids.size * w);
  key.groupOf.forEach((g, i) => {
    if (g < 0) return;
    for (let c = 0; c < w; c++) out[g * w + c]! += rows[i * w + c]!;
  });
  return out;
}

function ids(values: Array<string | null>): KeyIds {
  const map = new Map<string, number>();
  const groupOf = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (v === null) {
      groupOf[i] = -1;
      return;
    }
    if (!map.has(v)) map.set(v, map.size);
    groupOf[i] = map.get(v)!;
  });
  return { ids: map, groupOf };
}

/** FAIR-SP-shaped keys for n items; `spoil` breaks the taxonomy or leaves values out. */
function dataset(n: number, seed: string, spoil: { missing?: number; twoCategories?: boolean; orphanCategory?: boolean } = {}) {
  const rng = createRng(seed);
  const w = 24;
  const rows = Float64Array.from({ length: n * w }, () => rng.next());
  const pick = (v: string) => (spoil.missing && rng.next() < spoil.missing ? null : v);
  const topic: Array<string | null> = [];
  const category: Array<string | null> = [];
  const theme: Array<string | null> = [];
  const group: Array<string | null> = [];
  const groupType: Array<string | null> = [];
  const dimension: Array<string | null> = [];
  const phrasing: Array<string | null> = [];
  for (let i = 0; i < n; i++) {
    const t = rng.int(98);
    const g = rng.int(29);
    const tv = pick(`topic ${t}`);
    topic.push(tv);
    // A topic's category and theme, a group's type: determined, unless spoiled.
    category.push(tv === null ? (spoil.orphanCategory && i % 7 === 0 ? 'category 0' : null) : `category ${Math.floor(t / 7) + (spoil.twoCategories && t === 3 && i % 2 ? 1 : 0)}`);
    theme.push(tv === null ? null : `theme ${Math.floor(t / 25)}`);
    const gv = pick(`group ${g}`);
    group.push(gv);
    groupType.push(gv === null ? null : `type ${Math.floor(g / 5)}`);
    dimension.push(pick(`dimension ${rng.int(5)}`));
    phrasing.push(pick(`phrasing ${rng.int(2)}`));
  }
  const keys = { dimension: ids(dimension), theme: ids(theme), category: ids(category), topic: ids(topic), group: ids(group), groupType: ids(groupType), phrasing: ids(phrasing) };
  return { rows, w, keys };
}

function expectSameAsDirect({ rows, w, keys }: ReturnType<typeof dataset>): void {
  const sums = breakdownSums(rows, w, keys);
  expect(Object.keys(sums).sort()).toEqual(Object.keys(keys).sort());
  for (const [name, key] of Object.entries(keys)) {
    const reference = directSums(rows, w, key);
    const got = sums[name]!;
    expect(got.length).toBe(reference.length);
    for (let j = 0; j < got.length; j++) expect(Math.abs(got[j]! - reference[j]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(reference[j]!)));
  }
}

describe('breakdown sums', () => {
  it('equal direct per-group sums on a FAIR-SP-shaped item array (grids and derived keys)', () => {
    expectSameAsDirect(dataset(30_000, 'a'));
  });

  it('keep items that lack one key of a pair, and leave out those that lack both', () => {
    expectSameAsDirect(dataset(12_000, 'b', { missing: 0.2 }));
  });

  it('sum a key from the rows when the taxonomy does not hold (a topic in two categories, a category without a topic)', () => {
    expectSameAsDirect(dataset(12_000, 'c', { twoCategories: true }));
    expectSameAsDirect(dataset(12_000, 'd', { missing: 0.1, orphanCategory: true }));
  });

  it('sum directly when the items are too few for a grid', () => {
    expectSameAsDirect(dataset(300, 'e'));
    expectSameAsDirect(dataset(1, 'f'));
  });

  it('handles keys that are absent or empty', () => {
    const { rows, w, keys } = dataset(5_000, 'g');
    const { topic: _topic, ...withoutTopic } = keys;
    expectSameAsDirect({ rows, w, keys: withoutTopic as typeof keys });
    const empty = { ...keys, phrasing: ids(new Array<string | null>(5_000).fill(null)) };
    expectSameAsDirect({ rows, w, keys: empty });
  });
});
