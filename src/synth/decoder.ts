/**
 * The synthetic decoder-only transformer as an ONNX graph, in the input/output convention
 * transformers.js uses for causal LMs (onnx-community exports):
 *
 *   inputs   input_ids [batch, seq] int64, attention_mask [batch, total] int64,
 *            position_ids [batch, seq] int64 (plain graph only), past_key_values.{i}.key|value
 *            [batch, kvHeads, past, headDim] float32, and optionally
 *            num_logits_to_keep [] int64 (0 = every position)
 *   outputs  logits [batch, seq or kept, vocab] float32, present.{i}.key|value
 *
 * Architecture (Llama / Qwen2): token embedding, then per layer RMSNorm -> grouped-query
 * attention with rotary position embeddings (rotate-half convention, causal and padding
 * mask) -> residual, RMSNorm -> SwiGLU MLP -> residual; final RMSNorm and LM head. Qwen2 adds
 * biases to the q/k/v projections.
 *
 * Two graph styles compute the same function from the same weights:
 *  - `plain` (this file): standard opset-17 ops only, except the 4-bit variant's
 *    `com.microsoft.MatMulNBits` for every linear layer (the LM head included), as in
 *    onnx-community's `model_q4.onnx`;
 *  - `fused` (decoder-fused.ts): the contrib ops of onnx-community's WebGPU exports
 *    (SimplifiedLayerNormalization, SkipSimplifiedLayerNormalization, GroupQueryAttention with
 *    rotary, packed QKV).
 * The KV-head count and head size are fixed numbers in the graph: transformers.js builds the
 * empty first-step cache from the session's input metadata.
 */
import { buildFusedDecoderGraph } from './decoder-fused.ts';
import { GraphBuilder } from './onnx-graph.ts';
import { embedTokens, finishWithLogits, linearLayer, vectorInitializer } from './layers.ts';
import { validateShape, type DecoderShape, type DecoderVariant } from './shape.ts';

export { Q4_BLOCK_SIZE, type Precision } from './layers.ts';

export { GRAPH_STYLES, validateShape, type DecoderShape, type DecoderVariant, type GraphStyle } from './shape.ts';

export function buildDecoderGraph(shape: DecoderShape, variant: DecoderVariant, seed: number): GraphBuilder {
  return (variant.graph ?? 'plain') === 'fused' ? buildFusedDecoderGraph(shape, variant, seed) : buildPlainDecoderGraph(shape, variant, seed);
}

function buildPlainDecoderGraph(shape: DecoderShape, variant: DecoderVariant, seed: number): GraphBuilder {
  validateShape(shape);
  const g = new GraphBuilder();
  const { hidden, heads, kvHeads, headDim, layers, vocab, ffn } = shape;
  const groups = heads / kvHeads;

  // ----- inputs
  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  for (let i = 0; i < layers; i++) {
    g.input(`past_key_values.${i}.key`, 'float32', ['batch_size', kvHeads, 'past_sequence_length', headDim]);
    g.input(`past_key_values.${i}.value`, 'float32', ['batch_size', kvHeads, 'past_sequence_length', headDim]);
  }
  const keep = variant.logitsToKeep ? g.input('num_logits_to_keep', 'int64', []) : null;

  // ----- helpers
  const i64 = (values: number[], dims?: number[]) => g.constant(values, 'int64', dims);
  const f32 = (values: number[], dims?: number[]) => g.constant(values, 'float32', dims);
  const vector = (name: string, size: number, std: number, mean = 0) => vectorInitializer(g, seed, name, size, std, mean);
  const linear = (x: string, name: string, outF: number, inF: number, std: number): string =>
    linearLayer(g, seed, variant.precision, x, name, [{ name, out: outF, std }], inF);

  const eps = f32([shape.rmsEps], []);
  const rmsNorm = (x: string, name: string): string => {
    const w = vector(name, hidden, 0.05, 1);
    const meanSquare = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
    const rms = g.op('Sqrt', [g.op('Add', [meanSquare, eps])]);
    return g.op('Mul', [g.op('Div', [x, rms]), w]);
  };

  // ----- embeddings
  let x = embedTokens(g, seed, vocab, hidden, inputIds);

  // ----- rotary tables: angle = position * theta^(-2i/d), duplicated over both halves
  const half = headDim / 2;
  const invFreq = Array.from({ length: half }, (_, i) => 1 / Math.pow(shape.ropeTheta, (2 * i) / headDim));
  const positions = g.op('Unsqueeze', [g.op('Cast', [positionIds], { to: 1 }), i64([2])]);
  const freqs = g.op('Mul', [positions, f32(invFreq)]);
  const angles = g.op('Concat', [freqs, freqs], { axis: -1 });
  const cos = g.op('Cos', [angles]);
  const sin = g.op('Sin', [angles]);
  const cosK = g.op('Unsqueeze', [cos, i64([1])]); // [b, 1, s, d] for keys
  const sinK = g.op('Unsqueeze', [sin, i64([1])]);
  const cosQ = g.op('Unsqueeze', [cos, i64([1, 2])]); // [b, 1, 1, s, d] for grouped queries
  const sinQ = g.op('Unsqueeze', [sin, i64([1, 2])]);
  const halves = i64([half, half]);
  const rotary = (t: string, c: string, s: string): string => {
    const [a, b] = g.node('Split', [t, halves], { attrs: { axis: -1 }, outputs: 2 }) as [string, string];
    const rotated = g.op('Concat', [g.op('Neg', [b]), a], { axis: -1 });
    return g.op('Add', [g.op('Mul', [t, c]), g.op('Mul', [rotated, s])]);
  };

  // ----- attention bias [b, 1, 1, s, total]: 0 where key j <= past + i and j is not padding
  const total = g.op('Shape', [attentionMask], { start: 1, end: 2 });
  const seqLen = g.op('Shape', [inputIds], { start: 1, end: 2 });
  const totalScalar = g.op('Squeeze', [total, i64([0])]);
  const pastScalar = g.op('Squeeze', [g.op('Sub', [total, seqLen]), i64([0])]);
  const zero = i64([0], []);
  const one = i64([1], []);
  const queryPos = g.op('Range', [pastScalar, totalScalar, one]);
  const keyPos = g.op('Range', [zero, totalScalar, one]);
  const causal = g.op('LessOrEqual', [g.op('Unsqueeze', [keyPos, i64([0])]), g.op('Unsqueeze', [queryPos, i64([1])])]);
  const notPadding = g.op('Unsqueeze', [g.op('Cast', [attentionMask], { to: 9 }), i64([1, 2])]);
  const allowed = g.op('And', [causal, notPadding]);
  const bias = g.op('Unsqueeze', [g.op('Where', [allowed, f32([0], []), f32([-1e9], [])]), i64([1])]);
  const scale = f32([1 / Math.sqrt(headDim)], []);

  const qkvStd = 1 / Math.sqrt(hidden);
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}`;
    const normed = rmsNorm(x, `${p}.input_layernorm.weight`);
    const project = (name: string, outF: number) => {
      let y = linear(normed, `${p}.self_attn.${name}.weight`, outF, hidden, qkvStd);
      if (shape.architecture === 'qwen2') y = g.op('Add', [y, vector(`${p}.self_attn.${name}.bias`, outF, 0.1)]);
      return y;
    };
    // queries grouped by the KV head they share: [b, kv, groups, s, d]
    const q = g.op('Transpose', [g.op('Reshape', [project('q_proj', heads * headDim), i64([0, 0, kvHeads, groups, headDim])])], {
      perm: [0, 2, 3, 1, 4],
    });
    const k = g.op('Transpose', [g.op('Reshape', [project('k_proj', kvHeads * headDim), i64([0, 0, kvHeads, headDim])])], {
      perm: [0, 2, 1, 3],
    });
    const v = g.op('Transpose', [g.op('Reshape', [project('v_proj', kvHeads * headDim), i64([0, 0, kvHeads, headDim])])], {
      perm: [0, 2, 1, 3],
    });
    const qRot = rotary(q, cosQ, sinQ);
    const kRot = rotary(k, cosK, sinK);
    const presentK = g.op('Concat', [`past_key_values.${i}.key`, kRot], { axis: 2 }, undefined, `present.${i}.key`);
    const presentV = g.op('Concat', [`past_key_values.${i}.value`, v], { axis: 2 }, undefined, `present.${i}.value`);
    g.output(presentK, 'float32', ['batch_size', kvHeads, 'total_sequence_length', headDim]);
    g.output(presentV, 'float32', ['batch_size', kvHeads, 'total_sequence_length', headDim]);
    const keysT = g.op('Transpose', [g.op('Unsqueeze', [presentK, i64([2])])], { perm: [0, 1, 2, 4, 3] });
    const values = g.op('Unsqueeze', [presentV, i64([2])]);
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [qRot, keysT]), scale]), bias]);
    const context = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), values]);
    const merged = g.op('Reshape', [g.op('Transpose', [context], { perm: [0, 3, 1, 2, 4] }), i64([0, 0, heads * headDim])]);
    const attnOut = linear(merged, `${p}.self_attn.o_proj.weight`, hidden, heads * headDim, 1 / Math.sqrt(heads * headDim));
    x = g.op('Add', [x, attnOut]);

    const normed2 = rmsNorm(x, `${p}.post_attention_layernorm.weight`);
    const gate = linear(normed2, `${p}.mlp.gate_proj.weight`, ffn, hidden, qkvStd);
    const up = linear(normed2, `${p}.mlp.up_proj.weight`, ffn, hidden, qkvStd);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    x = g.op('Add', [x, linear(act, `${p}.mlp.down_proj.weight`, hidden, ffn, 1 / Math.sqrt(ffn))]);
  }

  return finishWithLogits(g, seed, variant.precision, rmsNorm(x, 'model.norm.weight'), keep, shape);
}
