/**
 * The fused-op decoder graph: the same function and weights as the plain graph (decoder.ts),
 * written with the ONNX Runtime contrib ops that onnx-community's WebGPU exports use, so
 * performance work measures what real exports do.
 *
 *   inputs   input_ids [batch, seq] int64, attention_mask [batch, total] int64,
 *            past_key_values.{i}.key|value [batch, kvHeads, past, headDim] float32,
 *            optionally num_logits_to_keep [] int64. No position_ids: GroupQueryAttention
 *            derives positions itself (see below), and transformers.js only feeds the inputs a
 *            session declares.
 *   outputs  logits, present.{i}.key|value (GroupQueryAttention's present outputs, BNSH).
 *
 * Per layer (x = residual stream, h = normed):
 *
 *   layer 0     h = SimplifiedLayerNormalization(x, input_layernorm)           (ONNX domain, v1)
 *   layer i>0   h, _, _, x = SkipSimplifiedLayerNormalization(mlp_{i-1}, x, input_layernorm)
 *   qkv         = h W_qkv (+ b_qkv for Qwen2)      one packed projection, [q | k | v] on the last axis
 *   attn, present.i.key, present.i.value =
 *               com.microsoft.GroupQueryAttention(qkv, '', '', past.i.key, past.i.value,
 *                   seqlens_k, total_sequence_length, cos_cache, sin_cache, '', attention_bias)
 *               num_heads, kv_num_heads, do_rotary = 1, rotary_interleaved = 0 (rotate-half)
 *   h, _, _, x  = SkipSimplifiedLayerNormalization(attn W_o, x, post_attention_layernorm)
 *   mlp_i       = (SiLU(h W_gate) * h W_up) W_down,  SiLU(g) = g * Sigmoid(g)
 *   final       h = SkipSimplifiedLayerNormalization(mlp_last, x, model.norm); LM head as plain.
 *
 * Op contracts relied on (ONNX Runtime docs/ContribOperators.md and the CPU / WebGPU kernels):
 *  - SimplifiedLayerNormalization (domain '', since 1): inputs X, scale; attributes axis,
 *    epsilon, stash_type; Y = X / sqrt(mean(X^2 over axis..) + epsilon) * scale.
 *  - com.microsoft.SkipSimplifiedLayerNormalization: inputs input, skip, gamma[, bias];
 *    attribute epsilon; outputs output, mean, inv_std_var, input_skip_bias_sum: output 0 is
 *    the RMS norm of s = input + skip (+ bias) and output 3 is s itself (the new residual).
 *  - com.microsoft.GroupQueryAttention: inputs 0 query [B, S, (N + 2 N_kv) H] (packed QKV when
 *    key and value are absent), 3/4 past_key/past_value [B, N_kv, P, H], 5 seqlens_k int32 [B]
 *    (total length - 1), 6 total_sequence_length int32 scalar, 7/8 cos_cache/sin_cache
 *    [max_positions, H/2], 9 position_ids (unused here), 10 attention_bias
 *    [B or 1, N or 1, S, total]; outputs output [B, S, N H], present_key/present_value
 *    [B, N_kv, P + S, H]. Scale defaults to 1/sqrt(H). With do_rotary the kernel rotates q and
 *    k by position past + s, where past = seqlens_k + 1 - S (0 for the first prompt); the cache
 *    row written is past + s. The CPU kernel requires H % 16 == 0 with rotary caches, and a
 *    batch of 1 when S > 1 follows a non-empty past.
 *
 * Padding. onnx-community exports compute seqlens_k = ReduceSum(attention_mask) - 1, which
 * tells the kernel each row's valid keys are the FIRST seqlens_k + 1: right padding. Left
 * padding (what transformers.js and this project batch with) then attends to pads, and in
 * decoding the cache row written is seqlens_k, not the end of the cache. This graph instead
 * states every row's full length, seqlens_k = total - 1 (from attention_mask's shape), so
 * rows are laid out exactly as in the plain graph's concatenated cache, and masks the pads with
 * attention_bias = 0 / -1e9 from attention_mask. Rotary positions then count pads too
 * (position = index in the padded row), a constant shift per row that rotary attention cannot
 * see: q.k depends only on the difference of positions.
 *
 * Choices. One packed QKV projection rather than three: one MatMul / MatMulNBits instead of
 * three (dispatches, not arithmetic, limit small-batch GPU runs), the layout ORT's model builder
 * emits for GroupQueryAttention, and the WebGPU kernel splits and rotates it in one program. SiLU
 * stays Sigmoid * Mul: com.microsoft.QuickGelu (alpha 1) also runs everywhere, but the WebGPU EP
 * fuses exactly Mul(Mul(gate, Sigmoid(gate)), up) with the two MatMulNBits into MatMulNBitsMlp.
 *
 * Checked (tiny preset, left-padded batch, KV-cache decoding, fp32 and q4) on onnxruntime-node
 * 1.30 CPU and WebGPU (SwiftShader) and onnxruntime-web 1.31-dev WASM and WebGPU in Chromium:
 * every op above runs on each (all contrib ops placed on the WebGPU EP), logits within 6e-6 of
 * the CPU plain graph. SimplifiedLayerNormalization exists only in the ONNX domain; as
 * com.microsoft it fails to load ("not a registered function/op") on all of them.
 */
import { validateShape, type DecoderShape, type DecoderVariant } from './shape.ts';
import { GraphBuilder, float } from './onnx-graph.ts';
import { embedTokens, finishWithLogits, linearLayer, packedVectorInitializer, vectorInitializer, type LinearPart } from './layers.ts';
import { bytesOf } from './weights.ts';

/** ONNX TensorProto element types used by Cast. */
const INT32 = 6;
const BOOL = 9;

/** The fused graph's own limits on top of validateShape. */
export function validateFusedShape(s: DecoderShape): void {
  validateShape(s);
  if (s.headDim % 16 !== 0) {
    throw new RangeError(
      `the fused graph needs a head size that is a multiple of 16 (GroupQueryAttention's rotary caches), got ${s.headDim}; use --graph plain`,
    );
  }
}

/**
 * cos/sin caches [maxPositions, headDim/2]: angle(p, i) = p * theta^(-2i/d), computed the way
 * the plain graph does it in float32 (float position times float inverse frequency, both
 * exact in a double, rounded once), then cos/sin rounded to float32.
 */
export function rotaryCaches(shape: DecoderShape): { cos: Float32Array; sin: Float32Array } {
  const half = shape.headDim / 2;
  const invFreq = Array.from({ length: half }, (_, i) => Math.fround(1 / Math.pow(shape.ropeTheta, (2 * i) / shape.headDim)));
  const cos = new Float32Array(shape.maxPositions * half);
  const sin = new Float32Array(shape.maxPositions * half);
  for (let p = 0; p < shape.maxPositions; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(p * invFreq[i]!);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

interface AttentionMaskInputs {
  seqlensK: string;
  totalSequenceLength: string;
  attentionBias: string;
}

/**
 * From attention_mask [B, T] and input_ids [B, S]:
 *   seqlens_k             int32 [B]  = T - 1 for every row
 *   total_sequence_length int32 []   = T
 *   attention_bias        float [B, 1, S, T] = 0 where attention_mask is 1, -1e9 where 0
 * (GroupQueryAttention applies the causal mask itself.)
 */
function attentionMaskInputs(g: GraphBuilder, inputIds: string, attentionMask: string): AttentionMaskInputs {
  const i64 = (values: number[], dims?: number[]) => g.constant(values, 'int64', dims);
  const f32 = (values: number[], dims?: number[]) => g.constant(values, 'float32', dims);
  const batch = g.op('Shape', [attentionMask], { start: 0, end: 1 });
  const total = g.op('Shape', [attentionMask], { start: 1, end: 2 });
  const seq = g.op('Shape', [inputIds], { start: 1, end: 2 });
  const seqlensK = g.op('Cast', [g.op('Expand', [g.op('Sub', [total, i64([1])]), batch])], { to: INT32 });
  const totalSequenceLength = g.op('Cast', [g.op('Squeeze', [total, i64([0])])], { to: INT32 });
  const keyBias = g.op('Where', [g.op('Cast', [attentionMask], { to: BOOL }), f32([0], []), f32([-1e9], [])]);
  const one = i64([1]);
  const attentionBias = g.op('Expand', [g.op('Unsqueeze', [keyBias, i64([1, 2])]), g.op('Concat', [one, one, seq, one], { axis: 0 })]);
  return { seqlensK, totalSequenceLength, attentionBias };
}

export function buildFusedDecoderGraph(shape: DecoderShape, variant: DecoderVariant, seed: number): GraphBuilder {
  validateFusedShape(shape);
  const g = new GraphBuilder();
  const { hidden, heads, kvHeads, headDim, layers, vocab, ffn } = shape;

  // ----- inputs
  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  for (let i = 0; i < layers; i++) {
    g.input(`past_key_values.${i}.key`, 'float32', ['batch_size', kvHeads, 'past_sequence_length', headDim]);
    g.input(`past_key_values.${i}.value`, 'float32', ['batch_size', kvHeads, 'past_sequence_length', headDim]);
  }
  const keep = variant.logitsToKeep ? g.input('num_logits_to_keep', 'int64', []) : null;

  // ----- helpers
  const linear = (x: string, name: string, parts: LinearPart[], inF: number) => linearLayer(g, seed, variant.precision, x, name, parts, inF);
  const normWeight = (name: string) => vectorInitializer(g, seed, name, hidden, 0.05, 1);
  const epsilon = float(shape.rmsEps);
  /** SkipSimplifiedLayerNormalization: [norm(input + skip), input + skip] (the sum only when asked for). */
  const skipNorm = (input: string, skip: string, name: string, withSum = true): [string, string] => {
    const [normed, , , sum] = g.node('SkipSimplifiedLayerNormalization', [input, skip, normWeight(name)], {
      attrs: { epsilon },
      domain: 'com.microsoft',
      outputs: withSum ? [`${name}_out`, '', '', `${name}_residual`] : [`${name}_out`],
    });
    return [normed!, sum ?? ''];
  };

  const mask = attentionMaskInputs(g, inputIds, attentionMask);
  const half = headDim / 2;
  let caches: ReturnType<typeof rotaryCaches> | null = null;
  const cachesOnce = () => (caches ??= rotaryCaches(shape));
  const cosCache = g.initializer({ name: 'cos_cache', type: 'float32', dims: [shape.maxPositions, half], bytes: () => bytesOf(cachesOnce().cos) });
  const sinCache = g.initializer({ name: 'sin_cache', type: 'float32', dims: [shape.maxPositions, half], bytes: () => bytesOf(cachesOnce().sin) });

  // ----- embeddings and the first norm
  let residual = embedTokens(g, seed, vocab, hidden, inputIds);
  let normed = g.op('SimplifiedLayerNormalization', [residual, normWeight('model.layers.0.input_layernorm.weight')], {
    axis: -1,
    epsilon,
    stash_type: 1,
  });

  const qkvStd = 1 / Math.sqrt(hidden);
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}`;
    const projections = [
      { name: 'q_proj', out: heads * headDim },
      { name: 'k_proj', out: kvHeads * headDim },
      { name: 'v_proj', out: kvHeads * headDim },
    ];
    let qkv = linear(
      normed,
      `${p}.self_attn.qkv_proj.weight`,
      projections.map((q) => ({ name: `${p}.self_attn.${q.name}.weight`, out: q.out, std: qkvStd })),
      hidden,
    );
    if (shape.architecture === 'qwen2') {
      const bias = packedVectorInitializer(
        g,
        seed,
        `${p}.self_attn.qkv_proj.bias`,
        projections.map((q) => ({ name: `${p}.self_attn.${q.name}.bias`, size: q.out, std: 0.1 })),
      );
      qkv = g.op('Add', [qkv, bias]);
    }
    const [attn] = g.node(
      'GroupQueryAttention',
      [qkv, '', '', `past_key_values.${i}.key`, `past_key_values.${i}.value`, mask.seqlensK, mask.totalSequenceLength, cosCache, sinCache, '', mask.attentionBias],
      {
        attrs: { num_heads: heads, kv_num_heads: kvHeads, do_rotary: 1, rotary_interleaved: 0 },
        domain: 'com.microsoft',
        outputs: [`${p}.attn_out`, `present.${i}.key`, `present.${i}.value`],
      },
    ) as [string];
    g.output(`present.${i}.key`, 'float32', ['batch_size', kvHeads, 'total_sequence_length', headDim]);
    g.output(`present.${i}.value`, 'float32', ['batch_size', kvHeads, 'total_sequence_length', headDim]);
    const oProj = `${p}.self_attn.o_proj.weight`;
    const attnOut = linear(attn, oProj, [{ name: oProj, out: hidden, std: 1 / Math.sqrt(heads * headDim) }], heads * headDim);
    [normed, residual] = skipNorm(attnOut, residual, `${p}.post_attention_layernorm.weight`);

    const gateName = `${p}.mlp.gate_proj.weight`;
    const upName = `${p}.mlp.up_proj.weight`;
    const downName = `${p}.mlp.down_proj.weight`;
    const gate = linear(normed, gateName, [{ name: gateName, out: ffn, std: qkvStd }], hidden);
    const up = linear(normed, upName, [{ name: upName, out: ffn, std: qkvStd }], hidden);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    const mlpOut = linear(act, downName, [{ name: downName, out: hidden, std: 1 / Math.sqrt(ffn) }], ffn);
    const last = i + 1 === layers;
    [normed, residual] = skipNorm(mlpOut, residual, last ? 'model.norm.weight' : `model.layers.${i + 1}.input_layernorm.weight`, !last);
  }

  return finishWithLogits(g, seed, variant.precision, normed, keep, shape);
}
