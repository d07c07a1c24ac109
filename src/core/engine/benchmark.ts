/**
 * Engine throughput on one model: the four scoring strategies of the engine issue, on the same
 * FAIR-SP-style items with a persona system prompt.
 *   naive       greedy generation of up to 16 new tokens (stopping at end of sequence), one
 *               prompt at a time, then the answer parser
 *   likelihood  one forward pass per prompt, next-token label probabilities
 *   +prefix     likelihood, reusing the persona prefix's key/value cache
 *   +batching   likelihood, prefix reuse, 8 prompts per forward pass
 *
 * The limit each strategy is measured against: the raw onnxruntime session time of the same
 * forward passes with no engine around them. While a strategy runs, every session.run() call's
 * inputs are recorded (integer inputs as they were, float inputs, the key/value caches, by shape
 * only); afterwards the recorded calls are replayed straight on the onnxruntime session, one
 * after another, with nothing else running. A dense decoder's run time depends on its input
 * shapes, not on the cache's values, so the replay costs what the model itself costs.
 *   engine overhead = (strategy wall time - raw replay time) / raw replay time
 * The same code runs in Node (npm run bench) and in the browser's engine Worker ("Check this
 * browser" -> "Measure speed").
 */
import type { TransformersBackend } from '../backends/transformers/backend.ts';
import type { Item } from '../items/item.ts';
import type { PromptTemplate } from '../prompts/template.ts';
import { renderPrompt } from '../prompts/template.ts';
import { DEFAULT_SCORING, scoreItems, type ScoringConfig } from './score-items.ts';

const promptLength = (item: Item, template: PromptTemplate) => {
  const { system, user } = renderPrompt(template, item);
  return (system ?? item.system ?? '').length + user.length;
};

export interface StrategyResult {
  strategy: string;
  /** Time inside onnxruntime's session.run during the strategy. */
  sessionSeconds: number;
  /** The same forward passes replayed on the bare session, nothing around them. */
  rawSessionSeconds: number;
  /** (wall time - raw session time) / raw session time: what the engine adds around the model. */
  engineOverhead: number;
  items: number;
  seconds: number;
  itemsPerSecond: number;
  promptTokensPerSecond: number;
  firstItemMs: number;
  forwardCalls: number;
  /** session.run() calls (generation makes one per new token). */
  sessionRuns: number;
}

/**
 * Fixed chunks (chunkSeconds 0), as the committed results were measured: the app's timed chunks
 * (the first one batch) change when the first result comes, not the items per second.
 */
export const STRATEGIES: Array<{ name: string; config: Partial<ScoringConfig> }> = [
  { name: 'naive generate+parse', config: { mode: 'generate', maxNewTokens: 16, batchSize: 1, prefixReuse: false, parser: 'label', chunkSize: 1, chunkSeconds: 0 } },
  { name: 'likelihood', config: { mode: 'likelihood', batchSize: 1, prefixReuse: false, chunkSize: 1, chunkSeconds: 0 } },
  { name: 'likelihood + prefix reuse', config: { mode: 'likelihood', batchSize: 1, prefixReuse: true, chunkSize: 32, chunkSeconds: 0 } },
  { name: 'likelihood + prefix reuse + batching (8)', config: { mode: 'likelihood', batchSize: 8, prefixReuse: true, chunkSize: 32, chunkSeconds: 0 } },
];

/** An onnxruntime tensor as the session receives it (onnxruntime-web and -node share this shape). */
interface OrtTensorLike {
  type: string;
  dims: readonly number[];
  data: unknown;
  location?: string;
  constructor: new (type: string, data: unknown, dims: readonly number[]) => OrtTensorLike;
}
interface OrtSessionLike {
  run: (feeds: Record<string, OrtTensorLike>, ...rest: unknown[]) => Promise<Record<string, OrtTensorLike & { dispose?: () => void }>>;
}

/** One recorded input: integer data kept, float data by shape only. */
interface RecordedInput {
  name: string;
  type: string;
  dims: number[];
  data: ArrayLike<unknown> | null;
  make: OrtTensorLike['constructor'];
}

/**
 * Zeros for the float inputs of a replayed call, as views of one buffer that grows to the
 * largest input (nothing writes to it): allocating and clearing fresh arrays for thousands of
 * decoding steps would make the replay slower than the engine it is the yardstick for.
 */
let zeros = new ArrayBuffer(0);
function zeroView(bytesPerElement: number, n: number): ArrayBuffer {
  if (zeros.byteLength < n * bytesPerElement) zeros = new ArrayBuffer(n * bytesPerElement);
  return zeros;
}
const FLOAT_TYPES: Record<string, (n: number) => ArrayLike<unknown>> = {
  float32: (n) => new Float32Array(zeroView(4, n), 0, n),
  float16: (n) => new Uint16Array(zeroView(2, n), 0, n),
};

function copyData(tensor: OrtTensorLike): ArrayLike<unknown> {
  const data = tensor.data as { slice?: () => ArrayLike<unknown> } & ArrayLike<unknown>;
  return typeof data.slice === 'function' ? data.slice() : Array.from(data);
}

/** Wraps the model's onnxruntime session: times every run() and records its inputs' shapes. */
function instrumentSession(backend: TransformersBackend) {
  const session = (backend as unknown as { model: { sessions: Record<string, OrtSessionLike> } }).model.sessions.model!;
  const original = session.run.bind(session);
  let total = 0;
  let recording = false;
  let calls: RecordedInput[][] = [];
  session.run = async (feeds, ...rest) => {
    if (recording) {
      calls.push(
        Object.entries(feeds).map(([name, t]) => {
          const float = t.type in FLOAT_TYPES;
          if (!float && t.location === 'gpu-buffer') throw new Error(`the benchmark cannot record the GPU-resident integer input "${name}"`);
          return { name, type: t.type, dims: [...t.dims], data: float ? null : copyData(t), make: t.constructor };
        }),
      );
    }
    const t0 = performance.now();
    try {
      return await original(feeds, ...rest);
    } finally {
      total += performance.now() - t0;
    }
  };
  return {
    start(): void {
      total = 0;
      calls = [];
      recording = true;
    },
    stop(): { sessionSeconds: number; calls: RecordedInput[][] } {
      recording = false;
      const out = { sessionSeconds: total / 1000, calls };
      calls = [];
      return out;
    },
    /** Runs the recorded calls on the bare session; returns the seconds spent inside run(). */
    async replay(recorded: RecordedInput[][]): Promise<number> {
      let seconds = 0;
      for (const call of recorded) {
        const feeds: Record<string, OrtTensorLike> = {};
        for (const input of call) {
          const size = input.dims.reduce((a, b) => a * b, 1);
          feeds[input.name] = new input.make(input.type, input.data ?? FLOAT_TYPES[input.type]!(size), input.dims);
        }
        const t0 = performance.now();
        const outputs = await original(feeds);
        seconds += (performance.now() - t0) / 1000;
        for (const t of Object.values(outputs)) if (t.location === 'gpu-buffer') t.dispose?.();
      }
      return seconds;
    },
  };
}

export async function benchStrategies(backend: TransformersBackend, items: Item[], template: PromptTemplate): Promise<StrategyResult[]> {
  const out: StrategyResult[] = [];
  const session = instrumentSession(backend);
  // Warm-up: the longest prompts, a full batch of them, through each path, so that one-off costs
  // (graph optimisation, onnxruntime growing its memory arena to the largest inputs) are not
  // counted: a real run of thousands of items pays them once, in its first batches.
  const lengths = new Map(items.map((item) => [item, promptLength(item, template)]));
  const longestFirst = [...items].sort((a, b) => lengths.get(b)! - lengths.get(a)!);
  for (const s of STRATEGIES) {
    const warm = longestFirst.slice(0, Math.max(1, s.config.batchSize ?? 1));
    await scoreItems(warm, backend, { ...DEFAULT_SCORING, template: template, ...s.config, maxNewTokens: 2 });
  }
  for (const s of STRATEGIES) {
    // Each strategy pays for its own prefix caches (the warm-up above filled them).
    backend.clearPrefixCache();
    const before = { ...backend.stats };
    let first = 0;
    session.start();
    const started = performance.now();
    await scoreItems(items, backend, { ...DEFAULT_SCORING, template: template, ...s.config }, {
      onResult: () => {
        if (first === 0) first = performance.now() - started;
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const { sessionSeconds, calls } = session.stop();
    const rawSessionSeconds = await session.replay(calls);
    const tokens = backend.stats.promptTokens - before.promptTokens;
    out.push({
      strategy: s.name,
      sessionSeconds,
      rawSessionSeconds,
      engineOverhead: (seconds - rawSessionSeconds) / rawSessionSeconds,
      items: items.length,
      seconds,
      itemsPerSecond: items.length / seconds,
      promptTokensPerSecond: tokens / seconds,
      firstItemMs: first,
      forwardCalls: backend.stats.forwardCalls - before.forwardCalls,
      sessionRuns: calls.length,
    });
  }
  return out;
}
