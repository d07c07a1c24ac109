/**
 * Loads a causal language model and its tokenizer through transformers.js, from the Hugging
 * Face Hub (the default for users), from any host with the Hub's URL layout
 * (`<host>/<org>/<name>/resolve/<revision>/<file>`), or from a folder of model files
 * (`/models/<name>/` on the site, a directory in Node).
 *
 * DOM-free: the same code runs in a Worker, in the page and in Node. transformers.js keeps
 * its settings in one global `env`; `loadCausalLM` sets them for each load, so loads must not
 * overlap (the engine runs one model at a time).
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  Tensor,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
} from '@huggingface/transformers';
import { KEEP_INPUT } from './logits-to-keep.ts';
import { logitsToKeepOutcome, sessionEditingEnabled, setSessionEditing, type LogitsToKeepOutcome } from './session-editing.ts';

export const HUB_HOST = 'https://huggingface.co/';

export type ModelLocation =
  | { kind: 'hub'; id: string; revision?: string; host?: string }
  | { kind: 'folder'; /** Path prefix holding model folders: '/models/' on the site, a directory in Node. */ root: string; name: string };

export type Device = 'wasm' | 'webgpu' | 'cpu';
/** The weight dtypes a model is loaded in (the command line checks --dtype against these). */
export const LOADABLE_DTYPES = ['fp32', 'fp16', 'q8', 'q4', 'q4f16', 'int8', 'uint8', 'bnb4'] as const;
export type Dtype = (typeof LOADABLE_DTYPES)[number];

export interface LoadProgress {
  file: string;
  status: 'initiate' | 'download' | 'progress' | 'done' | 'ready';
  loaded?: number;
  total?: number;
}

export interface LoadOptions {
  device: Device;
  dtype: Dtype;
  /** A Hub access token for gated models. Used for this load's requests only; never stored. */
  token?: string;
  /** ONNX Runtime's WASM files, self-hosted (browser only). */
  wasmPaths?: { mjs: string; wasm: string };
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadedModel {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  location: ModelLocation;
  device: Device;
  dtype: Dtype;
  /**
   * Whether the graph returns last-position logits on request (`num_logits_to_keep`): its own
   * input, one added at load (session-editing.ts), or neither, and why.
   */
  logitsToKeep: LogitsToKeepOutcome;
  dispose(): Promise<void>;
}

const defaultFetch = env.fetch;

function configureEnvironment(location: ModelLocation, options: LoadOptions): string {
  if (options.wasmPaths && env.backends.onnx.wasm) {
    env.backends.onnx.wasm.wasmPaths = { ...options.wasmPaths };
  }
  if (location.kind === 'folder') {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = location.root.endsWith('/') ? location.root : `${location.root}/`;
    env.fetch = defaultFetch;
    return location.name;
  }
  const host = location.host ?? HUB_HOST;
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = host.endsWith('/') ? host : `${host}/`;
  const token = options.token;
  env.fetch = token
    ? (input, init) => {
        const url = String(input);
        if (!url.startsWith(env.remoteHost)) return defaultFetch(input, init);
        const headers = new Headers(init?.headers);
        headers.set('Authorization', `Bearer ${token}`);
        return defaultFetch(input, { ...init, headers });
      }
    : defaultFetch;
  return location.id;
}

export async function loadCausalLM(location: ModelLocation, options: LoadOptions): Promise<LoadedModel> {
  const loaded = await loadOnce(location, options);
  if (loaded.logitsToKeep.kind !== 'added') return loaded;
  // An edited graph is used only once it gives the original graph's logits.
  const check = await checkLogitsToKeep(loaded.model);
  if (check.ok) return loaded;
  await loaded.dispose();
  const wasEnabled = sessionEditingEnabled();
  setSessionEditing(false);
  try {
    const plain = await loadOnce(location, options);
    return { ...plain, logitsToKeep: { kind: 'unsupported', reason: `the edited graph's logits differ from the original's (${check.why})` } };
  } finally {
    setSessionEditing(wasEnabled);
  }
}

async function loadOnce(location: ModelLocation, options: LoadOptions): Promise<LoadedModel> {
  const id = configureEnvironment(location, options);
  const revision = location.kind === 'hub' ? location.revision : undefined;
  const progress_callback = options.onProgress
    ? (info: ProgressInfo) => {
        if (info.status === 'progress_total') return;
        options.onProgress!({
          file: 'file' in info ? String(info.file) : '',
          status: info.status,
          ...('loaded' in info ? { loaded: Number(info.loaded), total: Number(info.total) } : {}),
        });
      }
    : undefined;
  let stage: 'tokenizer' | 'model' = 'tokenizer';
  try {
    const tokenizer = await AutoTokenizer.from_pretrained(id, { revision, progress_callback });
    stage = 'model';
    const model = await AutoModelForCausalLM.from_pretrained(id, {
      revision,
      dtype: options.dtype,
      device: options.device,
      progress_callback,
    });
    const session = (model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.model;
    const outcome = logitsToKeepOutcome(session);
    return {
      model,
      tokenizer,
      location,
      device: options.device,
      dtype: options.dtype,
      // A graph read from a cache of edited copies reports 'added'; one nobody edited but that has the input is 'native'.
      logitsToKeep: outcome.kind === 'off' && session?.inputNames.includes(KEEP_INPUT) ? { kind: 'native' } : outcome,
      dispose: async () => {
        await model.dispose();
      },
    };
  } catch (error) {
    throw new ModelLoadError(describeLoadFailure(error, stage, location, options.dtype), { cause: error });
  } finally {
    env.fetch = defaultFetch;
  }
}

/**
 * One short forward pass with every position's logits and one with the last position's only:
 * the edit is right when the last rows agree (a wrong edit gives another shape or other numbers).
 */
export async function checkLogitsToKeep(model: Pick<PreTrainedModel, 'config' | 'forward'>): Promise<{ ok: true } | { ok: false; why: string }> {
  const vocab = Number((model.config as unknown as { vocab_size?: number }).vocab_size ?? 4);
  const ids = [1, 2, 3, 4].map((t) => BigInt(t % Math.max(1, vocab)));
  const run = async (keep: bigint) => {
    const outputs = (await model.forward({
      input_ids: new Tensor('int64', BigInt64Array.from(ids), [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      [KEEP_INPUT]: new Tensor('int64', [keep], []),
    })) as Record<string, Tensor>;
    const logits = outputs.logits!;
    const dims = [...logits.dims];
    const data = Float32Array.from(logits.data as ArrayLike<number>);
    await Promise.all(Object.values(outputs).filter((t) => t.location === 'gpu-buffer').map((t) => t.dispose()));
    return { dims, data };
  };
  const all = await run(0n);
  const last = await run(1n);
  const v = all.dims[2]!;
  if (all.dims[1] !== ids.length || last.dims.join() !== [1, 1, v].join()) {
    return { ok: false, why: `shapes [${all.dims}] and [${last.dims}]` };
  }
  const reference = all.data.subarray((ids.length - 1) * v);
  let maxDiff = 0;
  let scale = 1;
  for (let i = 0; i < v; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(reference[i]! - last.data[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  // fp16 kernels may round one row differently from four; a wrong edit is off by the logits' own size.
  return maxDiff <= 2e-2 * scale ? { ok: true } : { ok: false, why: `max |difference| ${maxDiff.toPrecision(3)}` };
}

/** A model that cannot be loaded, said in terms of its files; the library's error is the `cause`. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/**
 * transformers.js and ONNX Runtime explain failures in their own terms ("`local_files_only=true`
 * ... file was not found locally", "Unexpected end of JSON input" without a file name, "Unsupported
 * model type: null"); this says which file of the model is missing or damaged.
 */
function describeLoadFailure(error: unknown, stage: 'tokenizer' | 'model', location: ModelLocation, dtype: Dtype): string {
  const where =
    location.kind === 'folder'
      ? `the model folder ${location.root.replace(/\/+$/, '')}/${location.name}`
      : `the Hub model ${location.id}${location.revision ? `@${location.revision}` : ''}`;
  const message = error instanceof Error ? error.message : String(error);
  const host = location.kind === 'folder' ? 'this site' : new URL(location.host ?? HUB_HOST).host;
  // A request that got no answer: the browser's "Failed to fetch" / "NetworkError", Node's "fetch failed".
  if (/failed to fetch|networkerror|fetch failed|load failed|ERR_INTERNET_DISCONNECTED|ECONNREFUSED|ENOTFOUND/i.test(message)) {
    return `${where}: could not reach ${host} (${message}). This browser may be offline, or the host is blocked or down; models downloaded before stay usable (Models on disk), and the synthetic test model works offline`;
  }
  if (/(Unauthorized|Forbidden) access to file/i.test(message)) {
    return `${where}: ${host} refused access (${message}). A gated model needs a Hub access token that has accepted its licence (the Hub token field in New run; HF_TOKEN for the command line); a private or misspelt id answers the same way`;
  }
  const missing = /file was not found locally at "([^"]+)"|could not locate file:? "([^"]+)"/i.exec(message);
  if (missing) {
    const file = missing[1] ?? missing[2] ?? 'a file';
    const hint = /\.onnx$/.test(file) ? ` (dtype ${dtype} reads ${file.split('/').slice(-2).join('/')}; choose a dtype the model has, with --dtype)` : '';
    return `${where} has no ${file.split('/').slice(-1)[0]}: ${file} is missing${hint}`;
  }
  const unsupported = /Unsupported model type: (\S+)/.exec(message);
  if (unsupported) {
    const type = unsupported[1]!;
    return type === 'null' || type === 'undefined'
      ? `${where}: its config.json gives no "model_type", so transformers.js cannot tell which model it is`
      : `${where}: its config.json gives model type "${type}", which transformers.js cannot load as a causal language model`;
  }
  if (error instanceof SyntaxError) {
    const files = stage === 'tokenizer' ? 'tokenizer.json or tokenizer_config.json' : 'config.json or generation_config.json';
    return `${where}: its ${files} is not valid JSON (${message})`;
  }
  const onnx = /Load model from (\S+) failed:\s*(.*)/s.exec(message);
  if (onnx) return `${where}: ${onnx[1]} is not a readable ONNX model (${onnx[2]!.trim()}): the file is damaged, truncated or not ONNX`;
  return `${where}: the ${stage === 'tokenizer' ? 'tokenizer' : 'model'} could not be loaded (${message})`;
}
