/**
 * Everything a synthetic model folder contains, in the layout transformers.js loads:
 *
 *   config.json, generation_config.json, tokenizer.json, tokenizer_config.json,
 *   synthetic.json (how it was made), README.md,
 *   onnx/model.onnx (fp32) and onnx/model_q4.onnx (MatMulNBits), and on request onnx/model_q4f16.onnx
 *   (the q4 graph with float16 logits and KV cache, as q4f16 exports have), each with
 *   onnx/<file>.onnx_data when its weights would pass protobuf's 2 GB limit.
 *
 * Pure: files are described here and written by a sink (Node's file system in the CLI).
 */
import { buildDecoderGraph, type DecoderShape, type GraphStyle, type Precision } from './decoder.ts';
import { useFloat16Interface } from './float16-io.ts';
import { encodeModel, type ExternalDataSink, type GraphBuilder } from './onnx-graph.ts';
import { buildTokenizer } from './tokenizer.ts';

export interface SyntheticModelOptions {
  shape: DecoderShape;
  seed: number;
  precisions: Precision[];
  logitsToKeep: boolean;
  /**
   * Graph style: 'plain' (standard ops) or 'fused' (ONNX Runtime contrib ops, as onnx-community
   * WebGPU exports). Absent means plain; synthetic.json records the style only when fused, so
   * plain folders stay byte-identical to those made before the option existed.
   */
  graph?: GraphStyle;
  /** 'auto' moves weights out of the .onnx file only when it would pass the protobuf limit. */
  externalData: 'auto' | 'always' | 'never';
  /** Recorded in synthetic.json so the folder says how to make it again. */
  preset: string | null;
}

/** Where bytes go: the CLI writes files; tests may keep them in memory. */
export interface ModelSink {
  writeFile(relativePath: string, bytes: Uint8Array): void;
  /** An append-only file for external weights. */
  openExternal(relativePath: string, fileName: string): ExternalDataSink & { close(): void };
}

const PROTOBUF_SAFE_BYTES = 1.8e9;
const ONNX_FILE: Record<Precision, string> = { fp32: 'model', q4: 'model_q4', q4f16: 'model_q4f16' };

function initializerBytes(graph: GraphBuilder): number {
  const size = { float32: 4, uint8: 1, int64: 8, bool: 1 } as const;
  return graph.initializers.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1) * size[t.type], 0);
}

export function writeSyntheticModel(options: SyntheticModelOptions, sink: ModelSink): { files: string[] } {
  const { shape } = options;
  const tokenizer = buildTokenizer(shape.vocab);
  const files: string[] = [];
  const json = (path: string, value: unknown) => {
    sink.writeFile(path, new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`));
    files.push(path);
  };

  const style = options.graph ?? 'plain';
  const fused = style === 'fused';
  const external: Record<string, number> = {};
  const graphs = options.precisions.map((precision) => {
    const graph = buildDecoderGraph(shape, { precision, logitsToKeep: options.logitsToKeep, graph: style }, options.seed);
    if (precision === 'q4f16') useFloat16Interface(graph);
    const fileName = `${ONNX_FILE[precision]}.onnx`;
    const useExternal =
      options.externalData === 'always' || (options.externalData === 'auto' && initializerBytes(graph) > PROTOBUF_SAFE_BYTES);
    if (useExternal) external[fileName] = 1;
    return { graph, fileName, useExternal };
  });

  const isQwen = shape.architecture === 'qwen2';
  json('config.json', {
    architectures: [isQwen ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM'],
    model_type: shape.architecture,
    hidden_size: shape.hidden,
    intermediate_size: shape.ffn,
    num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads,
    num_key_value_heads: shape.kvHeads,
    head_dim: shape.headDim,
    vocab_size: shape.vocab,
    max_position_embeddings: shape.maxPositions,
    rms_norm_eps: shape.rmsEps,
    rope_theta: shape.ropeTheta,
    hidden_act: 'silu',
    attention_bias: isQwen,
    tie_word_embeddings: false,
    use_cache: true,
    torch_dtype: 'float32',
    bos_token_id: tokenizer.ids.endoftext,
    eos_token_id: tokenizer.ids.imEnd,
    pad_token_id: tokenizer.ids.endoftext,
    'transformers.js_config': {
      ...(Object.keys(external).length > 0 ? { use_external_data_format: external } : {}),
    },
  });
  json('generation_config.json', {
    bos_token_id: tokenizer.ids.endoftext,
    eos_token_id: [tokenizer.ids.imEnd, tokenizer.ids.endoftext],
    pad_token_id: tokenizer.ids.endoftext,
    do_sample: false,
  });
  json('tokenizer.json', tokenizer.tokenizerJson);
  json('tokenizer_config.json', tokenizer.tokenizerConfig);
  json('synthetic.json', {
    generator: 'pluralscope models synth',
    preset: options.preset,
    seed: options.seed,
    shape,
    precisions: options.precisions,
    logits_to_keep: options.logitsToKeep,
    ...(fused ? { graph: style } : {}),
    note: 'Random weights: this model knows nothing. It exists to test and benchmark the loading and scoring code offline.',
  });
  sink.writeFile(
    'README.md',
    new TextEncoder().encode(
      `# Synthetic test model (${options.preset ?? 'custom shape'})\n\nA deterministic random-weight ${shape.architecture} decoder made by ` +
        '`pluralscope models synth`. Its answers are noise: use it to check that loading, scoring and the app work, never to ' +
        'judge anything. See synthetic.json for the exact shape and seed.\n' +
        (fused
          ? '\nGraph style: fused (SimplifiedLayerNormalization, SkipSimplifiedLayerNormalization, packed-QKV ' +
            'GroupQueryAttention with rotary caches), as in onnx-community WebGPU exports; needs ONNX Runtime\'s contrib ops.\n'
          : ''),
    ),
  );
  files.push('README.md');

  for (const { graph, fileName, useExternal } of graphs) {
    const path = `onnx/${fileName}`;
    let dataSink: (ExternalDataSink & { close(): void }) | undefined;
    if (useExternal) {
      dataSink = sink.openExternal(`${path}_data`, `${fileName}_data`);
      files.push(`${path}_data`);
    }
    const bytes = encodeModel(graph, {
      graphName: `pluralscope-synthetic-${shape.architecture}`,
      opsets: { '': 17, 'com.microsoft': 1 },
      producer: 'pluralscope-synth',
      external: dataSink,
    });
    dataSink?.close();
    sink.writeFile(path, bytes);
    files.push(path);
  }
  return { files };
}
