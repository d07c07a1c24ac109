/**
 * The engine: items -> prompts -> per-item option distributions.
 *
 *   1. Each item is rendered once per option order (one order when fixed; every cyclic
 *      rotation of the substantive options when order control is on).
 *   2. Items are taken in chunks (the first one batch, then a few seconds' worth); items
 *      sharing a system prompt are kept together so the backend can reuse their prefix's
 *      key/value cache (a cached prefix outlives its chunk).
 *   3. The backend scores each prompt (likelihood over the option labels, or generation then
 *      the answer parser); distributions are mapped back to the source's option order and
 *      averaged over rotations.
 *   4. Each finished item is handed to `onResult` at once (the app saves it to IndexedDB), so
 *      a crash loses at most the chunk in flight; `skip` resumes a run.
 */
import { isItemPredictor, throwIfAborted, type ItemPredictor, type ModelBackend } from '../backends/backend.ts';
import type { Item } from '../items/item.ts';
import { cyclicOrders, renderPrompt, type PromptTemplate, type RenderedPrompt } from '../prompts/template.ts';
import type { ItemResult } from '../record/schema.ts';
import { parseAnswer, type ParserId } from './parse-answer.ts';
import { createProgressTracker, type Progress } from './progress.ts';
import { hashString32 } from '../random/prng.ts';
import { sha256Hex } from '../hash/sha256.ts';

export interface ScoringConfig {
  mode: 'likelihood' | 'generate';
  order: 'fixed' | 'cyclic';
  template: PromptTemplate;
  seed: number;
  /** Generation mode. */
  samples: number;
  temperature: number;
  maxNewTokens: number;
  parser: ParserId;
  prefixReuse: boolean;
  batchSize: number;
  /** Prompts sent to the backend per call (progress and saving happen between calls): at most this many. */
  chunkSize: number;
  /**
   * When > 0, chunks are sized by time: the first is one batch (so the first results, progress
   * and save come after one forward pass, not after `chunkSize` prompts: minutes for a 0.5B model
   * in WASM), then each holds the whole batches that take about this many seconds at the speed
   * measured so far, up to `chunkSize` prompts. 0: always `chunkSize` prompts.
   */
  chunkSeconds: number;
}

export const DEFAULT_SCORING: Omit<ScoringConfig, 'template'> = {
  mode: 'likelihood',
  order: 'fixed',
  seed: 0,
  samples: 1,
  temperature: 0,
  maxNewTokens: 16,
  parser: 'label',
  prefixReuse: true,
  batchSize: 8,
  chunkSize: 32,
  chunkSeconds: 5,
};

export interface ScoreCallbacks {
  onResult?: (result: ItemResult) => void | Promise<void>;
  /** Awaited: a run that saves in here waits for the save, and stops if it fails. */
  onProgress?: (progress: Progress) => void | Promise<void>;
  signal?: AbortSignal;
  /** Ids of items already scored (a resumed run). */
  skip?: ReadonlySet<string>;
}

interface Job {
  item: Item;
  rotation: number;
  rendered: RenderedPrompt;
}

/** Maps a distribution over display positions back to the source's option order. */
export function toSourceOrder(displayProbs: readonly number[], order: readonly number[]): number[] {
  const out = new Array<number>(order.length).fill(0);
  order.forEach((original, position) => {
    out[original] = displayProbs[position]!;
  });
  return out;
}

function average(distributions: number[][]): number[] {
  const k = distributions[0]!.length;
  const out = new Array<number>(k).fill(0);
  for (const d of distributions) for (let i = 0; i < k; i++) out[i]! += d[i]! / distributions.length;
  return out;
}

/** Seed for one generation request: fixed by the run seed, the item and the rotation. */
export function requestSeed(runSeed: number, itemId: string, rotation: number): number {
  return hashString32(`${runSeed}:${itemId}:${rotation}`);
}

export function ordersFor(item: Item, order: ScoringConfig['order']): number[][] {
  return order === 'cyclic' ? cyclicOrders(item.options.length, item.fixedTail) : [item.options.map((_, i) => i)];
}

/** Items grouped by system prompt (first-seen order), so shared prefixes are adjacent. */
function groupBySystem(items: Item[]): Item[] {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = item.system ?? '';
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(item);
  }
  return [...groups.values()].flat();
}

export async function scoreItems(
  items: Item[],
  backend: ModelBackend | ItemPredictor,
  config: ScoringConfig,
  callbacks: ScoreCallbacks = {},
): Promise<ItemResult[]> {
  if (isItemPredictor(backend)) return predictItems(items, backend, callbacks);
  if (config.mode === 'likelihood' && !backend.info.supportsLikelihood) {
    throw new Error(`${backend.info.ref} cannot score likelihoods (no token probabilities); use generation mode`);
  }
  if (config.mode === 'generate' && !backend.info.supportsGeneration) {
    throw new Error(`${backend.info.ref} cannot generate text; use likelihood mode`);
  }
  const skip = callbacks.skip ?? new Set<string>();
  const todo = groupBySystem(items.filter((item) => !skip.has(item.id)));
  const progress = createProgressTracker(items.length, items.length - todo.length);
  const results: ItemResult[] = [];

  const rotationsPerItem = (item: Item) => ordersFor(item, config.order).length;
  const batch = Math.max(1, config.batchSize);
  const timed = config.chunkSeconds > 0;
  let chunkPrompts = timed ? Math.min(batch, config.chunkSize) : config.chunkSize;
  let index = 0;
  while (index < todo.length) {
    throwIfAborted(callbacks.signal);
    // Take whole items until the chunk holds about `chunkPrompts` prompts.
    const chunk: Item[] = [];
    let prompts = 0;
    while (index < todo.length && (chunk.length === 0 || prompts + rotationsPerItem(todo[index]!) <= chunkPrompts)) {
      prompts += rotationsPerItem(todo[index]!);
      chunk.push(todo[index++]!);
    }
    const jobs: Job[] = chunk.flatMap((item) =>
      ordersFor(item, config.order).map((order, rotation) => ({ item, rotation, rendered: renderPrompt(config.template, item, order) })),
    );
    const started = performance.now();
    const perJob = await scoreJobs(jobs, backend, config, callbacks.signal);
    const elapsedMs = performance.now() - started;
    const latencyMs = elapsedMs / chunk.length;
    if (timed) chunkPrompts = nextChunkPrompts(elapsedMs / prompts, config.chunkSeconds, batch, config.chunkSize);

    let cursor = 0;
    for (const item of chunk) {
      const n = rotationsPerItem(item);
      const mine = perJob.slice(cursor, cursor + n);
      cursor += n;
      const result = assemble(item, mine, config, latencyMs);
      results.push(result);
      await callbacks.onResult?.(result);
    }
    await callbacks.onProgress?.(progress.advance(chunk.length));
  }
  return results;
}

/** Whole batches that take about `seconds` at `msPerPrompt`: at least one batch, at most `max` prompts. */
export function nextChunkPrompts(msPerPrompt: number, seconds: number, batch: number, max: number): number {
  const fit = Math.floor((seconds * 1000) / Math.max(msPerPrompt, 1e-3) / batch) * batch;
  return Math.max(Math.min(batch, max), Math.min(max, fit));
}

/** The key under which a system prompt is stored once in a run record. */
export function systemKey(text: string): string {
  return sha256Hex(text).slice(0, 12);
}

/** Baselines answer items directly: no prompts, no rotations (they are order-invariant). */
async function predictItems(items: Item[], predictor: ItemPredictor, callbacks: ScoreCallbacks): Promise<ItemResult[]> {
  const skip = callbacks.skip ?? new Set<string>();
  const todo = items.filter((item) => !skip.has(item.id));
  const progress = createProgressTracker(items.length, items.length - todo.length);
  const results: ItemResult[] = [];
  for (const [i, item] of todo.entries()) {
    if (i % 256 === 0) throwIfAborted(callbacks.signal);
    const distribution = predictor.predict(item);
    const result: ItemResult = {
      id: item.id,
      meta: item.meta,
      refs: item.refs,
      question: item.question,
      ...(item.system ? { system: systemKey(item.system) } : {}),
      options: item.options,
      distribution,
      latencyMs: 0,
    };
    results.push(result);
    await callbacks.onResult?.(result);
    if ((i + 1) % 256 === 0 || i === todo.length - 1) await callbacks.onProgress?.(progress.advance((i % 256) + 1));
  }
  return results;
}

interface JobOutcome {
  /** Distribution in the source's order, or null (generation with no readable answer). */
  distribution: number[] | null;
  labelMass?: number;
  raw?: string[];
  parsed?: Array<number | null>;
  invalid?: number;
}

async function scoreJobs(jobs: Job[], backend: ModelBackend, config: ScoringConfig, signal?: AbortSignal): Promise<JobOutcome[]> {
  if (config.mode === 'likelihood') {
    const scores = await backend.scoreLabels(
      jobs.map((j) => ({ prompt: { system: j.rendered.system, user: j.rendered.user }, labels: j.rendered.labels })),
      { prefixReuse: config.prefixReuse, batchSize: config.batchSize, signal },
    );
    return scores.map((s, i) => ({ distribution: toSourceOrder(s.probs, jobs[i]!.rendered.order), labelMass: s.labelMass }));
  }
  const texts = await backend.generate(
    jobs.map((j) => ({
      prompt: { system: j.rendered.system, user: j.rendered.user },
      samples: config.samples,
      temperature: config.temperature,
      maxNewTokens: config.maxNewTokens,
      seed: requestSeed(config.seed, j.item.id, j.rotation),
    })),
    { signal },
  );
  return texts.map((samples, i) => {
    const { item, rendered } = jobs[i]!;
    const shownOptions = rendered.order.map((o) => item.options[o]!);
    const parsed: Array<number | null> = [];
    let invalid = 0;
    const counts = new Array<number>(item.options.length).fill(0);
    let counted = 0;
    for (const text of samples) {
      const answer = parseAnswer(config.parser, text, rendered.labels, shownOptions);
      if (!answer.valid) invalid++;
      const original = answer.index === null ? null : rendered.order[answer.index]!;
      parsed.push(original);
      if (original !== null) {
        counts[original]!++;
        counted++;
      }
    }
    return {
      distribution: counted > 0 ? counts.map((c) => c / counted) : null,
      raw: samples,
      parsed,
      invalid,
    };
  });
}

function assemble(item: Item, outcomes: JobOutcome[], config: ScoringConfig, latencyMs: number): ItemResult {
  const usable = outcomes.map((o) => o.distribution).filter((d): d is number[] => d !== null);
  const result: ItemResult = {
    id: item.id,
    meta: item.meta,
    refs: item.refs,
    question: item.question,
    ...(item.system ? { system: systemKey(item.system) } : {}),
    options: item.options,
    distribution: usable.length > 0 ? average(usable) : null,
    latencyMs,
  };
  if (outcomes.length > 1) result.rotations = usable;
  if (config.mode === 'likelihood') {
    result.labelMass = outcomes.reduce((s, o) => s + (o.labelMass ?? 0), 0) / outcomes.length;
  } else {
    result.raw = outcomes.flatMap((o) => o.raw ?? []);
    result.parsed = outcomes.flatMap((o) => o.parsed ?? []);
    result.invalid = outcomes.reduce((s, o) => s + (o.invalid ?? 0), 0);
  }
  return result;
}
