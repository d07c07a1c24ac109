import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../src/core/record/compare.ts';
import type { ItemResult, RunRecord } from '../../../src/core/record/schema.ts';
import { fairPpStatistics } from '../../../src/suites/fair-pp/score.ts';

const hot = (k: number) => [0, 1, 2].map((i) => (i === k ? 1 : 0));
function record(id: string, items: ItemResult[], overrides: Partial<RunRecord['scoring']> = {}): RunRecord {
  return {
    format: 'pluralscope.run',
    version: 1,
    id,
    status: 'complete',
    createdAt: '',
    updatedAt: '',
    producer: { name: 't', version: '0' },
    suite: { id: 'fair-pp', version: '1', options: { split: 'test' }, data: { source: 'x', files: [], licence: 'x', citation: 'x' } },
    model: { ref: id, kind: 'baseline', id },
    runtime: { device: 'none', libraries: {} },
    scoring: { mode: 'likelihood', order: 'fixed', seed: 0, template: { id: 't', hash: 'h', user: 'u', option: 'o', optionSeparator: '\n' }, ...overrides },
    sample: { strategy: 'all', seed: 0, itemSetHash: 'same', total: items.length },
    items,
    events: [],
  };
}

// Segment S1 always answers A. Model A answers A on 80% of items; model B on 40%.
const items = (share: number): ItemResult[] =>
  Array.from({ length: 100 }, (_, i) => ({ id: `q${i}`, meta: {}, refs: { anchors: { S1: hot(0) } }, options: ['a', 'b', 'n'], distribution: hot(i < share * 100 ? 0 : 1) }));

describe('comparing runs', () => {
  it('pairs items by id and gives a paired interval for each headline difference', () => {
    const c = compareRuns(record('a', items(0.8)), record('b', items(0.4)), fairPpStatistics, { seed: 1, resamples: 500 });
    expect(c.matched).toBe(100);
    expect(c.warnings).toEqual([]);
    const d = c.differences.find((x) => x.key === 'similarity.S1')!;
    // SciPy, over all 100 matched items: 1 - jensenshannon([.8,.2,0], [1,0,0]) = 0.7263546791513615,
    // 1 - jensenshannon([.4,.6,0], [1,0,0]) = 0.47620760930473105, difference 0.2501470698466305.
    expect(d.a).toBeCloseTo(0.7263546791513615, 12);
    expect(d.b).toBeCloseTo(0.47620760930473105, 12);
    expect(d.difference).toBeCloseTo(0.2501470698466305, 12);
    expect(d.low!).toBeGreaterThan(0); // clearly better: the interval excludes 0
    expect(d.high!).toBeGreaterThanOrEqual(d.difference);
  });

  it('a segment that answered few shared questions: its difference interval leaves out resamples without them', () => {
    // S2 answered only q0 (A). Model A always says A, model B always [.5, .5, 0]: on every
    // resample that draws q0 the difference is 1 - 0.5354985959775411 (1 - JSD, Python), so the
    // interval has zero width; counting the resamples without q0 as 0 - 0 stretched it to 0.
    const run = (distribution: number[]) =>
      items(0).map((it, i) => ({ ...it, distribution, refs: { anchors: i === 0 ? { S1: hot(0), S2: hot(0) } : { S1: hot(0) } } }));
    const a = run(hot(0));
    const b = run([0.5, 0.5, 0]);
    const c = compareRuns(record('a', a), record('b', b), fairPpStatistics, { seed: 1, resamples: 300 });
    const d = c.differences.find((x) => x.key === 'similarity.S2')!;
    expect(d.difference).toBeCloseTo(1 - 0.5354985959775411, 12);
    expect(d.low).toBeCloseTo(d.difference, 12);
    expect(d.high).toBeCloseTo(d.difference, 12);
    // No segment answered by neither run's shared questions is listed.
    const none = compareRuns(record('a', items(0.8)), record('b', items(0.4)), (xs) => ({ ...fairPpStatistics(xs), 'similarity.S9': { label: 'S9', of: () => NaN } }), { seed: 1, resamples: 50 });
    expect(none.differences.map((x) => x.key)).toEqual(['similarity.S1']);
  });

  it('warns when the runs were made differently, and compares only shared items', () => {
    const b = record('b', items(0.4).slice(0, 60), { mode: 'generate', order: 'cyclic', template: { id: 'other', hash: 'h2', user: 'u', option: 'o', optionSeparator: '\n' } });
    b.sample.itemSetHash = 'other';
    const c = compareRuns(record('a', items(0.8)), b, fairPpStatistics, { seed: 1, resamples: 0 });
    expect(c.matched).toBe(60);
    expect(c.onlyA).toBe(40);
    // Over the 60 shared items A always answers A (similarity 1); B answers A on 40 of them:
    // SciPy 1 - jensenshannon([2/3,1/3,0], [1,0,0]) = 0.6362636604367137.
    const d = c.differences.find((x) => x.key === 'similarity.S1')!;
    expect(d.a).toBeCloseTo(1, 12);
    expect(d.b).toBeCloseTo(0.6362636604367137, 12);
    expect(c.warnings.join('\n')).toMatch(/prompt templates/);
    expect(c.warnings.join('\n')).toMatch(/scoring modes/);
    expect(c.warnings.join('\n')).toMatch(/option order/);
    expect(c.warnings.join('\n')).toMatch(/question sets/);
  });
});
