/**
 * Likelihood scoring of one multiple-choice prompt from next-token logits (SPEC section 4):
 * softmax over the FULL vocabulary at the answer position; each option's probability is the
 * sum over its label's single-token variants (with and without a leading space); the label
 * mass is that sum over all labels before renormalising over the options.
 */
import type { LabelScore } from '../backends/backend.ts';

/** Token ids that spell each label as a single token, e.g. "A" and " A". */
export type LabelTokenSets = number[][];

/**
 * Logits that are not all finite numbers: the model's arithmetic overflowed (fp16 on some GPUs)
 * or the export is broken. Scoring them would give every option the same probability and look
 * like an answer, so the run stops instead.
 */
export class NonFiniteLogitsError extends Error {
  constructor(what: string) {
    super(
      `the model returned ${what} at the answer position, so its answer cannot be scored: its numbers overflowed or the export is broken (with fp16 or q4f16 weights, try q4 or fp32, or the WASM device)`,
    );
    this.name = 'NonFiniteLogitsError';
  }
}

export function scoreFromLogits(logits: ArrayLike<number>, labelTokens: LabelTokenSets): LabelScore {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    if (Number.isNaN(x)) throw new NonFiniteLogitsError(`NaN logits (token ${i})`);
    if (x > max) max = x;
  }
  if (max === Infinity) throw new NonFiniteLogitsError('an infinite logit');
  if (max === -Infinity) throw new NonFiniteLogitsError('no finite logit');
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  const logZ = max + Math.log(sum);
  const raw = labelTokens.map((ids) => ids.reduce((acc, id) => acc + Math.exp(logits[id]! - logZ), 0));
  const labelMass = raw.reduce((a, b) => a + b, 0);
  const probs = labelMass > 0 ? raw.map((p) => p / labelMass) : raw.map(() => 1 / raw.length);
  return { probs, labelMass: Math.min(1, labelMass) };
}

/** What the engine needs from a tokenizer to find label tokens. */
export interface LabelTokenizer {
  encode(text: string): number[];
}

/**
 * The single-token spellings of a label: `label` and ` label`, each kept only when it encodes
 * to exactly one token. Throws when neither does (the label cannot be scored in one step).
 */
export function labelTokenIds(tokenizer: LabelTokenizer, label: string): number[] {
  const ids = new Set<number>();
  for (const variant of [label, ` ${label}`]) {
    const encoded = tokenizer.encode(variant);
    if (encoded.length === 1) ids.add(encoded[0]!);
  }
  if (ids.size === 0) {
    throw new Error(`the option label "${label}" is not a single token for this tokenizer, with or without a leading space`);
  }
  return [...ids].sort((a, b) => a - b);
}
