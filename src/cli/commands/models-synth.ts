/** `pluralscope models synth`: write a deterministic random-weight model folder. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { GRAPH_STYLES, validateShape, type DecoderShape, type GraphStyle, type Precision } from '../../synth/decoder.ts';
import { writeSyntheticModel } from '../../synth/model-files.ts';
import { DEFAULT_SYNTH_SEED, SYNTH_PRESETS } from '../../synth/presets.ts';
import { MIN_SYNTHETIC_VOCAB } from '../../synth/tokenizer.ts';
import { directorySink } from '../../node/fs-model-sink.ts';
import { cacheRoot } from '../../node/paths.ts';
import { UsageError } from '../usage-error.ts';

export const MODELS_SYNTH_HELP = `Usage: pluralscope models synth [options]

Writes a deterministic random-weight decoder (Llama / Qwen2 architecture) in the folder
layout transformers.js loads. The same options and seed give byte-identical files.

Options:
  --preset <name>        ${Object.keys(SYNTH_PRESETS).join(', ')} (default: tiny)
  --out <dir>            output folder (default: public/models/synthetic-tiny for tiny, the
                         cache folder synthetic:<preset> opens for another preset; required
                         with a shape, architecture or seed of your own)
  --seed <n>             random seed (default: ${DEFAULT_SYNTH_SEED})
  --layers <n> --hidden <n> --heads <n> --kv-heads <n> --head-dim <n> --ffn <n> --vocab <n>
                         override the preset's shape (head size defaults to hidden / heads)
  --arch <qwen2|llama>   override the architecture
  --dtypes <list>        comma-separated precisions to write: fp32, q4, q4f16 (q4 with the float16
                         logits and KV cache of q4f16 exports) (default: fp32,q4)
  --logits-to-keep       add the num_logits_to_keep input (last-position logits on request)
  --graph <plain|fused>  plain: standard ONNX ops (default); fused: ONNX Runtime contrib ops as in
                         onnx-community WebGPU exports (SimplifiedLayerNormalization,
                         SkipSimplifiedLayerNormalization, GroupQueryAttention with rotary,
                         packed QKV); needs a head size that is a multiple of 16
  --external-data <auto|always|never>
                         move weights to .onnx_data files (auto: only past protobuf's 2 GB limit)
`;

/** Largest weight matrix written (2^28 values: 1 GiB in fp32; the largest preset's is 136 M). */
const MAX_TENSOR_ELEMENTS = 2 ** 28;

export function runModelsSynth(argv: string[], log: (line: string) => void): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      preset: { type: 'string', default: 'tiny' },
      out: { type: 'string' },
      seed: { type: 'string' },
      layers: { type: 'string' },
      hidden: { type: 'string' },
      heads: { type: 'string' },
      'kv-heads': { type: 'string' },
      'head-dim': { type: 'string' },
      ffn: { type: 'string' },
      vocab: { type: 'string' },
      arch: { type: 'string' },
      dtypes: { type: 'string', default: 'fp32,q4' },
      'logits-to-keep': { type: 'boolean', default: false },
      graph: { type: 'string', default: 'plain' },
      'external-data': { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    log(MODELS_SYNTH_HELP);
    return;
  }
  const presetName = values.preset;
  const preset = SYNTH_PRESETS[presetName];
  if (!preset) throw new UsageError(`unknown preset "${presetName}"; choose one of ${Object.keys(SYNTH_PRESETS).join(', ')}`);
  const int = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const n = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  const hidden = int('hidden', values.hidden, preset.hidden);
  const heads = int('heads', values.heads, preset.heads);
  const shapeChanged = values.hidden !== undefined || values.heads !== undefined;
  const arch = values.arch ?? preset.architecture;
  if (arch !== 'qwen2' && arch !== 'llama') throw new UsageError(`--arch must be qwen2 or llama, got "${arch}"`);
  const shape: DecoderShape = {
    ...preset,
    architecture: arch,
    layers: int('layers', values.layers, preset.layers),
    hidden,
    heads,
    kvHeads: int('kv-heads', values['kv-heads'], preset.kvHeads),
    headDim: int('head-dim', values['head-dim'], shapeChanged ? Math.floor(hidden / heads) : preset.headDim),
    ffn: int('ffn', values.ffn, preset.ffn),
    vocab: int('vocab', values.vocab, preset.vocab),
  };
  const precisions = values.dtypes.split(',').map((d) => d.trim()).filter(Boolean);
  for (const p of precisions) {
    if (p !== 'fp32' && p !== 'q4' && p !== 'q4f16') throw new UsageError(`--dtypes accepts fp32, q4 and q4f16, got "${p}"`);
  }
  const external = values['external-data'];
  if (external !== 'auto' && external !== 'always' && external !== 'never') {
    throw new UsageError(`--external-data must be auto, always or never, got "${external}"`);
  }
  const graph = values.graph as GraphStyle;
  if (!GRAPH_STYLES.includes(graph)) throw new UsageError(`--graph must be ${GRAPH_STYLES.join(' or ')}, got "${values.graph}"`);
  if (graph === 'fused' && shape.headDim % 16 !== 0) {
    throw new UsageError(`--graph fused needs a head size that is a multiple of 16 (GroupQueryAttention's rotary caches), got ${shape.headDim}`);
  }
  const seed = int('seed', values.seed, DEFAULT_SYNTH_SEED);
  // Every check before the output folder is replaced: a refused shape must not cost the old model.
  if (shape.vocab < MIN_SYNTHETIC_VOCAB) {
    throw new UsageError(`--vocab must be at least ${MIN_SYNTHETIC_VOCAB} (256 bytes, 26 label merges, 3 special tokens), got ${shape.vocab}`);
  }
  try {
    validateShape(shape);
  } catch (error) {
    throw new UsageError(`the model shape is invalid: ${(error as Error).message}`);
  }
  const largest = Math.max(shape.vocab * shape.hidden, shape.hidden * shape.ffn, shape.hidden * shape.heads * shape.headDim);
  if (largest > MAX_TENSOR_ELEMENTS) {
    throw new UsageError(`the model shape is too large to write: a weight matrix would hold ${largest} values (at most ${MAX_TENSOR_ELEMENTS}; the qwen2.5-0.5b preset's largest holds ${151936 * 896})`);
  }
  // The default folders hold the presets as they are: the committed test model (tiny) and the
  // cache folder `synthetic:<preset>` opens. A model of another shape, architecture or seed must
  // be given a folder of its own, or it would replace them.
  const custom = [values.layers, values.hidden, values.heads, values['kv-heads'], values['head-dim'], values.ffn, values.vocab, values.arch, values.seed].some((v) => v !== undefined);
  if (custom && values.out === undefined) {
    throw new UsageError('a shape, architecture or seed of your own needs --out <dir>: the default folders hold the presets (public/models/synthetic-tiny is the committed test model)');
  }
  const out = values.out ?? (presetName === 'tiny' ? 'public/models/synthetic-tiny' : join(cacheRoot(), 'models', `synthetic-${presetName}`));
  requireReplaceableOutput(out);
  const started = performance.now();
  const { files } = writeFolderAtomically(out, (folder) =>
    writeSyntheticModel(
      {
        shape,
        seed,
        precisions: precisions as Precision[],
        logitsToKeep: values['logits-to-keep'],
        graph,
        externalData: external,
        preset: shapeChanged || values.layers || values.ffn || values.vocab || values['kv-heads'] ? null : presetName,
      },
      directorySink(folder),
    ),
  );
  log(`wrote ${files.length} files to ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The file every synthetic model folder holds (how it was made): the mark of a folder this command wrote. */
export const SYNTHETIC_MARKER = 'synthetic.json';

/**
 * `--out` may be replaced only when it is absent, an empty folder, or a folder this command wrote
 * before (it holds synthetic.json): never a file, nor a folder of the user's own.
 */
function requireReplaceableOutput(out: string): void {
  const absolute = resolve(out);
  if (process.cwd() === absolute || process.cwd().startsWith(`${absolute}${sep}`)) {
    throw new UsageError(`--out: ${out} is the current folder or holds it; give the name of a folder to write the model in`);
  }
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a file; give a folder name (it is not overwritten)`);
  if (readdirSync(out).length === 0 || existsSync(join(out, SYNTHETIC_MARKER))) return;
  throw new UsageError(
    `--out: ${out} is a folder that holds other files and no ${SYNTHETIC_MARKER}, so it was not made by "models synth"; it is not replaced: give a new or empty folder`,
  );
}

/**
 * Writes a folder into a temporary sibling, then puts it in place of `out`: a failure part-way
 * leaves the old folder as it was and no half-written one.
 */
function writeFolderAtomically<T>(out: string, write: (folder: string) => T): T {
  const parent = dirname(resolve(out));
  mkdirSync(parent, { recursive: true });
  const partial = mkdtempSync(join(parent, `.${basename(resolve(out))}.partial-`));
  try {
    const result = write(partial);
    rmSync(out, { recursive: true, force: true });
    renameSync(partial, out);
    return result;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}
