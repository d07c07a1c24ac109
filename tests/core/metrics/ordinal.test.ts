import { describe, expect, it } from 'vitest';
import { accuracy, likertConsistency, nmae } from '../../../src/core/metrics/ordinal.ts';

describe('accuracy', () => {
  it('is the share of exact matches', () => {
    // matches at items 0, 2, 3 of 4 -> 0.75
    expect(accuracy([0, 1, 2, 3], [0, 2, 2, 3])).toBe(0.75);
    expect(accuracy([1], [0])).toBe(0);
  });

  it('accepts per-item scales', () => {
    expect(accuracy([
      { pred: 0, gold: 0, k: 2 },
      { pred: 4, gold: 3, k: 5 },
    ])).toBe(0.5);
  });

  it('rejects empty input, a length mismatch and bad codes', () => {
    expect(() => accuracy([], [])).toThrow('accuracy: pred is empty');
    expect(() => accuracy([])).toThrow('accuracy: items is empty');
    expect(() => accuracy([0, 1], [0])).toThrow('accuracy: pred has length 2 but gold has length 1');
    expect(() => accuracy([0, -1], [0, 1])).toThrow('accuracy: pred[1] must be an answer code (an integer >= 0), got -1');
    expect(() => accuracy([{ pred: 3, gold: 0, k: 3 }])).toThrow('accuracy: items[0].pred must be an answer code in 0..2, got 3');
    expect(() => accuracy([{ pred: 0, gold: 0, k: 0 }])).toThrow('accuracy: items[0].k must be an integer >= 1, got 0');
  });
});

describe('nmae and likertConsistency', () => {
  it('scale the mean absolute error by k - 1', () => {
    // 4-point scale: |0-0| + |1-3| + |3-0| = 0 + 2 + 3 = 5; / 3 = 5/3; mean over 3 items = 5/9
    expect(nmae([0, 1, 3], [0, 3, 0], 4)).toBeCloseTo(5 / 9, 15);
    expect(likertConsistency([0, 1, 3], [0, 3, 0], 4)).toBeCloseTo(4 / 9, 15);
    expect(nmae([2, 2], [2, 2], 5)).toBe(0);
    expect(likertConsistency([2, 2], [2, 2], 5)).toBe(1);
    // opposite ends of a 10-point scale
    expect(nmae([0, 9], [9, 0], 10)).toBe(1);
  });

  it('scale each item by its own k when scales differ', () => {
    // |1-0|/(3-1) = 0.5; |0-4|/(5-1) = 1; |2-2|/(4-1) = 0 -> mean 0.5
    const items = [
      { pred: 1, gold: 0, k: 3 },
      { pred: 0, gold: 4, k: 5 },
      { pred: 2, gold: 2, k: 4 },
    ];
    expect(nmae(items)).toBe(0.5);
    expect(likertConsistency(items)).toBe(0.5);
    // pooling with one k for all would give a different (wrong) number: mean(1, 4, 0) / 4 = 5/12
    expect(nmae([1, 0, 2], [0, 4, 2], 5)).toBeCloseTo(5 / 12, 15);
  });

  it('reject k < 2, codes outside the scale, empty input and a length mismatch', () => {
    expect(() => nmae([0], [0], 1)).toThrow('nmae: k must be an integer >= 2, got 1');
    expect(() => nmae([{ pred: 0, gold: 0, k: 1 }])).toThrow('nmae: items[0].k must be an integer >= 2, got 1');
    expect(() => nmae([0], [1], Infinity)).toThrow('nmae: k must be an integer >= 2, got Infinity');
    expect(() => accuracy([{ pred: 0, gold: 0, k: Infinity }])).toThrow('accuracy: items[0].k must be an integer >= 1, got Infinity');
    expect(() => nmae([0, 4], [0, 1], 4)).toThrow('nmae: pred[1] must be an answer code in 0..3, got 4');
    expect(() => likertConsistency([0], [1.5], 4)).toThrow('likertConsistency: gold[0] must be an answer code in 0..3, got 1.5');
    expect(() => likertConsistency([], [], 4)).toThrow('likertConsistency: pred is empty');
    expect(() => nmae([0], [0, 1], 4)).toThrow('nmae: pred has length 1 but gold has length 2');
  });
});
