/**
 * A first estimate of how long a run takes, before any item has run. Rough on purpose and
 * labelled so: once items run, the progress bar shows the measured rate. When this browser has
 * finished a run of the same model on the same device, its measured rate is used instead.
 *
 * Rough rule: a likelihood item costs one forward pass over ~150 prompt tokens, i.e. about
 * 2 x parameters x 150 floating-point operations; WASM on a laptop sustains roughly 20 GFLOP/s
 * and WebGPU roughly 500 GFLOP/s on these small models. Generation adds one pass per new token.
 */
import type { RunHeader } from '../../browser/run-store.ts';

export interface TimeEstimate {
  secondsPerItem: number;
  source: 'history' | 'rough';
}

const FLOPS = { wasm: 20e9, webgpu: 500e9 } as const;

export function estimateTime(options: {
  parameters: number | null;
  device: 'wasm' | 'webgpu';
  mode: 'likelihood' | 'generate';
  maxNewTokens: number;
  rotations: number;
  modelRef: string;
  history: RunHeader[];
}): TimeEstimate | null {
  const previous = options.history.filter(
    (r) => r.status === 'complete' && r.model.ref === options.modelRef && r.runtime.device === options.device && r.scoring.mode === options.mode && r.finishedAt,
  );
  if (previous.length > 0) {
    const rates = previous
      .map((r) => (Date.parse(r.finishedAt!) - Date.parse(r.createdAt)) / 1000 / Math.max(1, r.progress.done))
      .sort((a, b) => a - b);
    return { secondsPerItem: rates[rates.length >> 1]! * options.rotations, source: 'history' };
  }
  if (!options.parameters) return null;
  const passes = options.mode === 'likelihood' ? 1 : 1 + options.maxNewTokens / 10;
  const flops = 2 * options.parameters * 150 * passes;
  return { secondsPerItem: (flops / FLOPS[options.device]) * options.rotations, source: 'rough' };
}
