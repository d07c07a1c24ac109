import { describe, expect, it } from 'vitest';
import { itemPositionBias, positionBias } from '../../../src/core/metrics/position-bias.ts';

describe('itemPositionBias', () => {
  it('averages the rotations and measures their mean total-variation distance to the average', () => {
    // A model that always picks the first position: with options [A, B, N/A] and the two
    // rotations of the substantive options, mapped back: [1, 0, 0] and [0, 1, 0].
    // average [0.5, 0.5, 0]; TV of each to it = 1/2 (0.5 + 0.5) = 0.5; mean 0.5
    expect(itemPositionBias([[1, 0, 0], [0, 1, 0]])).toEqual({ averaged: [0.5, 0.5, 0], bias: 0.5 });
  });

  it('is 0 when the order changes nothing, and for a single rotation', () => {
    expect(itemPositionBias([[0.2, 0.7, 0.1], [0.2, 0.7, 0.1], [0.2, 0.7, 0.1]]).bias).toBe(0);
    expect(itemPositionBias([[0.6, 0.4]])).toEqual({ averaged: [0.6, 0.4], bias: 0 });
  });

  it('works on a three-rotation case by hand', () => {
    // rotations [0.6,0.2,0.2], [0.2,0.6,0.2], [0.4,0.4,0.2] -> average [0.4, 0.4, 0.2]
    // TVs: 1/2(0.2+0.2+0) = 0.2, 0.2, 0 -> mean 0.4/3
    const r = itemPositionBias([[0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.4, 0.4, 0.2]]);
    r.averaged.forEach((x, i) => expect(x).toBeCloseTo([0.4, 0.4, 0.2][i]!, 15));
    expect(r.bias).toBeCloseTo(0.4 / 3, 15);
  });

  it('normalises each rotation first', () => {
    expect(itemPositionBias([[2, 0], [0, 5]])).toEqual({ averaged: [0.5, 0.5], bias: 0.5 });
  });

  it('rejects empty, ragged and invalid rotations', () => {
    expect(() => itemPositionBias([])).toThrow('itemPositionBias: rotations is empty');
    expect(() => itemPositionBias([[0.5, 0.5], [1]])).toThrow('itemPositionBias: rotations[0] has length 2 but rotations[1] has length 1');
    expect(() => itemPositionBias([[0.5, 0.5], [0, 0]])).toThrow('itemPositionBias: rotations[1] is all zeros');
  });
});

describe('positionBias', () => {
  it('is the mean over items of the per-item bias; items may differ in size', () => {
    // item 0: bias 0.5 (see above); item 1: no bias; item 2 (4 options, 1 rotation): 0 -> index 0.5/3
    const r = positionBias([
      [[1, 0, 0], [0, 1, 0]],
      [[0.3, 0.7], [0.3, 0.7]],
      [[0.1, 0.2, 0.3, 0.4]],
    ]);
    expect(r.perItem).toEqual([0.5, 0, 0]);
    expect(r.index).toBeCloseTo(0.5 / 3, 15);
    expect(r.averaged).toEqual([[0.5, 0.5, 0], [0.3, 0.7], [0.1, 0.2, 0.3, 0.4]]);
  });

  it('names the offending item', () => {
    expect(() => positionBias([])).toThrow('positionBias: items is empty');
    expect(() => positionBias([[[1, 0]], []])).toThrow('positionBias: items[1] is empty');
    expect(() => positionBias([[[1, 0]], [[1, 0], [-1, 2]]])).toThrow('positionBias: items[1][1][0] is negative (-1)');
  });
});
