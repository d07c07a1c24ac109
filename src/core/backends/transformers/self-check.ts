/**
 * A model self-check: runs the same forward passes in any runtime (Node, a browser Worker,
 * WASM or WebGPU) and reports the numbers the engine's correctness rests on:
 *  - the logits' shape, [batch, seq, vocab];
 *  - incremental decoding with the KV cache against one full forward pass;
 *  - a left-padded batch against the same prompts run one by one;
 *  - the engine's own likelihood scoring with a reused prefix cache (copied to the CPU in its
 *    own element type, tiled over a batch, suffixes right-padded after it) against each prompt
 *    scored alone without it;
 *  - the last-position logits of a fixed prompt, so two runtimes can be compared.
 * The app's "Check this browser" page and the test suite both call it.
 */
import { DynamicCache, Tensor } from '@huggingface/transformers';
import type { LoadedModel } from './load-model.ts';
import { TransformersBackend } from './backend.ts';
import { floatValues } from './tensor-values.ts';

export interface SelfCheckReport {
  device: string;
  dtype: string;
  logitsShape: number[];
  /** Largest |incremental - full| over the last `cachedSteps` positions. */
  kvCacheMaxAbsDiff: number;
  cachedSteps: number;
  /** Largest |padded batch - single prompt| over the last position's logits. */
  paddingMaxAbsDiff: number;
  /** Largest |label probability with a reused prefix, batched - scored alone, no reuse|. */
  prefixReuseMaxAbsDiff: number;
  /** Prefix tokens the engine took from its cache in that comparison (0 means the path did not run). */
  prefixTokensReused: number;
  /** Last-position logits of the reference prompt. */
  referenceLogits: number[];
  millis: number;
}

/** The shared prefix of the engine-scoring check, as a persona system prompt is in a benchmark run. */
export const SELF_CHECK_PERSONA = 'Answer as a 45-year-old nurse from Leeds who rents her home and votes in every election.';

export const SELF_CHECK_PROMPTS = [
  'Which criterion is fairer?\nA. Allocation based on current achievements\nB. Equal allocation to each group\nC. N/A\nAnswer:',
  'How important is family in your life?\nA. Very important\nB. Rather important\nC. Not very important\nD. Not at all important\nAnswer:',
];

type Outputs = Record<string, Tensor>;

function int64(values: ArrayLike<number | bigint>, dims: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(Array.from(values, (v) => BigInt(v))), dims);
}

function rows(t: Tensor, batch: number, position: number): Float32Array {
  const [, seq, vocab] = t.dims as [number, number, number];
  const start = (batch * seq + position) * vocab;
  return floatValues(t, start, start + vocab);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function cacheFrom(outputs: Outputs): DynamicCache {
  const entries: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(outputs)) {
    if (name.startsWith('present.')) entries[name.replace('present.', 'past_key_values.')] = tensor;
  }
  return new DynamicCache(entries);
}

async function disposePresent(outputs: Outputs): Promise<void> {
  await Promise.all(
    Object.entries(outputs)
      .filter(([name, t]) => name.startsWith('present.') && t.location === 'gpu-buffer')
      .map(([, t]) => t.dispose()),
  );
}

export function chatPrompt(loaded: LoadedModel, user: string): string {
  return loaded.tokenizer.apply_chat_template([{ role: 'user', content: user }], {
    tokenize: false,
    add_generation_prompt: true,
  }) as string;
}

export async function runSelfCheck(loaded: LoadedModel, cachedSteps = 3): Promise<SelfCheckReport> {
  const started = performance.now();
  const { model, tokenizer } = loaded;
  const forward = (inputs: Record<string, unknown>) => model.forward(inputs) as Promise<Outputs>;

  // 1. One full pass over the reference prompt.
  const ids = Array.from(tokenizer.encode(chatPrompt(loaded, SELF_CHECK_PROMPTS[0]!)));
  const n = ids.length;
  const full = await forward({ input_ids: int64(ids, [1, n]), attention_mask: int64(ids.map(() => 1), [1, n]) });
  const logitsShape = [...full.logits!.dims];
  const referenceLogits = Array.from(rows(full.logits!, 0, n - 1));
  await disposePresent(full);

  // 2. The same prompt: a prefix pass, then one token at a time through the KV cache.
  const split = n - cachedSteps;
  let step = await forward({
    input_ids: int64(ids.slice(0, split), [1, split]),
    attention_mask: int64(new Array(split).fill(1), [1, split]),
  });
  let kvCacheMaxAbsDiff = 0;
  for (let i = split; i < n; i++) {
    const cache = cacheFrom(step);
    step = await forward({
      input_ids: int64([ids[i]!], [1, 1]),
      attention_mask: int64(new Array(i + 1).fill(1), [1, i + 1]),
      past_key_values: cache,
    });
    await cache.dispose();
    kvCacheMaxAbsDiff = Math.max(kvCacheMaxAbsDiff, maxAbsDiff(rows(step.logits!, 0, 0), rows(full.logits!, 0, i)));
  }
  await disposePresent(step);

  // 3. Both prompts in one left-padded batch against each alone.
  const texts = SELF_CHECK_PROMPTS.map((p) => chatPrompt(loaded, p));
  const previousSide = tokenizer.padding_side;
  tokenizer.padding_side = 'left';
  const batch = tokenizer(texts, { padding: true }) as { input_ids: Tensor; attention_mask: Tensor };
  tokenizer.padding_side = previousSide;
  const batched = await forward({ input_ids: batch.input_ids, attention_mask: batch.attention_mask });
  const width = batch.input_ids.dims[1]!;
  let paddingMaxAbsDiff = 0;
  for (let b = 0; b < texts.length; b++) {
    const single = tokenizer(texts[b]!) as { input_ids: Tensor; attention_mask: Tensor };
    const alone = await forward({ input_ids: single.input_ids, attention_mask: single.attention_mask });
    const len = single.input_ids.dims[1]!;
    paddingMaxAbsDiff = Math.max(paddingMaxAbsDiff, maxAbsDiff(rows(batched.logits!, b, width - 1), rows(alone.logits!, 0, len - 1)));
    await disposePresent(alone);
  }
  await disposePresent(batched);

  // 4. The engine's scoring path: both prompts after one persona, in one batch over the persona's
  //    reused cache, against each scored alone with no reuse.
  const backend = new TransformersBackend(loaded, {
    info: { kind: 'folder', ref: 'self-check', id: 'self-check', dtype: loaded.dtype, device: loaded.device, libraries: {} },
  });
  const requests = SELF_CHECK_PROMPTS.map((user) => ({
    prompt: { system: SELF_CHECK_PERSONA, user },
    labels: user.includes('D.') ? ['A', 'B', 'C', 'D'] : ['A', 'B', 'C'],
  }));
  const reused = await backend.scoreLabels(requests, { prefixReuse: true, batchSize: requests.length });
  const alone = await backend.scoreLabels(requests, { prefixReuse: false, batchSize: 1 });
  // Probabilities are float64: compared as they are (a float32 copy would round them by ~1e-7).
  const prefixReuseMaxAbsDiff = Math.max(...reused.map((r, i) => maxAbsDiff(r.probs, alone[i]!.probs)));
  backend.clearPrefixCache();

  return {
    device: loaded.device,
    dtype: loaded.dtype,
    logitsShape,
    kvCacheMaxAbsDiff,
    cachedSteps,
    paddingMaxAbsDiff,
    prefixReuseMaxAbsDiff,
    prefixTokensReused: backend.stats.prefixTokensReused,
    referenceLogits,
    millis: performance.now() - started,
  };
}
