/** Node's side of opening a model: local folders on disk, synthetic models generated on demand. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { env } from '@huggingface/transformers';
import { ModelOpenError, type OpenModelContext } from '../core/backends/open-model.ts';
import type { Device, Dtype } from '../core/backends/transformers/load-model.ts';
import { PLURALSCOPE_VERSION } from '../core/record/build.ts';
import { writeSyntheticModel } from '../synth/model-files.ts';
import { DEFAULT_SYNTH_SEED, SYNTH_PRESETS } from '../synth/presets.ts';
import { directorySink } from './fs-model-sink.ts';
import { cacheRoot, PACKAGE_ROOT } from './paths.ts';
import { installNodeSessionEditing } from './session-editing.ts';

// Every model Node opens gets last-position logits where its graph allows (session-editing.ts).
installNodeSessionEditing();

function packageVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

export function nodeLibraries(): Record<string, string> {
  return {
    pluralscope: PLURALSCOPE_VERSION,
    '@huggingface/transformers': env.version,
    'onnxruntime-node': packageVersion('onnxruntime-node'),
    node: process.versions.node,
  };
}

/** The folder of a synthetic preset: the committed one, or one generated into the cache. */
export function syntheticFolder(preset: string): string {
  const committed = join(PACKAGE_ROOT, 'public', 'models', `synthetic-${preset}`);
  if (existsSync(join(committed, 'config.json'))) return committed;
  const shape = SYNTH_PRESETS[preset];
  if (!shape) throw new ModelOpenError(`unknown synthetic preset "${preset}"; presets: ${Object.keys(SYNTH_PRESETS).join(', ')}`);
  const cached = join(cacheRoot(), 'models', `synthetic-${preset}`);
  if (!existsSync(join(cached, 'config.json'))) {
    writeSyntheticModel(
      { shape, seed: DEFAULT_SYNTH_SEED, precisions: ['fp32', 'q4'], logitsToKeep: false, externalData: 'auto', preset },
      directorySink(cached),
    );
  }
  return cached;
}

/**
 * The folder's config.json must be a JSON object naming its model type: transformers.js reports
 * a broken one as "Unexpected end of JSON input" or "Unsupported model type: null", naming no file.
 */
function checkConfig(folder: string): void {
  const path = join(folder, 'config.json');
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ModelOpenError(`${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!config || typeof config !== 'object' || typeof (config as { model_type?: unknown }).model_type !== 'string') {
    throw new ModelOpenError(`${path} gives no "model_type" (such as "qwen2" or "llama"), so the model cannot be loaded`);
  }
}

export function nodeModelContext(options: { device: Device; dtype: Dtype; onProgress?: OpenModelContext['onProgress'] }): Omit<OpenModelContext, 'baselines'> {
  env.cacheDir = join(cacheRoot(), 'hub');
  return {
    device: options.device,
    deviceReason: options.device === 'cpu' ? 'onnxruntime-node CPU' : 'onnxruntime-node WebGPU',
    dtype: options.dtype,
    hubHost: process.env.PLURALSCOPE_HUB_HOST,
    hubToken: process.env.HF_TOKEN,
    apiKey: process.env.PLURALSCOPE_API_KEY ?? process.env.OPENAI_API_KEY,
    libraries: nodeLibraries(),
    onProgress: options.onProgress,
    async resolveLocal(ref) {
      const folder = ref.kind === 'synthetic' ? syntheticFolder(ref.preset) : resolve(ref.path);
      if (!existsSync(join(folder, 'config.json'))) {
        throw new ModelOpenError(`${folder} is not a model folder: it has no config.json (a transformers.js model folder has config.json, tokenizer.json, tokenizer_config.json and onnx/)`);
      }
      checkConfig(folder);
      if (!existsSync(join(folder, 'tokenizer.json'))) throw new ModelOpenError(`${folder} has no tokenizer.json (a transformers.js model folder has config.json, tokenizer.json and onnx/)`);
      return { kind: 'folder', root: dirname(folder), name: basename(folder) };
    },
  };
}
