import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransformersBackend } from '../../../src/core/backends/transformers/backend.ts';
import { benchStrategies, STRATEGIES, type StrategyResult } from '../../../src/core/engine/benchmark.ts';
import { benchItems, BENCHMARK_TEMPLATE } from '../../../src/suites/fair-pp-local/benchmark-items.ts';
import { syntheticBackend } from '../../helpers/synthetic-backend.ts';

describe('engine benchmark (synthetic-tiny, Node)', () => {
  let backend: TransformersBackend;
  let results: StrategyResult[];
  const n = 10;

  beforeAll(async () => {
    backend = await syntheticBackend('fp32');
    results = await benchStrategies(backend, benchItems(n), BENCHMARK_TEMPLATE);
  }, 120_000);
  afterAll(async () => backend?.dispose());

  const byName = (name: string) => results.find((r) => r.strategy === name)!;

  it('measures the four strategies on the same items', () => {
    expect(results.map((r) => r.strategy)).toEqual(STRATEGIES.map((s) => s.name));
    for (const r of results) {
      expect(r.items).toBe(n);
      expect(r.itemsPerSecond).toBeCloseTo(n / r.seconds, 6);
      expect(r.promptTokensPerSecond).toBeGreaterThan(0);
    }
  });

  it('records exactly the forward passes each strategy made, and replays them on the bare session', () => {
    // Generation: one session run per new token (up to 16), one generate() call per item.
    const naive = byName('naive generate+parse');
    expect(naive.forwardCalls).toBe(n);
    expect(naive.sessionRuns).toBeGreaterThanOrEqual(n);
    expect(naive.sessionRuns).toBeLessThanOrEqual(16 * n);
    // Likelihood: one pass per item.
    const plain = byName('likelihood');
    expect(plain.sessionRuns).toBe(n);
    // Prefix reuse: the persona prefix once (each strategy starts with an empty prefix cache), then one pass per item.
    expect(byName('likelihood + prefix reuse').sessionRuns).toBe(1 + n);
    // Batching: the prefix, then ceil(n / 8) batches.
    expect(byName('likelihood + prefix reuse + batching (8)').sessionRuns).toBe(1 + Math.ceil(n / 8));
    for (const r of results) {
      expect(r.forwardCalls).toBeLessThanOrEqual(r.sessionRuns);
      expect(r.rawSessionSeconds).toBeGreaterThan(0);
      expect(r.sessionSeconds).toBeGreaterThan(0);
      expect(r.sessionSeconds).toBeLessThan(r.seconds);
      expect(r.engineOverhead).toBeCloseTo((r.seconds - r.rawSessionSeconds) / r.rawSessionSeconds, 9);
    }
  });
});
