import { describe, expect, it } from 'vitest';
import { leanByGroupAndTopic } from '../../src/app/lib/fair-pp-lean.ts';

const item = (group: string | undefined, topic: string | undefined, distribution: number[] | null) => ({
  meta: { ...(group === undefined ? {} : { group }), ...(topic === undefined ? {} : { topic }) },
  distribution,
});

// Expected values computed by hand: per (group, topic), the mean of P(first) - P(second).
describe('FAIR-SP lean by social group and topic', () => {
  it('averages first minus second option over each cell, in first-seen order', () => {
    const cells = leanByGroupAndTopic([
      item('Women', 'Pensions', [0.7, 0.2, 0.1]), // 0.5
      item('Farmers', 'Pensions', [0.1, 0.6, 0.3]), // -0.5
      item('Women', 'Pensions', [0.2, 0.5, 0.3]), // -0.3
      item('Women', 'Housing', [0.4, 0.4, 0.2]), // 0
      item('Women', 'Pensions', [0.9, 0.0, 0.1]), // 0.9
    ]);
    expect(cells.map((c) => [c.group, c.topic, c.n])).toEqual([
      ['Women', 'Pensions', 3],
      ['Farmers', 'Pensions', 1],
      ['Women', 'Housing', 1],
    ]);
    // (0.5 - 0.3 + 0.9) / 3 = 1.1 / 3 = 0.36666...
    expect(cells[0]!.lean).toBeCloseTo(1.1 / 3, 12);
    expect(cells[1]!.lean).toBeCloseTo(-0.5, 12);
    expect(cells[2]!.lean).toBeCloseTo(0, 12);
  });

  it('ignores the N/A share: only the two poles count', () => {
    // 0.3 - 0.1 = 0.2, whatever the remaining 0.6 on N/A
    expect(leanByGroupAndTopic([item('Retirees', 'Tax', [0.3, 0.1, 0.6])])[0]!.lean).toBeCloseTo(0.2, 12);
  });

  it('leaves out items with no answer, no group or no topic', () => {
    const cells = leanByGroupAndTopic([
      item('Women', 'Tax', null),
      item(undefined, 'Tax', [1, 0, 0]),
      item('Women', undefined, [1, 0, 0]),
      item('', 'Tax', [1, 0, 0]),
      item('Women', 'Tax', [0, 1, 0]), // -1
    ]);
    expect(cells).toEqual([{ group: 'Women', topic: 'Tax', lean: -1, n: 1 }]);
  });

  it('keeps a group and topic apart even when their texts run together', () => {
    // "ab" + "c" and "a" + "bc" are different cells.
    const cells = leanByGroupAndTopic([item('ab', 'c', [1, 0, 0]), item('a', 'bc', [0, 1, 0])]);
    expect(cells.map((c) => c.lean)).toEqual([1, -1]);
  });

  it('is empty without items', () => {
    expect(leanByGroupAndTopic([])).toEqual([]);
  });
});
