import { describe, expect, it } from 'vitest';
import { labelTokenIds, scoreFromLogits } from '../../../src/core/engine/likelihood.ts';

describe('likelihood scoring from logits', () => {
  it('softmaxes over the whole vocabulary, sums label variants and renormalises', () => {
    // vocab of 5; labels A -> tokens {0, 1}, B -> {2}. logits [ln 1, ln 2, ln 3, ln 4, 0]:
    // Z = 1 + 2 + 3 + 4 + 1 = 11; A = 3/11, B = 3/11; mass 6/11; renormalised 0.5 / 0.5.
    const s = scoreFromLogits([0, Math.log(2), Math.log(3), Math.log(4), 0], [[0, 1], [2]]);
    expect(s.labelMass).toBeCloseTo(6 / 11, 12);
    expect(s.probs[0]).toBeCloseTo(0.5, 12);
    expect(s.probs[1]).toBeCloseTo(0.5, 12);
  });

  it('is stable for large logits', () => {
    const s = scoreFromLogits([1000, 999, 0], [[0], [1]]);
    expect(s.probs[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(Number.isFinite(s.labelMass)).toBe(true);
  });

  it('finds single-token spellings with and without a leading space', () => {
    const vocab: Record<string, number[]> = { A: [10], ' A': [11], B: [12], ' B': [13, 14], C: [15, 16], ' C': [17, 18] };
    const tok = { encode: (t: string) => vocab[t] ?? [99, 98] };
    expect(labelTokenIds(tok, 'A')).toEqual([10, 11]);
    // " B" splits in two: only "B" counts (a tokenizer that does not merge the space).
    expect(labelTokenIds(tok, 'B')).toEqual([12]);
    expect(() => labelTokenIds(tok, 'C')).toThrow(/not a single token/);
  });

  it('collapses a tokenizer that merges " A" and "A" to one id', () => {
    const tok = { encode: () => [7] };
    expect(labelTokenIds(tok, 'A')).toEqual([7]);
  });
});
