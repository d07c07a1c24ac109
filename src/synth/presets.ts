import type { DecoderShape } from './decoder.ts';

/**
 * Named shapes. `tiny` is the committed test model; the others are generated on demand
 * (the Qwen2.5-0.5B-Instruct shape is for performance work and is never committed).
 */
export const SYNTH_PRESETS: Record<string, DecoderShape> = {
  tiny: {
    architecture: 'qwen2',
    layers: 2,
    hidden: 64,
    heads: 4,
    kvHeads: 2,
    headDim: 16,
    ffn: 128,
    vocab: 1024,
    ropeTheta: 10000,
    rmsEps: 1e-6,
    maxPositions: 4096,
  },
  'tiny-llama': {
    architecture: 'llama',
    layers: 2,
    hidden: 64,
    heads: 4,
    kvHeads: 2,
    headDim: 16,
    ffn: 128,
    vocab: 1024,
    ropeTheta: 10000,
    rmsEps: 1e-5,
    maxPositions: 4096,
  },
  small: {
    architecture: 'qwen2',
    layers: 4,
    hidden: 256,
    heads: 8,
    kvHeads: 2,
    headDim: 32,
    ffn: 704,
    vocab: 4096,
    ropeTheta: 1000000,
    rmsEps: 1e-6,
    maxPositions: 8192,
  },
  'qwen2.5-0.5b': {
    architecture: 'qwen2',
    layers: 24,
    hidden: 896,
    heads: 14,
    kvHeads: 2,
    headDim: 64,
    ffn: 4864,
    vocab: 151936,
    ropeTheta: 1000000,
    rmsEps: 1e-6,
    maxPositions: 32768,
  },
};

export const DEFAULT_SYNTH_SEED = 20240611;
