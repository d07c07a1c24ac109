import { describe, expect, it } from 'vitest';
import { agreementRate } from '../../../src/core/metrics/agreement.ts';

describe('agreementRate', () => {
  it('is the share of items whose argmax agrees', () => {
    const model = [[0.7, 0.2, 0.1], [0.1, 0.5, 0.4], [0.3, 0.3, 0.4], [0.2, 0.8, 0]];
    const anchor = [[1, 0, 0], [0, 0, 1], [0, 0, 1], [0.1, 0.6, 0.3]];
    // agree on items 0, 2, 3 -> 3/4
    expect(agreementRate(model, anchor)).toBe(0.75);
  });

  it('breaks ties to the lowest index on both sides', () => {
    // model tie between A and B -> A; anchor tie between A and B -> A: agree
    expect(agreementRate([[0.4, 0.4, 0.2]], [[0.5, 0.5, 0]])).toBe(1);
    // model tie between B and N/A -> B; anchor says N/A: disagree
    expect(agreementRate([[0.2, 0.4, 0.4]], [[0, 0, 1]])).toBe(0);
  });

  it('rejects empty input, length mismatches and NaN', () => {
    expect(() => agreementRate([], [])).toThrow('agreementRate: model is empty');
    expect(() => agreementRate([[1, 0]], [])).toThrow('agreementRate: model has length 1 but anchor has length 0');
    expect(() => agreementRate([[1, 0]], [[1, 0, 0]])).toThrow('agreementRate: model[0] has length 2 but anchor[0] has length 3');
    expect(() => agreementRate([[1, 0], []], [[1, 0], []])).toThrow('agreementRate: model[1] is empty');
    expect(() => agreementRate([[1, 0], [0, 1]], [[1, 0], [NaN, 1]])).toThrow('agreementRate: anchor[1][0] is NaN');
  });
});
