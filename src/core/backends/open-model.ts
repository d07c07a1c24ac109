/**
 * From a model reference to a ready backend. What differs between the browser and Node (where
 * folders live, which device) comes in through the context; everything else is shared.
 */
import type { Item } from '../items/item.ts';
import { formatModelRef, type ModelRef } from '../models/model-ref.ts';
import type { ItemPredictor, ModelBackend } from './backend.ts';
import { suiteBaseline, uniformBaseline } from './baseline/baselines.ts';
import { EndpointBackend } from './endpoint/openai-compatible.ts';
import { TransformersBackend } from './transformers/backend.ts';
import type { SystemRole } from './transformers/chat.ts';
import { loadCausalLM, type Device, type Dtype, type LoadProgress, type ModelLocation } from './transformers/load-model.ts';

/** The model cannot be opened as referenced (unknown baseline, missing folder, ...). */
export class ModelOpenError extends Error {
  override name = 'ModelOpenError';
}

export interface OpenModelContext {
  /** Where a folder or synthetic model lives in this environment. */
  resolveLocal(ref: Extract<ModelRef, { kind: 'folder' | 'synthetic' }>): Promise<ModelLocation>;
  hubHost?: string;
  device: Device;
  deviceReason?: string;
  adapter?: string;
  dtype: Dtype;
  /** Hub token for gated models (memory only). */
  hubToken?: string;
  /** Endpoint API key (memory only). */
  apiKey?: string;
  endpointOrigin?: string;
  endpointFetch?: typeof fetch;
  wasmPaths?: { mjs: string; wasm: string };
  onProgress?: (progress: LoadProgress) => void;
  libraries: Record<string, string>;
  /** Suite-defined baselines by name. */
  baselines?: Record<string, (item: Item) => number[] | null>;
  /** Per-model chat needs (from the catalogue): Qwen3's enable_thinking, Gemma's lack of a system role. */
  templateKwargs?: Record<string, unknown>;
  systemRole?: SystemRole;
}

export async function openModel(ref: ModelRef, context: OpenModelContext): Promise<ModelBackend | ItemPredictor> {
  const refText = formatModelRef(ref);
  switch (ref.kind) {
    case 'baseline': {
      if (ref.name === 'uniform') return uniformBaseline();
      const predict = context.baselines?.[ref.name];
      if (!predict) {
        const known = ['uniform', ...Object.keys(context.baselines ?? {})];
        throw new ModelOpenError(`unknown baseline "${ref.name}" for this suite; available: ${known.map((k) => `baseline:${k}`).join(', ')}`);
      }
      return suiteBaseline(ref.name, predict);
    }
    case 'endpoint':
      return new EndpointBackend({
        baseUrl: ref.baseUrl,
        model: ref.model,
        apiKey: context.apiKey,
        origin: context.endpointOrigin,
        fetch: context.endpointFetch,
      });
    case 'hub':
    case 'folder':
    case 'synthetic': {
      const location: ModelLocation =
        ref.kind === 'hub'
          ? { kind: 'hub', id: ref.id, ...(ref.revision ? { revision: ref.revision } : {}), ...(context.hubHost ? { host: context.hubHost } : {}) }
          : await context.resolveLocal(ref);
      const loaded = await loadCausalLM(location, {
        device: context.device,
        dtype: context.dtype,
        token: context.hubToken,
        wasmPaths: context.wasmPaths,
        onProgress: context.onProgress,
      });
      return new TransformersBackend(loaded, {
        info: {
          kind: ref.kind,
          ref: refText,
          id: ref.kind === 'hub' ? ref.id : location.kind === 'folder' ? location.name : refText,
          ...(ref.kind === 'hub' && ref.revision ? { revision: ref.revision } : {}),
          dtype: context.dtype,
          device: context.device,
          ...(context.deviceReason ? { deviceReason: context.deviceReason } : {}),
          ...(context.adapter ? { adapter: context.adapter } : {}),
          libraries: context.libraries,
        },
        templateKwargs: context.templateKwargs,
        systemRole: context.systemRole,
      });
    }
  }
}
