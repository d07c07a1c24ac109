import { describe, expect, it } from 'vitest';
import { labelTokenIds, NonFiniteLogitsError, scoreFromLogits } from '../../../src/core/engine/likelihood.ts';

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

  it('refuses logits that are not finite numbers instead of scoring them as an even answer', () => {
    // A NaN anywhere in the vocabulary made the label mass NaN, and the options came out uniform.
    expect(() => scoreFromLogits([NaN, 1, 2, 0], [[1], [2], [3]])).toThrow(NonFiniteLogitsError);
    expect(() => scoreFromLogits([0, 1, 2, NaN], [[1], [2]])).toThrow('NaN logits (token 3)');
    expect(() => scoreFromLogits([0, Infinity, 2], [[1], [2]])).toThrow('an infinite logit');
    expect(() => scoreFromLogits([-Infinity, -Infinity], [[0], [1]])).toThrow('no finite logit');
    // Masked tokens (-Infinity beside finite logits) are fine: they have probability 0.
    const s = scoreFromLogits([-Infinity, Math.log(3), 0], [[1], [2]]);
    expect(s.probs[0]).toBeCloseTo(0.75, 12);
    expect(s.labelMass).toBeCloseTo(1, 12);
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
