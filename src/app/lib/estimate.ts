/**
 * A first estimate of how long a run takes, before any item has run. Rough on purpose and
 * labelled so: once items run, the progress bar shows the measured rate. When this browser has
 * finished a run of the same model, suite, device, mode and option order, its measured rate is
 * used instead.
 *
 * The rough rule scales the benchmark's measured WASM times by the model's size: a forward pass
 * does about 2 x parameters floating-point operations per token and reads every weight once, so
 * its time grows about linearly with the parameters (small models run slower than this says:
 * fixed costs weigh more there). The benchmark (bench/results.json, section `browser`:
 * qwen2.5-0.5b shape, 494M parameters, q4, WASM in Chromium on one thread, the default on that
 * 2-CPU machine; 16 FAIR-SP-style prompts with a persona, 6128 tokens, 383 a prompt) measured:
 *
 *   - likelihood with the app's defaults (prefix reuse, batches of 8): 65.97 s / 16 = 4.12 s a
 *     prompt (the persona is computed once and reused). Prompts without a persona are about 120
 *     tokens (bench/prompt-shape.ts) and share no prefix: 120 / 383 x 10.11 s = 3.2 s, close;
 *   - likelihood without prefix reuse: 161.82 s / 16 = 10.11 s, one forward pass over the prompt;
 *   - generation of 16 new tokens ("naive generate+parse"): 402.84 s / 16 = 25.18 s. Generation
 *     keeps a key/value cache (transformers.js's generate; the benchmark counts 16 session runs a
 *     prompt): one pass over the prompt, which gives the first token, then one pass over a single
 *     token for each further one. Generation does not reuse prefixes, so its prompt pass is the
 *     10.11 s above and each further token costs (402.84 - 161.82) s / 16 / 15 = 1.00 s: far less
 *     than a prompt pass, though more than its 1/383 share of the arithmetic (a one-token pass is
 *     bound by reading the weights). The estimate assumes every answer runs to the maximum number
 *     of new tokens: an upper bound, as answers that stop early take less.
 *
 * WebGPU was not benchmarked: its times are the WASM ones times (WASM's measured rate / an
 * ASSUMED 500 GFLOP/s). WASM's rate: 2 x 494e6 x 383 tokens / 10.11 s = 37 GFLOP/s.
 */
import type { RunHeader } from '../../browser/run-store.ts';

export interface TimeEstimate {
  secondsPerItem: number;
  source: 'history' | 'rough';
  /** For a rough estimate: whether the device's speed was measured (WASM, on our benchmark machine) or assumed (WebGPU). */
  speed?: 'measured' | 'assumed';
}

/** The benchmark's measurements (see above): parameters, tokens a prompt, and seconds a prompt on WASM. */
const BENCH = {
  parameters: 494e6,
  promptTokens: 6128 / 16,
  likelihoodReuse: 65.97 / 16,
  promptPass: 161.82 / 16,
  newToken: (402.84 - 161.82) / 16 / 15,
} as const;

/** WASM's measured rate on the prompt pass (37.4 GFLOP/s), and WebGPU's, assumed (never measured). */
const WASM_FLOPS = (2 * BENCH.parameters * BENCH.promptTokens) / BENCH.promptPass;
const ASSUMED_WEBGPU_FLOPS = 500e9;

export function estimateTime(options: {
  parameters: number | null;
  device: 'wasm' | 'webgpu';
  mode: 'likelihood' | 'generate';
  maxNewTokens: number;
  prefixReuse: boolean;
  /** Prompts per item: 1, or the option rotations. */
  rotations: number;
  modelRef: string;
  suiteId: string;
  order: 'fixed' | 'cyclic';
  history: RunHeader[];
}): TimeEstimate | null {
  // An earlier run's rate per item already holds its rotations: only runs with the same suite
  // and option order have the same prompts per item.
  const previous = options.history.filter(
    (r) =>
      r.status === 'complete' &&
      r.model.ref === options.modelRef &&
      r.suite.id === options.suiteId &&
      r.runtime.device === options.device &&
      r.scoring.mode === options.mode &&
      r.scoring.order === options.order &&
      r.finishedAt,
  );
  if (previous.length > 0) {
    const rates = previous
      .map((r) => (Date.parse(r.finishedAt!) - Date.parse(r.createdAt)) / 1000 / Math.max(1, r.progress.done))
      .sort((a, b) => a - b);
    return { secondsPerItem: rates[rates.length >> 1]!, source: 'history' };
  }
  if (!options.parameters) return null;
  const wasmSeconds =
    options.mode === 'likelihood'
      ? options.prefixReuse
        ? BENCH.likelihoodReuse
        : BENCH.promptPass
      : BENCH.promptPass + Math.max(0, options.maxNewTokens - 1) * BENCH.newToken;
  const deviceFactor = options.device === 'wasm' ? 1 : WASM_FLOPS / ASSUMED_WEBGPU_FLOPS;
  return {
    secondsPerItem: (options.parameters / BENCH.parameters) * wasmSeconds * deviceFactor * options.rotations,
    source: 'rough',
    speed: options.device === 'wasm' ? 'measured' : 'assumed',
  };
}
