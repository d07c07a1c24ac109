import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BackendInfo, GenerationRequest, LabelScoringRequest, ModelBackend } from '../../../src/core/backends/backend.ts';
import { uniformBaseline } from '../../../src/core/backends/baseline/baselines.ts';
import type { TransformersBackend } from '../../../src/core/backends/transformers/backend.ts';
import { DEFAULT_SCORING, nextChunkPrompts, scoreItems, toSourceOrder, type ScoringConfig } from '../../../src/core/engine/score-items.ts';
import { testItems, TEST_TEMPLATE } from '../../helpers/items.ts';
import { syntheticBackend } from '../../helpers/synthetic-backend.ts';

const config = (overrides: Partial<ScoringConfig> = {}): ScoringConfig => ({ ...DEFAULT_SCORING, template: TEST_TEMPLATE, ...overrides });

const info: BackendInfo = {
  kind: 'synthetic',
  ref: 'fake',
  id: 'fake',
  device: 'none',
  libraries: {},
  systemRole: 'system',
  supportsLikelihood: true,
  supportsGeneration: true,
};

/** A fake model: in likelihood mode it picks by `choose(prompt, labels)`; in generation it says `say(prompt)`. */
function fakeBackend(choose: (r: LabelScoringRequest) => number[], say: (r: GenerationRequest) => string[] = () => ['']): ModelBackend {
  return {
    info,
    scoreLabels: async (requests) => requests.map((r) => ({ probs: choose(r), labelMass: 0.8 })),
    generate: async (requests) => requests.map(say),
    dispose: async () => {},
  };
}

const maxDiff = (a: number[] | null, b: number[] | null) => a!.reduce((m, x, i) => Math.max(m, Math.abs(x - b![i]!)), 0);

describe('option order', () => {
  it('maps display positions back to the source order', () => {
    // order [2, 0, 1]: display 0 shows original 2, etc.
    expect(toSourceOrder([0.5, 0.3, 0.2], [2, 0, 1])).toEqual([0.3, 0.2, 0.5]);
  });

  it('cyclic rotations average back: a model that always picks the first shown option is uniform over the substantive options', async () => {
    const items = testItems().filter((i) => i.options.length === 4 && i.fixedTail === 1);
    const firstAlways = fakeBackend((r) => r.labels.map((_, i) => (i === 0 ? 1 : 0)));
    const results = await scoreItems(items, firstAlways, config({ order: 'cyclic' }));
    for (const r of results) {
      expect(r.rotations).toHaveLength(3);
      expect(r.distribution).toEqual([1 / 3, 1 / 3, 1 / 3, 0]);
    }
  });

  it('a model that reads the options gives the same answer under every rotation', async () => {
    const items = testItems().filter((i) => i.options.includes('By contribution'));
    // Picks whichever label stands in front of "By contribution" in the prompt text.
    const reader = fakeBackend((r) => {
      const line = r.prompt.user.split('\n').find((l) => l.endsWith('By contribution'))!;
      return r.labels.map((l) => (line.startsWith(`${l}.`) ? 1 : 0));
    });
    const results = await scoreItems(items, reader, config({ order: 'cyclic' }));
    for (const r of results) {
      expect(r.distribution).toEqual([0, 0, 1, 0]);
      for (const rotation of r.rotations!) expect(rotation).toEqual([0, 0, 1, 0]);
    }
  });
});

describe('generation mode', () => {
  it('counts invalid answers and never drops them', async () => {
    const items = testItems().slice(0, 4);
    const answers = ['B', 'I cannot answer that', 'A. because', ''];
    const backend = fakeBackend(() => [], (r) => [answers[items.findIndex((i) => r.prompt.user.startsWith(i.question))]!]);
    const results = await scoreItems(items, backend, config({ mode: 'generate', parser: 'label' }));
    expect(results.map((r) => r.invalid)).toEqual([0, 1, 0, 1]);
    expect(results[1]!.distribution).toBeNull();
    expect(results[1]!.raw).toEqual(['I cannot answer that']);
    expect(results[1]!.parsed).toEqual([null]);
    expect(results[0]!.distribution![1]).toBe(1);
  });

  it('gives each request its own seed, the same on every run', async () => {
    const seeds: number[][] = [[], []];
    for (const run of [0, 1]) {
      const backend = fakeBackend(() => [], (r) => {
        seeds[run]!.push(r.seed);
        return ['A'];
      });
      await scoreItems(testItems().slice(0, 3), backend, config({ mode: 'generate', samples: 3, temperature: 0.7, seed: 11 }));
    }
    expect(seeds[0]).toEqual(seeds[1]);
    expect(new Set(seeds[0]).size).toBe(3);
  });
});

describe('run control', () => {
  it('skips items already done, reports progress, and cancels between chunks', async () => {
    const items = testItems();
    const progress: number[] = [];
    const results = await scoreItems(items, uniformBaseline(), config(), {
      skip: new Set([items[0]!.id, items[1]!.id]),
      onProgress: (p) => void progress.push(p.done),
    });
    expect(results).toHaveLength(items.length - 2);
    expect(progress.at(-1)).toBe(items.length);

    const controller = new AbortController();
    const slow = fakeBackend((r) => {
      controller.abort();
      return r.labels.map(() => 1 / r.labels.length);
    });
    const seen: string[] = [];
    await expect(
      scoreItems(items, slow, config({ chunkSize: 2 }), { signal: controller.signal, onResult: (r) => void seen.push(r.id) }),
    ).rejects.toThrow(/cancelled/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(items.length);
  });
});

describe('chunks', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('timed chunks: one batch first, then the whole batches that fit the time at the measured speed, at most chunkSize', async () => {
    // A clock that the fake model moves on by 100 ms a prompt.
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const calls: number[] = [];
    const backend: ModelBackend = {
      ...fakeBackend(() => []),
      scoreLabels: async (requests) => {
        calls.push(requests.length);
        now += 100 * requests.length;
        return requests.map((r) => ({ probs: r.labels.map(() => 1 / r.labels.length), labelMass: 1 }));
      },
    };
    const items = Array.from({ length: 5 }, () => testItems()).flat().map((item, i) => ({ ...item, id: `c${i}` }));
    const saved: number[] = [];
    await scoreItems(items, backend, config({ batchSize: 2, chunkSize: 8, chunkSeconds: 0.5 }), { onProgress: (p) => void saved.push(p.done) });
    // 0.5 s at 100 ms a prompt = 5 prompts = 2 whole batches of 2.
    expect(calls.slice(0, 3)).toEqual([2, 4, 4]);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(items.length);
    expect(saved[0]).toBe(2);

    // Slower than the time allows: one batch a chunk; much faster: capped at chunkSize.
    expect(nextChunkPrompts(10_000, 5, 8, 32)).toBe(8);
    expect(nextChunkPrompts(1, 5, 8, 32)).toBe(32);
    expect(nextChunkPrompts(300, 5, 8, 32)).toBe(16);
    expect(nextChunkPrompts(0, 5, 1, 32)).toBe(32);
  });

  it('chunkSeconds 0 keeps fixed chunks of chunkSize prompts', async () => {
    const calls: number[] = [];
    const backend: ModelBackend = {
      ...fakeBackend(() => []),
      scoreLabels: async (requests) => {
        calls.push(requests.length);
        return requests.map((r) => ({ probs: r.labels.map(() => 1 / r.labels.length), labelMass: 1 }));
      },
    };
    await scoreItems(testItems(), backend, config({ batchSize: 2, chunkSize: 4, chunkSeconds: 0 }));
    expect(calls).toEqual([4, 4, 4, 3]);
  });
});

describe('on the synthetic model', () => {
  let model: TransformersBackend;
  beforeAll(async () => {
    model = await syntheticBackend('fp32');
  });
  afterAll(async () => {
    await model.dispose();
  });

  it('gives distributions that sum to 1 and a label mass in (0, 1]', async () => {
    const results = await scoreItems(testItems(), model, config({ prefixReuse: false, batchSize: 1 }));
    for (const r of results) {
      expect(r.distribution!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(r.labelMass).toBeGreaterThan(0);
      expect(r.labelMass).toBeLessThanOrEqual(1);
    }
  });

  it('prefix reuse gives the same distributions as no reuse (within 1e-4), with fewer prompt tokens computed', async () => {
    const items = testItems();
    const plain = await scoreItems(items, model, config({ prefixReuse: false, batchSize: 1 }));
    const before = { ...model.stats };
    const reused = await scoreItems(items, model, config({ prefixReuse: true, batchSize: 1 }));
    expect(model.stats.prefixComputations).toBeGreaterThan(before.prefixComputations);
    expect(model.stats.prefixTokensReused).toBeGreaterThan(before.prefixTokensReused);
    const byId = new Map(plain.map((r) => [r.id, r]));
    for (const r of reused) {
      expect(maxDiff(r.distribution, byId.get(r.id)!.distribution)).toBeLessThan(1e-4);
      expect(Math.abs(r.labelMass! - byId.get(r.id)!.labelMass!)).toBeLessThan(1e-4);
    }
  });

  it('a cached prefix serves a chunk whose prompts share a few more tokens (no second prefix pass), with the same distributions', async () => {
    const persona = testItems()[0]!.system!;
    const base = testItems()[0]!;
    const questions = ['Alpha: how should it be shared?', 'Beta: who should decide?', 'On the whole, is it fair to you?', 'On the whole, is it fair to them?'];
    const items = questions.map((question, i) => ({ ...base, id: `p${i}`, question, system: persona }));
    const plain = await scoreItems(items, model, config({ prefixReuse: false, batchSize: 1, chunkSize: 2, chunkSeconds: 0 }));
    model.clearPrefixCache();
    const before = model.stats.prefixComputations;
    // Chunk 1 (Alpha, Beta) caches the persona's prefix; chunk 2's prompts also share "On the whole, is it fair to".
    const reused = await scoreItems(items, model, config({ prefixReuse: true, batchSize: 1, chunkSize: 2, chunkSeconds: 0 }));
    expect(model.stats.prefixComputations - before).toBe(1);
    for (const [i, r] of reused.entries()) expect(maxDiff(r.distribution, plain[i]!.distribution)).toBeLessThan(1e-4);
  });

  it('batching gives the same distributions as one by one, with and without prefix reuse', async () => {
    const items = testItems();
    const single = await scoreItems(items, model, config({ prefixReuse: false, batchSize: 1 }));
    const byId = new Map(single.map((r) => [r.id, r]));
    for (const prefixReuse of [false, true]) {
      const calls = model.stats.forwardCalls;
      const batched = await scoreItems(items, model, config({ prefixReuse, batchSize: 8 }));
      expect(model.stats.forwardCalls - calls).toBeLessThan(items.length);
      for (const r of batched) expect(maxDiff(r.distribution, byId.get(r.id)!.distribution)).toBeLessThan(1e-4);
    }
  });

  it('cyclic order on the real model: rotations are stored and average to the distribution', async () => {
    const items = testItems().slice(0, 5);
    const results = await scoreItems(items, model, config({ order: 'cyclic', batchSize: 4 }));
    for (const r of results) {
      const n = r.rotations!.length;
      expect(n).toBe(r.options.length - (r.options.at(-1) === 'N/A' ? 1 : 0));
      const mean = r.distribution!.map((_, k) => r.rotations!.reduce((s, d) => s + d[k]!, 0) / n);
      expect(maxDiff(mean, r.distribution)).toBeLessThan(1e-12);
    }
  });

  it('greedy generation parses answers and counts the random model\'s gibberish as invalid', async () => {
    const items = testItems().slice(0, 3);
    const results = await scoreItems(items, model, config({ mode: 'generate', maxNewTokens: 8, parser: 'label' }));
    for (const r of results) {
      expect(r.raw).toHaveLength(1);
      expect(r.parsed).toHaveLength(1);
      expect(r.invalid! + (r.parsed![0] === null ? 0 : 1)).toBeGreaterThanOrEqual(1);
    }
    // Deterministic: greedy decoding twice gives the same texts.
    const again = await scoreItems(items, model, config({ mode: 'generate', maxNewTokens: 8, parser: 'label' }));
    expect(again.map((r) => r.raw)).toEqual(results.map((r) => r.raw));
  });
});

describe('on a fused-op (GroupQueryAttention) model, like onnx-community exports', () => {
  it('prefix reuse with batching falls back to one row at a time after a prefix, with the same numbers', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeSyntheticModel } = await import('../../../src/synth/model-files.ts');
    const { directorySink } = await import('../../../src/node/fs-model-sink.ts');
    const { DEFAULT_SYNTH_SEED, SYNTH_PRESETS } = await import('../../../src/synth/presets.ts');
    const root = mkdtempSync(join(tmpdir(), 'fused-'));
    writeSyntheticModel(
      { shape: SYNTH_PRESETS.tiny!, seed: DEFAULT_SYNTH_SEED, precisions: ['fp32'], logitsToKeep: true, externalData: 'never', preset: 'tiny', graph: 'fused' },
      directorySink(join(root, 'fused-tiny')),
    );
    const fused = await syntheticBackend('fp32', 'fused-tiny', root);
    try {
      const items = testItems();
      const plain = await scoreItems(items, fused, config({ prefixReuse: false, batchSize: 1 }));
      const batched = await scoreItems(items, fused, config({ prefixReuse: true, batchSize: 8 }));
      const byId = new Map(plain.map((r) => [r.id, r]));
      for (const r of batched) expect(maxDiff(r.distribution, byId.get(r.id)!.distribution)).toBeLessThan(1e-4);
      expect(fused.stats.prefixComputations).toBeGreaterThan(0);
    } finally {
      await fused.dispose();
    }
  });
});
