import { describe, expect, it } from 'vitest';
import { comparisonWarnings, optionDifferences } from '../../../src/core/record/compare.ts';
import type { RunRecord } from '../../../src/core/record/schema.ts';

describe('different suite options', () => {
  it('are listed key by key, "key: A vs B", not as raw JSON', () => {
    expect(optionDifferences({ country: 'SGP', keep: '', minCount: 30 }, { country: 'SGP', keep: 'ethnicity=Chinese', minCount: 50, split: 'ood' })).toEqual([
      'keep: (empty) vs ethnicity=Chinese',
      'minCount: 30 vs 50',
      'split: (not set) vs ood',
    ]);
    expect(optionDifferences({ a: 1 }, { a: 1 })).toEqual([]);
  });

  it('make one readable warning', () => {
    const run = (options: Record<string, unknown>) =>
      ({ suite: { id: 's', options, data: { files: [] } }, scoring: { template: { hash: 'h', id: 't' }, mode: 'likelihood', order: 'fixed' }, sample: { itemSetHash: 'x' } }) as unknown as RunRecord;
    const warnings = comparisonWarnings(run({ minCount: 30, keep: '' }), run({ keep: '', minCount: 50 }));
    expect(warnings).toEqual(['different suite options (minCount: 30 vs 50)']);
    // The same options in another order are the same options.
    expect(comparisonWarnings(run({ a: 1, b: 2 }), run({ b: 2, a: 1 }))).toEqual([]);
  });
});
