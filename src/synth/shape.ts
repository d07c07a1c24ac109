/** The decoder's shape and the graph variants the generator writes (shared by both graph styles). */
import type { Precision } from './layers.ts';

export interface DecoderShape {
  architecture: 'qwen2' | 'llama';
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  vocab: number;
  ropeTheta: number;
  rmsEps: number;
  maxPositions: number;
}

export type GraphStyle = 'plain' | 'fused';
export const GRAPH_STYLES: readonly GraphStyle[] = ['plain', 'fused'];

export interface DecoderVariant {
  precision: Precision;
  /** Adds the `num_logits_to_keep` input so callers can ask for the last position only. */
  logitsToKeep: boolean;
  /** Graph style; `plain` when absent. */
  graph?: GraphStyle;
}

export function validateShape(s: DecoderShape): void {
  const positive = ['layers', 'hidden', 'heads', 'kvHeads', 'headDim', 'ffn', 'vocab', 'maxPositions'] as const;
  for (const key of positive) {
    if (!Number.isInteger(s[key]) || s[key] <= 0) throw new RangeError(`${key} must be a positive integer, got ${s[key]}`);
  }
  if (s.heads % s.kvHeads !== 0) throw new RangeError(`heads (${s.heads}) must be a multiple of kv heads (${s.kvHeads})`);
  if (s.headDim % 2 !== 0) throw new RangeError(`head size must be even for rotary embeddings, got ${s.headDim}`);
}
