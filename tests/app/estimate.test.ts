import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateTime } from '../../src/app/lib/estimate.ts';
import type { RunHeader } from '../../src/browser/run-store.ts';

const base = {
  parameters: 494e6,
  device: 'wasm' as const,
  mode: 'likelihood' as const,
  maxNewTokens: 16,
  prefixReuse: true,
  rotations: 1,
  modelRef: 'onnx-community/Qwen2.5-0.5B-Instruct',
  suiteId: 'fair-pp',
  order: 'fixed' as const,
  history: [] as RunHeader[],
};

// Expected values by hand from bench/results.json (browser, qwen2.5-0.5b q4, WASM, 16 prompts of
// 6128 tokens in all): likelihood + prefix reuse + batching 65.97 s, likelihood 161.82 s, naive
// generation of 16 new tokens 402.84 s. A prompt pass is 161.82 / 16 = 10.11375 s; a further new
// token (402.84 - 161.82) / 16 / 15 = 1.00425 s.
describe('rough run-time estimate', () => {
  it('rests on the figures bench/results.json holds (a new benchmark that changes them fails here)', () => {
    interface Strategy { strategy: string; seconds: number; promptTokensPerSecond: number }
    const bench = JSON.parse(readFileSync(new URL('../../bench/results.json', import.meta.url), 'utf8')) as { browser: Array<{ preset: string; dtype: string; items: number; strategies: Strategy[] }> };
    const row = bench.browser.find((r) => r.preset === 'qwen2.5-0.5b' && r.dtype === 'q4')!;
    const seconds = (name: string) => row.strategies.find((s) => s.strategy === name)!.seconds;
    expect(row.items).toBe(16);
    expect(seconds('likelihood + prefix reuse + batching (8)')).toBeCloseTo(65.97, 2);
    expect(seconds('likelihood')).toBeCloseTo(161.82, 2);
    expect(seconds('naive generate+parse')).toBeCloseTo(402.84, 2);
    const likelihood = row.strategies.find((s) => s.strategy === 'likelihood')!;
    expect(likelihood.promptTokensPerSecond * likelihood.seconds).toBeCloseTo(6128, 6);
  });

  it('reproduces the benchmark for its own model: likelihood with prefix reuse', () => {
    // 65.97 / 16
    expect(estimateTime(base)).toEqual({ secondsPerItem: expect.closeTo(4.123125, 9), source: 'rough', speed: 'measured' });
  });

  it('reproduces the benchmark for its own model: generation of 16 new tokens', () => {
    // 402.84 / 16 = 25.1775 = 10.11375 + 15 x 1.00425 (the first new token comes with the prompt pass)
    expect(estimateTime({ ...base, mode: 'generate' })!.secondsPerItem).toBeCloseTo(25.1775, 9);
  });

  it('costs a further new token as one cached single-token pass, not a prompt pass', () => {
    // 1 new token: the prompt pass only, 10.11375 s.
    expect(estimateTime({ ...base, mode: 'generate', maxNewTokens: 1 })!.secondsPerItem).toBeCloseTo(10.11375, 9);
    // 256 new tokens (the FAIR-SP release's limit) on a 1.54B model:
    // (10.11375 + 255 x 1.00425) x 1540 / 494 = 266.1975 x 1540 / 494 = 829.84645749...
    expect(estimateTime({ ...base, mode: 'generate', maxNewTokens: 256, parameters: 1.54e9 })!.secondsPerItem).toBeCloseTo(829.8464574898784, 6);
  });

  it('scales with parameters and rotations; without prefix reuse a likelihood item is a whole prompt pass', () => {
    // 2 x (988 / 494) x 10.11375 = 40.455
    expect(estimateTime({ ...base, prefixReuse: false, parameters: 988e6, rotations: 2 })!.secondsPerItem).toBeCloseTo(40.455, 9);
  });

  it('divides by an assumed WebGPU speed, and says it is assumed', () => {
    // WASM's measured rate: 2 x 494e6 x 383 / 10.11375 = 3.74148066e10 FLOP/s; over 500e9:
    // 4.123125 x 3.74148066e10 / 5e11 = 0.30853185 s.
    const e = estimateTime({ ...base, device: 'webgpu' })!;
    expect(e.secondsPerItem).toBeCloseTo(0.3085318487208009, 9);
    expect(e.speed).toBe('assumed');
    // Generation: 25.1775 x 3.74148066e10 / 5e11 = 1.88402259 s.
    expect(estimateTime({ ...base, device: 'webgpu', mode: 'generate' })!.secondsPerItem).toBeCloseTo(1.8840225850945496, 9);
  });

  it('gives nothing without a parameter count', () => {
    expect(estimateTime({ ...base, parameters: null })).toBeNull();
  });
});

function run(over: { seconds: number; done: number; order?: 'fixed' | 'cyclic'; suite?: string; device?: string; mode?: 'likelihood' | 'generate'; ref?: string; status?: RunHeader['status'] }): RunHeader {
  const created = Date.parse('2026-01-01T00:00:00Z');
  return {
    status: over.status ?? 'complete',
    createdAt: new Date(created).toISOString(),
    finishedAt: new Date(created + over.seconds * 1000).toISOString(),
    suite: { id: over.suite ?? 'fair-pp' },
    model: { ref: over.ref ?? base.modelRef },
    runtime: { device: over.device ?? 'wasm' },
    scoring: { mode: over.mode ?? 'likelihood', order: over.order ?? 'fixed' },
    progress: { done: over.done, total: over.done },
  } as unknown as RunHeader;
}

describe('run-time estimate from earlier runs', () => {
  it('takes the median seconds per item of matching complete runs', () => {
    // 200 s / 100 = 2, 400 s / 100 = 4, 1000 s / 100 = 10 s an item: median 4.
    const history = [run({ seconds: 400, done: 100 }), run({ seconds: 200, done: 100 }), run({ seconds: 1000, done: 100 })];
    expect(estimateTime({ ...base, history })).toEqual({ secondsPerItem: 4, source: 'history' });
  });

  it('does not multiply a rate per item by the rotations again', () => {
    // A cyclic run's 3 s an item already holds both rotations.
    const history = [run({ seconds: 300, done: 100, order: 'cyclic' })];
    expect(estimateTime({ ...base, rotations: 2, order: 'cyclic', history })!.secondsPerItem).toBe(3);
  });

  it('ignores runs of another suite, option order, device, mode or model, and unfinished ones', () => {
    const history = [
      run({ seconds: 300, done: 100, order: 'cyclic' }),
      run({ seconds: 300, done: 100, suite: 'dvmap' }),
      run({ seconds: 300, done: 100, device: 'webgpu' }),
      run({ seconds: 300, done: 100, mode: 'generate' }),
      run({ seconds: 300, done: 100, ref: 'other' }),
      run({ seconds: 300, done: 100, status: 'cancelled' }),
    ];
    expect(estimateTime({ ...base, history })!.source).toBe('rough');
  });
});
