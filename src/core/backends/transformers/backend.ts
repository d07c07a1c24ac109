/**
 * The transformers.js backend: likelihood scoring with shared-prefix KV reuse and batching,
 * and generation, on WASM / WebGPU in the browser and on onnxruntime-node in Node.
 *
 * Likelihood batches:
 *  - without a shared prefix: prompts are LEFT-padded so every row's last position is its
 *    answer position; models whose graph takes `num_logits_to_keep` return only that
 *    position's logits (the [batch, seq, vocab] copy is what dominates otherwise);
 *  - with a shared prefix: the prefix's cache (computed once, kept on the CPU) is tiled over
 *    the batch and the suffixes are RIGHT-padded after it; each row's answer position is its
 *    own last real suffix token. Only suffix positions produce logits, and with
 *    `num_logits_to_keep` only those from the shortest row's answer position on.
 */
import { DynamicCache, Tensor, random, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { throwIfAborted, type BackendInfo, type GenerationRequest, type LabelScore, type LabelScoringRequest, type ModelBackend, type ScoreOptions } from '../backend.ts';
import { labelTokenIds, scoreFromLogits } from '../../engine/likelihood.ts';
import { createChatFormatter, type ChatFormatter, type SystemRole } from './chat.ts';
import type { LoadedModel } from './load-model.ts';
import { batchesByLength, planPrefixGroups } from './prefix.ts';
import { KEEP_INPUT } from './logits-to-keep.ts';
import type { LogitsToKeepOutcome } from './session-editing.ts';
import { floatValues, tileValues, type FloatStorage } from './tensor-values.ts';

type Outputs = Record<string, Tensor>;

/** A KV cache tensor copied to the CPU in its own element type (float32, or float16 as raw bits). */
interface CachedTensor {
  type: 'float32' | 'float16';
  data: FloatStorage;
  dims: number[];
}

interface CachedPrefix {
  key: string;
  length: number;
  /** past_key_values.{i}.key|value -> [1, kvHeads, length, headDim] on the CPU. */
  entries: Map<string, CachedTensor>;
}

export interface TransformersBackendOptions {
  info: Omit<BackendInfo, 'systemRole' | 'supportsLikelihood' | 'supportsGeneration'>;
  templateKwargs?: Record<string, unknown>;
  systemRole?: SystemRole;
  /** Prefixes shorter than this many tokens are not cached. */
  minPrefixTokens?: number;
  /** How many prefix caches to keep (least recently used goes first). */
  prefixCacheSize?: number;
}

export class TransformersBackend implements ModelBackend {
  readonly info: BackendInfo;
  private readonly model: PreTrainedModel;
  private readonly tokenizer: PreTrainedTokenizer;
  private readonly chat: ChatFormatter;
  private readonly labelIds = new Map<string, number[]>();
  private readonly prefixCache: CachedPrefix[] = [];
  private readonly hasKeepInput: boolean;
  private readonly padId: number;
  private readonly eosIds: number[];
  private readonly minPrefix: number;
  /**
   * Models whose attention refuses several new tokens over a cache for more than one row at a
   * time (onnxruntime's GroupQueryAttention, used by onnx-community's exports): found on the
   * first refusal, after which suffixes after a cached prefix run one row at a time.
   */
  private prefixRowsOneByOne = false;
  private readonly prefixCacheSize: number;
  /** Counters for benchmarks and tests. */
  readonly stats = { forwardCalls: 0, prefixComputations: 0, promptTokens: 0, prefixTokensReused: 0 };

  constructor(
    private readonly loaded: LoadedModel,
    options: TransformersBackendOptions,
  ) {
    this.model = loaded.model;
    this.tokenizer = loaded.tokenizer;
    this.chat = createChatFormatter(loaded.tokenizer, { templateKwargs: options.templateKwargs, systemRole: options.systemRole });
    const session = (this.model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.model;
    this.hasKeepInput = Boolean(session?.inputNames.includes(KEEP_INPUT));
    this.info = {
      ...options.info,
      logits: describeLogits(loaded.logitsToKeep, this.hasKeepInput),
      systemRole: this.chat.systemRole,
      supportsLikelihood: true,
      supportsGeneration: true,
    };
    const config = this.model.config as unknown as { pad_token_id?: number; eos_token_id?: number | number[] };
    const generation = (this.model as unknown as { generation_config?: { eos_token_id?: number | number[] } }).generation_config;
    const eos = generation?.eos_token_id ?? config.eos_token_id;
    this.eosIds = eos === undefined ? [] : Array.isArray(eos) ? eos : [eos];
    this.padId = this.tokenizer.pad_token_id ?? config.pad_token_id ?? this.eosIds[0] ?? 0;
    this.minPrefix = options.minPrefixTokens ?? 4;
    this.prefixCacheSize = options.prefixCacheSize ?? 4;
  }

  /** The text the model sees for a prompt (chat template applied). */
  formatPrompt(prompt: LabelScoringRequest['prompt']): string {
    return this.chat.format(prompt);
  }

  tokenize(text: string): number[] {
    return Array.from(this.tokenizer.encode(text, { add_special_tokens: false }));
  }

  private labelTokens(label: string): number[] {
    let ids = this.labelIds.get(label);
    if (!ids) {
      ids = labelTokenIds({ encode: (t) => this.tokenize(t) }, label);
      this.labelIds.set(label, ids);
    }
    return ids;
  }

  async scoreLabels(requests: LabelScoringRequest[], options: ScoreOptions): Promise<LabelScore[]> {
    const tokens = requests.map((r) => this.tokenize(this.formatPrompt(r.prompt)));
    const labelSets = requests.map((r) => r.labels.map((l) => this.labelTokens(l)));
    const out = new Array<LabelScore>(requests.length);
    const groups = options.prefixReuse
      ? planPrefixGroups(tokens, requests.map((r) => r.prompt.system ?? ''), this.minPrefix)
      : [{ prefix: [], members: requests.map((_, i) => i) }];

    for (const group of groups) {
      const prefix = group.prefix.length > 0 ? await this.prefixFor(group.prefix, group.members.length) : null;
      const suffixLength = (i: number) => tokens[i]!.length - (prefix?.length ?? 0);
      for (const batch of batchesByLength(group.members, suffixLength, Math.max(1, options.batchSize))) {
        throwIfAborted(options.signal);
        const rows = prefix
          ? await this.suffixesAfterPrefix(prefix, batch.map((i) => tokens[i]!.slice(prefix.length)))
          : await this.forwardLeftPadded(batch.map((i) => tokens[i]!));
        batch.forEach((requestIndex, b) => {
          out[requestIndex] = scoreFromLogits(rows[b]!, labelSets[requestIndex]!);
        });
        this.stats.promptTokens += batch.reduce((s, i) => s + tokens[i]!.length, 0);
        if (prefix) this.stats.prefixTokensReused += prefix.length * batch.length;
      }
    }
    return out;
  }

  private async run(feeds: Record<string, unknown>): Promise<Outputs> {
    this.stats.forwardCalls++;
    return (await this.model.forward(feeds)) as Outputs;
  }

  /** Left-padded batch; returns each row's last-position logits. */
  private async forwardLeftPadded(rows: number[][]): Promise<Float32Array[]> {
    const width = Math.max(...rows.map((r) => r.length));
    const ids = new BigInt64Array(rows.length * width).fill(BigInt(this.padId));
    const mask = new BigInt64Array(rows.length * width);
    rows.forEach((row, b) => {
      const offset = b * width + (width - row.length);
      row.forEach((t, j) => {
        ids[offset + j] = BigInt(t);
        mask[offset + j] = 1n;
      });
    });
    const feeds: Record<string, unknown> = {
      input_ids: new Tensor('int64', ids, [rows.length, width]),
      attention_mask: new Tensor('int64', mask, [rows.length, width]),
    };
    if (this.hasKeepInput) feeds.num_logits_to_keep = new Tensor('int64', [1n], []);
    const outputs = await this.run(feeds);
    const result = lastPositions(outputs.logits!, rows.map(() => (this.hasKeepInput ? 1 : width)));
    await disposeOutputs(outputs);
    return result;
  }

  /** Suffixes after a cached prefix: batched, or row by row on models that refuse batches there. */
  private async suffixesAfterPrefix(prefix: CachedPrefix, suffixes: number[][]): Promise<Float32Array[]> {
    if (suffixes.length > 1 && !this.prefixRowsOneByOne) {
      try {
        return await this.forwardWithPrefix(prefix, suffixes);
      } catch (error) {
        if (!/batch_size must be 1/i.test(String(error instanceof Error ? error.message : error))) throw error;
        this.prefixRowsOneByOne = true;
      }
    }
    if (suffixes.length === 1 || !this.prefixRowsOneByOne) return this.forwardWithPrefix(prefix, suffixes);
    const out: Float32Array[] = [];
    for (const suffix of suffixes) out.push(...(await this.forwardWithPrefix(prefix, [suffix])));
    return out;
  }

  /** A cached prefix tiled over the batch, then right-padded suffixes. */
  private async forwardWithPrefix(prefix: CachedPrefix, suffixes: number[][]): Promise<Float32Array[]> {
    const batch = suffixes.length;
    const width = Math.max(...suffixes.map((s) => s.length));
    const total = prefix.length + width;
    const ids = new BigInt64Array(batch * width).fill(BigInt(this.padId));
    const mask = new BigInt64Array(batch * total);
    suffixes.forEach((suffix, b) => {
      mask.fill(1n, b * total, b * total + prefix.length + suffix.length);
      suffix.forEach((t, j) => {
        ids[b * width + j] = BigInt(t);
      });
    });
    const cache: Record<string, Tensor> = {};
    for (const [name, { type, data, dims }] of prefix.entries) {
      cache[name] = new Tensor(type, tileValues(data, batch) as Float32Array, [batch, ...dims.slice(1)]);
    }
    const feeds: Record<string, unknown> = {
      input_ids: new Tensor('int64', ids, [batch, width]),
      attention_mask: new Tensor('int64', mask, [batch, total]),
      past_key_values: new DynamicCache(cache),
    };
    // Right padding puts each row's answer at its own last suffix token: keep the positions from
    // the shortest row's answer to the end (batches are sorted by length, so a few at most).
    const keep = this.hasKeepInput ? width - Math.min(...suffixes.map((s) => s.length)) + 1 : width;
    if (this.hasKeepInput) feeds.num_logits_to_keep = new Tensor('int64', [BigInt(keep)], []);
    const outputs = await this.run(feeds);
    const result = suffixes.map((s, b) => rowAt(outputs.logits!, b, s.length - 1 - (width - keep)));
    await disposeOutputs(outputs);
    return result;
  }

  /**
   * The cached prefix for these tokens, computing it if needed. A cached prefix that is a shorter
   * start of them serves too when running the difference with each of the `members` prompts costs
   * fewer tokens than computing the longer prefix (a chunk whose prompts happen to share a few more
   * tokens than the last one's should not recompute the persona).
   */
  private async prefixFor(prefixTokens: number[], members: number): Promise<CachedPrefix> {
    const key = prefixTokens.join(',');
    let hit = this.prefixCache.findIndex((p) => p.key === key);
    if (hit < 0) {
      hit = this.prefixCache.findIndex(
        (p) => p.length >= this.minPrefix && (prefixTokens.length - p.length) * members < prefixTokens.length && key.startsWith(`${p.key},`),
      );
    }
    if (hit >= 0) {
      const [entry] = this.prefixCache.splice(hit, 1);
      this.prefixCache.unshift(entry!);
      return entry!;
    }
    this.stats.prefixComputations++;
    const n = prefixTokens.length;
    const feeds: Record<string, unknown> = {
      input_ids: new Tensor('int64', BigInt64Array.from(prefixTokens, (t) => BigInt(t)), [1, n]),
      attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
    };
    if (this.hasKeepInput) feeds.num_logits_to_keep = new Tensor('int64', [1n], []);
    const outputs = await this.run(feeds);
    const entries = new Map<string, CachedTensor>();
    for (const [name, tensor] of Object.entries(outputs)) {
      if (!name.startsWith('present.')) continue;
      entries.set(name.replace('present.', 'past_key_values.'), await cpuCopy(tensor));
    }
    await disposeOutputs(outputs);
    const entry: CachedPrefix = { key, length: n, entries };
    this.prefixCache.unshift(entry);
    this.prefixCache.length = Math.min(this.prefixCache.length, this.prefixCacheSize);
    return entry;
  }

  async generate(requests: GenerationRequest[], options: { signal?: AbortSignal }): Promise<string[][]> {
    const out: string[][] = [];
    for (const request of requests) {
      throwIfAborted(options.signal);
      const text = this.formatPrompt(request.prompt);
      const ids = this.tokenize(text);
      const n = request.samples;
      const sampling = request.temperature > 0;
      if (sampling) random.seed(request.seed);
      const rows = sampling ? n : 1;
      const inputIds = new BigInt64Array(rows * ids.length);
      for (let r = 0; r < rows; r++) ids.forEach((t, j) => (inputIds[r * ids.length + j] = BigInt(t)));
      this.stats.forwardCalls++;
      const sequences = (await this.model.generate({
        input_ids: new Tensor('int64', inputIds, [rows, ids.length]),
        attention_mask: new Tensor('int64', new BigInt64Array(rows * ids.length).fill(1n), [rows, ids.length]),
        max_new_tokens: request.maxNewTokens,
        do_sample: sampling,
        ...(sampling ? { temperature: request.temperature } : {}),
        ...(this.eosIds.length > 0 ? { eos_token_id: this.eosIds } : {}),
        pad_token_id: this.padId,
      } as Record<string, unknown>)) as Tensor;
      const width = sequences.dims[1]!;
      const data = sequences.data as BigInt64Array;
      const texts: string[] = [];
      for (let r = 0; r < rows; r++) {
        const generated = Array.from(data.subarray(r * width + ids.length, (r + 1) * width), Number).filter(
          (t) => !this.eosIds.includes(t) && t !== this.padId,
        );
        texts.push(this.tokenizer.decode(generated, { skip_special_tokens: true }));
      }
      // Greedy decoding is deterministic: n samples at temperature 0 are n copies.
      out.push(sampling ? texts : new Array<string>(n).fill(texts[0]!));
      this.stats.promptTokens += ids.length * rows;
    }
    return out;
  }

  /** Forgets every cached prefix (benchmarks start each strategy cold). */
  clearPrefixCache(): void {
    this.prefixCache.length = 0;
  }

  async dispose(): Promise<void> {
    this.prefixCache.length = 0;
    await this.loaded.dispose();
  }
}

/** What the run record says about the model's logits. */
export function describeLogits(outcome: LogitsToKeepOutcome, hasKeepInput: boolean): string {
  if (outcome.kind === 'added') return 'last position only (num_logits_to_keep added to the graph at load)';
  if (hasKeepInput) return 'last position only (num_logits_to_keep in the graph)';
  if (outcome.kind === 'unsupported') return `every position (num_logits_to_keep could not be added: ${outcome.reason})`;
  return 'every position (the graph has no num_logits_to_keep)';
}

/** Logits of row b at position p of a [batch, seq, vocab] tensor. */
function rowAt(logits: Tensor, b: number, position: number): Float32Array {
  const [, seq, vocab] = logits.dims as [number, number, number];
  const start = (b * seq + position) * vocab;
  return floatValues(logits, start, start + vocab);
}

function lastPositions(logits: Tensor, _lengths: number[]): Float32Array[] {
  const [batch, seq] = logits.dims as [number, number, number];
  return Array.from({ length: batch }, (_, b) => rowAt(logits, b, seq - 1));
}

/** A KV cache tensor copied to the CPU, keeping its element type (a float16 cache is fed back as float16). */
async function cpuCopy(tensor: Tensor): Promise<CachedTensor> {
  const type = tensor.type;
  if (type !== 'float32' && type !== 'float16') throw new Error(`KV cache of type ${type}: float32 or float16 expected`);
  const dims = [...tensor.dims];
  if (tensor.location === 'gpu-buffer') {
    // Downloading from the GPU makes a new CPU array already: no second copy.
    const ort = (tensor as unknown as { ort_tensor: { getData(release?: boolean): Promise<FloatStorage> } }).ort_tensor;
    return { type, data: await ort.getData(), dims };
  }
  // A CPU output's data may be onnxruntime's own buffer, reused by the next run: copy it.
  return { type, data: (tensor.data as Float32Array | Uint16Array).slice(), dims };
}

async function disposeOutputs(outputs: Outputs): Promise<void> {
  await Promise.all(Object.values(outputs).filter((t) => t.location === 'gpu-buffer').map((t) => t.dispose()));
}
