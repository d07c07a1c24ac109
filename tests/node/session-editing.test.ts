/**
 * Node's logits edit end to end: onnxruntime-node is given an edited copy, in memory, of a model
 * that lacks `num_logits_to_keep` (its external weights read from the model's own folder); the
 * engine then scores exactly as on the unedited model.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tensor } from '@huggingface/transformers';
import { TransformersBackend } from '../../src/core/backends/transformers/backend.ts';
import { checkLogitsToKeep, loadCausalLM, type LoadedModel } from '../../src/core/backends/transformers/load-model.ts';
import { setSessionEditing } from '../../src/core/backends/transformers/session-editing.ts';
import { DEFAULT_SCORING, scoreItems } from '../../src/core/engine/score-items.ts';
import { directorySink } from '../../src/node/fs-model-sink.ts';
import { installNodeSessionEditing } from '../../src/node/session-editing.ts';
import { writeSyntheticModel } from '../../src/synth/model-files.ts';
import { DEFAULT_SYNTH_SEED, SYNTH_PRESETS } from '../../src/synth/presets.ts';
import { testItems, TEST_TEMPLATE } from '../helpers/items.ts';

const previousCache = process.env.PLURALSCOPE_CACHE;
let cache = '';
let root = '';

function synth(name: string, keep: boolean): void {
  writeSyntheticModel(
    { shape: SYNTH_PRESETS.tiny!, seed: DEFAULT_SYNTH_SEED, precisions: ['fp32', 'q4'], logitsToKeep: keep, externalData: 'always', preset: 'tiny' },
    directorySink(join(root, name)),
  );
}

const backendOf = (loaded: LoadedModel) =>
  new TransformersBackend(loaded, { info: { kind: 'folder', ref: 'test', id: 'test', dtype: loaded.dtype, device: 'cpu', libraries: {} } });

beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'ps-cache-'));
  root = mkdtempSync(join(tmpdir(), 'ps-models-'));
  process.env.PLURALSCOPE_CACHE = cache;
  synth('no-keep', false);
  synth('keep', true);
  installNodeSessionEditing();
});
afterAll(() => {
  if (previousCache === undefined) delete process.env.PLURALSCOPE_CACHE;
  else process.env.PLURALSCOPE_CACHE = previousCache;
});

describe('Node: models without num_logits_to_keep are edited on load', () => {
  it('loads the model edited in memory (external weights from its own folder) and scores as the original does', async () => {
    const edited = await loadCausalLM({ kind: 'folder', root, name: 'no-keep' }, { device: 'cpu', dtype: 'q4' });
    expect(edited.logitsToKeep).toEqual({ kind: 'added', lmHead: expect.stringMatching(/MatMulNBits/) });
    expect(existsSync(join(root, 'no-keep', 'onnx', 'model_q4.onnx_data'))).toBe(true);

    setSessionEditing(false);
    const plain = await loadCausalLM({ kind: 'folder', root, name: 'no-keep' }, { device: 'cpu', dtype: 'q4' });
    setSessionEditing(true);
    expect(plain.logitsToKeep).toEqual({ kind: 'off' });

    const a = backendOf(edited);
    const b = backendOf(plain);
    expect(a.info.logits).toMatch(/^last position only \(num_logits_to_keep added/);
    expect(b.info.logits).toMatch(/^every position/);
    const items = testItems();
    for (const batchSize of [1, 4]) {
      for (const prefixReuse of [false, true]) {
        const config = { ...DEFAULT_SCORING, template: TEST_TEMPLATE, batchSize, prefixReuse };
        const x = await scoreItems(items, a, config);
        const y = await scoreItems(items, b, config);
        x.forEach((r, i) => r.distribution!.forEach((p, j) => expect(Math.abs(p - y[i]!.distribution![j]!)).toBeLessThan(1e-5)));
      }
    }
    // Generation uses the input too (transformers.js asks for the last position) and says the same.
    const gen = { ...DEFAULT_SCORING, template: TEST_TEMPLATE, mode: 'generate' as const, maxNewTokens: 4 };
    const generatedA = (await scoreItems(items.slice(0, 3), a, gen)).map((r) => r.raw);
    for (const raw of generatedA) expect(raw).toHaveLength(1);
    expect(generatedA).toEqual((await scoreItems(items.slice(0, 3), b, gen)).map((r) => r.raw));
    await a.dispose();
    await b.dispose();
  }, 120_000);

  it('writes nothing: the model folder is unchanged', () => {
    expect(readdirSync(join(root, 'no-keep', 'onnx')).sort()).toEqual(['model.onnx', 'model.onnx_data', 'model_q4.onnx', 'model_q4.onnx_data']);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('a model with the input is used as it is', async () => {
    const loaded = await loadCausalLM({ kind: 'folder', root, name: 'keep' }, { device: 'cpu', dtype: 'fp32' });
    expect(loaded.logitsToKeep).toEqual({ kind: 'native' });
    expect(backendOf(loaded).info.logits).toBe('last position only (num_logits_to_keep in the graph)');
    await loaded.dispose();
  });
});

describe('the check an edited model must pass', () => {
  const vocab = 6;
  /** A fake model: `logitsFor(keep)` returns [1, rows, vocab] logits. */
  const fake = (logitsFor: (keep: number) => { rows: number; value: (row: number, v: number) => number }) => ({
    config: { vocab_size: vocab } as never,
    forward: async (inputs: Record<string, Tensor>) => {
      const keep = Number((inputs.num_logits_to_keep!.data as BigInt64Array)[0]);
      const { rows, value } = logitsFor(keep);
      const data = new Float32Array(rows * vocab);
      for (let r = 0; r < rows; r++) for (let v = 0; v < vocab; v++) data[r * vocab + v] = value(r, v);
      return { logits: new Tensor('float32', data, [1, rows, vocab]) };
    },
  });
  const truth = (row: number, v: number) => Math.sin(row * 7 + v) * 5;

  it('passes a graph that keeps the right positions', async () => {
    const model = fake((k) => (k === 0 ? { rows: 4, value: truth } : { rows: 1, value: (_r, v) => truth(3, v) + 1e-4 }));
    expect(await checkLogitsToKeep(model)).toEqual({ ok: true });
  });

  it('fails a graph that ignores the input, keeps the wrong position, or changes the numbers', async () => {
    const ignores = fake(() => ({ rows: 4, value: truth }));
    expect(await checkLogitsToKeep(ignores)).toMatchObject({ ok: false, why: expect.stringMatching(/shapes/) });
    const first = fake((k) => (k === 0 ? { rows: 4, value: truth } : { rows: 1, value: (_r, v) => truth(0, v) }));
    expect(await checkLogitsToKeep(first)).toMatchObject({ ok: false, why: expect.stringMatching(/difference/) });
  });
});
