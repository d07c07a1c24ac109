/**
 * Engine throughput on one model: the four scoring strategies of the engine issue, on the same
 * FAIR-SP-style items with a persona system prompt.
 *   naive       greedy generation of up to 16 new tokens (stopping at end of sequence), one
 *               prompt at a time, then the answer parser
 *   likelihood  one forward pass per prompt, next-token label probabilities
 *   +prefix     likelihood, reusing the persona prefix's key/value cache
 *   +batching   likelihood, prefix reuse, 8 prompts per forward pass
 * Also the raw onnxruntime session time of the same forward passes (no engine around them).
 * The same code runs in Node (npm run bench) and in the browser's engine Worker ("Check this
 * browser" -> "Measure speed").
 */
import type { TransformersBackend } from '../backends/transformers/backend.ts';
import type { Item } from '../items/item.ts';
import type { PromptTemplate } from '../prompts/template.ts';
import { DEFAULT_SCORING, scoreItems, type ScoringConfig } from './score-items.ts';

export interface StrategyResult {
  strategy: string;
  /** Time inside onnxruntime's session.run (the forward passes alone). */
  sessionSeconds: number;
  /** (wall time - session time) / session time: what the engine adds around the model. */
  engineOverhead: number;
  items: number;
  seconds: number;
  itemsPerSecond: number;
  promptTokensPerSecond: number;
  firstItemMs: number;
  forwardCalls: number;
}

export const STRATEGIES: Array<{ name: string; config: Partial<ScoringConfig> }> = [
  { name: 'naive generate+parse', config: { mode: 'generate', maxNewTokens: 16, batchSize: 1, prefixReuse: false, parser: 'label', chunkSize: 1 } },
  { name: 'likelihood', config: { mode: 'likelihood', batchSize: 1, prefixReuse: false, chunkSize: 1 } },
  { name: 'likelihood + prefix reuse', config: { mode: 'likelihood', batchSize: 1, prefixReuse: true, chunkSize: 32 } },
  { name: 'likelihood + prefix reuse + batching (8)', config: { mode: 'likelihood', batchSize: 8, prefixReuse: true, chunkSize: 32 } },
];

/** Wraps the model's onnxruntime session so every run() is timed. */
function timeSession(backend: TransformersBackend): { seconds(): number; reset(): void } {
  const session = (backend as unknown as { model: { sessions: Record<string, { run: (...args: unknown[]) => Promise<unknown> }> } }).model.sessions.model!;
  const original = session.run.bind(session);
  let total = 0;
  session.run = async (...args: unknown[]) => {
    const t0 = performance.now();
    try {
      return await original(...args);
    } finally {
      total += performance.now() - t0;
    }
  };
  return { seconds: () => total / 1000, reset: () => void (total = 0) };
}

export async function benchStrategies(backend: TransformersBackend, items: Item[], template: PromptTemplate): Promise<StrategyResult[]> {
  const out: StrategyResult[] = [];
  const sessionTime = timeSession(backend);
  // Warm-up: one item through each path so first-call costs (graph optimisation) are excluded.
  for (const s of STRATEGIES) await scoreItems(items.slice(0, 1), backend, { ...DEFAULT_SCORING, template: template, ...s.config, maxNewTokens: 2 });
  for (const s of STRATEGIES) {
    const before = { ...backend.stats };
    sessionTime.reset();
    let first = 0;
    const started = performance.now();
    await scoreItems(items, backend, { ...DEFAULT_SCORING, template: template, ...s.config }, {
      onResult: () => {
        if (first === 0) first = performance.now() - started;
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const tokens = backend.stats.promptTokens - before.promptTokens;
    const sessionSeconds = sessionTime.seconds();
    out.push({
      strategy: s.name,
      sessionSeconds,
      engineOverhead: (seconds - sessionSeconds) / sessionSeconds,
      items: items.length,
      seconds,
      itemsPerSecond: items.length / seconds,
      promptTokensPerSecond: tokens / seconds,
      firstItemMs: first,
      forwardCalls: backend.stats.forwardCalls - before.forwardCalls,
    });
  }
  return out;
}
