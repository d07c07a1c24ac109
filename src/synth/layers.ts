/**
 * Building blocks shared by the plain and the fused decoder graphs: weight vectors, the token
 * embedding and linear layers (fp32 `MatMul` or 4-bit `com.microsoft.MatMulNBits`).
 *
 * Every tensor is drawn from its own stream keyed by (seed, Hugging Face tensor name), so both
 * graph styles hold exactly the same numbers for the same seed, also when the fused graph packs
 * several projections into one matrix.
 */
import type { GraphBuilder } from './onnx-graph.ts';
import { quantizeQ4 } from './quantize.ts';
import { bytesOf, matrix, transpose, uniformTensor, type Matrix } from './weights.ts';

/**
 * fp32: float32 weights; q4: MatMulNBits (4-bit) linear layers; q4f16: the q4 graph with the float16
 * interface of q4f16 exports (float16 logits and KV cache; float16-io.ts), still float32 inside.
 */
export type Precision = 'fp32' | 'q4' | 'q4f16';

export const Q4_BLOCK_SIZE = 32;

/** One projection inside a linear layer: its Hugging Face weight name, output size and init scale. */
export interface LinearPart {
  name: string;
  out: number;
  std: number;
}

/** A float vector initializer (norm weights, biases) drawn around `mean`. */
export function vectorInitializer(g: GraphBuilder, seed: number, name: string, size: number, std: number, mean = 0): string {
  return g.initializer({ name, type: 'float32', dims: [size], bytes: () => bytesOf(uniformTensor(seed, name, size, std, mean)) });
}

/** Several projections' vectors laid end to end (the packed QKV bias), each from its own stream. */
export function packedVectorInitializer(g: GraphBuilder, seed: number, name: string, parts: { name: string; size: number; std: number }[]): string {
  const size = parts.reduce((s, p) => s + p.size, 0);
  return g.initializer({
    name,
    type: 'float32',
    dims: [size],
    bytes: () => {
      const out = new Float32Array(size);
      let offset = 0;
      for (const p of parts) {
        out.set(uniformTensor(seed, p.name, p.size, p.std), offset);
        offset += p.size;
      }
      return bytesOf(out);
    },
  });
}

/** `Gather(embed_tokens [vocab, hidden], input_ids)` -> [batch, seq, hidden]. */
export function embedTokens(g: GraphBuilder, seed: number, vocab: number, hidden: number, inputIds: string): string {
  const name = 'model.embed_tokens.weight';
  const embed = g.initializer({
    name,
    type: 'float32',
    dims: [vocab, hidden],
    bytes: () => bytesOf(uniformTensor(seed, name, vocab * hidden, 1)),
  });
  return g.op('Gather', [embed, inputIds], { axis: 0 });
}

/** The parts' weights stacked along the output axis, [sum(out), in] (Hugging Face layout). */
function stackedWeight(seed: number, parts: LinearPart[], inF: number): Matrix {
  if (parts.length === 1) return matrix(seed, parts[0]!.name, parts[0]!.out, inF, parts[0]!.std);
  const rows = parts.reduce((s, p) => s + p.out, 0);
  const data = new Float32Array(rows * inF);
  let offset = 0;
  for (const p of parts) {
    data.set(matrix(seed, p.name, p.out, inF, p.std).data, offset);
    offset += p.out * inF;
  }
  return { rows, cols: inF, data };
}

/**
 * y = x W^T for W = the parts stacked along the output axis (one part: an ordinary Linear).
 *
 * fp32: `MatMul(x, W^T [in, out])`, initializer `name`.
 * q4:   `com.microsoft.MatMulNBits(A = x, B [N, kBlocks, blockSize/2] uint8, scales [N * kBlocks] float)`
 *       with attributes K = in, N = out, bits = 4, block_size = 32 and no zero points (default 8);
 *       initializers `${name}_Q4` and `${name}_scales`. Rows quantize independently, so a packed
 *       layer's codes are its parts' codes end to end.
 */
export function linearLayer(g: GraphBuilder, seed: number, precision: Precision, x: string, name: string, parts: LinearPart[], inF: number): string {
  const outF = parts.reduce((s, p) => s + p.out, 0);
  const weight = () => stackedWeight(seed, parts, inF);
  if (precision === 'fp32') {
    const w = g.initializer({ name, type: 'float32', dims: [inF, outF], bytes: () => bytesOf(transpose(weight()).data) });
    return g.op('MatMul', [x, w]);
  }
  const kBlocks = Math.ceil(inF / Q4_BLOCK_SIZE);
  // Both tensors come from one quantization; the packed codes are produced first.
  let cached: ReturnType<typeof quantizeQ4> | null = null;
  const quantized = () => (cached ??= quantizeQ4(weight(), Q4_BLOCK_SIZE));
  const b = g.initializer({
    name: `${name}_Q4`,
    type: 'uint8',
    dims: [outF, kBlocks, Q4_BLOCK_SIZE / 2],
    bytes: () => quantized().packed,
  });
  const scales = g.initializer({
    name: `${name}_scales`,
    type: 'float32',
    dims: [outF * kBlocks],
    bytes: () => {
      const s = bytesOf(quantized().scales);
      cached = null;
      return s;
    },
  });
  return g.op('MatMulNBits', [x, b, scales], { K: inF, N: outF, bits: 4, block_size: Q4_BLOCK_SIZE }, 'com.microsoft');
}

/**
 * The LM head and the `logits` output, shared by both graph styles. With `num_logits_to_keep`
 * (an int64 scalar k), the normed hidden states are cut to their last k positions first
 * (`Slice(h, starts = [-k], ends = [INT64 max], axes = [1])`; k = 0 gives -0 = 0: every
 * position), so the LM head runs on the kept positions only.
 */
export function finishWithLogits(
  g: GraphBuilder,
  seed: number,
  precision: Precision,
  normed: string,
  keep: string | null,
  shape: { hidden: number; vocab: number },
): GraphBuilder {
  const i64 = (values: number[], dims?: number[]) => g.constant(values, 'int64', dims);
  let last = normed;
  if (keep) {
    // Keep the last `num_logits_to_keep` positions (0 keeps all): Slice from -k to the end.
    const start = g.op('Neg', [g.op('Unsqueeze', [keep, i64([0])])]);
    last = g.op('Slice', [last, start, i64([Number.MAX_SAFE_INTEGER]), i64([1])]);
  }
  const { hidden, vocab } = shape;
  const lmHead = 'lm_head.weight';
  const logits = linearLayer(g, seed, precision, last, lmHead, [{ name: lmHead, out: vocab, std: 2.5 / Math.sqrt(hidden) }], hidden);
  g.node('Identity', [logits], { outputs: ['logits'] });
  g.outputs.unshift({
    name: 'logits',
    type: {
      tensorType: {
        elemType: 1,
        shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: keep ? 'logits_length' : 'sequence_length' }, { dimValue: vocab }] },
      },
    },
  });
  return g;
}
