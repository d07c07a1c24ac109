/**
 * The fused-op graph (`graph: 'fused'`) against the plain graph, same seed and so the same
 * weights, on Node (onnxruntime-node CPU) through transformers.js.
 *
 * Tolerance: 1e-4 on logits of magnitude up to about 10. Measured on onnxruntime-node 1.30 CPU:
 * fused vs plain at most 6e-6 in fp32 and q4 (full pass, left-padded batch, KV-cache decoding);
 * each graph's own KV-cache and padding self-checks at most 5e-6. The same held on
 * onnxruntime-web 1.31-dev WASM.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamicCache, Tensor } from '@huggingface/transformers';
import type { GraphStyle } from '../../src/synth/decoder.ts';
import { writeSyntheticModel } from '../../src/synth/model-files.ts';
import { DEFAULT_SYNTH_SEED, SYNTH_PRESETS } from '../../src/synth/presets.ts';
import { directorySink } from '../../src/node/fs-model-sink.ts';
import { loadCausalLM, type LoadedModel } from '../../src/core/backends/transformers/load-model.ts';
import { runSelfCheck } from '../../src/core/backends/transformers/self-check.ts';

const TOLERANCE = 1e-4;
const tiny = SYNTH_PRESETS.tiny!;
type Outputs = Record<string, Tensor>;

function generate(graph: GraphStyle): string {
  const root = mkdtempSync(join(tmpdir(), 'synth-fused-'));
  writeSyntheticModel(
    { shape: tiny, seed: DEFAULT_SYNTH_SEED, precisions: ['fp32', 'q4'], logitsToKeep: true, externalData: 'auto', preset: 'tiny', graph },
    directorySink(join(root, graph)),
  );
  return root;
}

const roots: Record<GraphStyle, string> = { plain: '', fused: '' };
const load = (graph: GraphStyle, dtype: 'fp32' | 'q4') => loadCausalLM({ kind: 'folder', root: roots[graph], name: graph }, { device: 'cpu', dtype });

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function int64(values: number[], dims: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

/** Logits row [vocab] of (batch b, position p). */
function row(t: Tensor, b: number, p: number): Float32Array {
  const [, seq, vocab] = t.dims as [number, number, number];
  return (t.data as Float32Array).subarray((b * seq + p) * vocab, (b * seq + p + 1) * vocab);
}

function cacheFrom(outputs: Outputs): DynamicCache {
  const entries: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(outputs)) if (name.startsWith('present.')) entries[name.replace('present.', 'past_key_values.')] = t;
  return new DynamicCache(entries);
}

const PROMPTS = [
  [5, 17, 300, 42, 7, 99, 123, 4, 8, 15, 16, 23, 42, 77],
  [9, 8, 7, 6, 5, 4, 3],
];
const NEXT = [
  [11, 12, 13],
  [21, 22, 23],
];

/** A left-padded batch, then NEXT one token at a time through the KV cache: every step's logits. */
async function paddedThenDecode(m: LoadedModel): Promise<Float32Array[][]> {
  const width = Math.max(...PROMPTS.map((p) => p.length));
  const mask = PROMPTS.map((p) => [...new Array<number>(width - p.length).fill(0), ...p.map(() => 1)]);
  const ids = PROMPTS.map((p) => [...new Array<number>(width - p.length).fill(0), ...p]);
  let out = (await m.model.forward({ input_ids: int64(ids.flat(), [2, width]), attention_mask: int64(mask.flat(), [2, width]) })) as Outputs;
  const steps = [PROMPTS.map((_, b) => row(out.logits!, b, width - 1).slice())];
  for (let k = 0; k < NEXT[0]!.length; k++) {
    mask.forEach((r) => r.push(1));
    out = (await m.model.forward({
      input_ids: int64(NEXT.map((n) => n[k]!), [2, 1]),
      attention_mask: int64(mask.flat(), [2, width + k + 1]),
      past_key_values: cacheFrom(out),
    })) as Outputs;
    steps.push(PROMPTS.map((_, b) => row(out.logits!, b, 0).slice()));
  }
  return steps;
}

function decodeOnnx(path: string): onnxProto.onnx.ModelProto {
  return onnxProto.onnx.ModelProto.decode(readFileSync(path));
}

beforeAll(() => {
  roots.plain = generate('plain');
  roots.fused = generate('fused');
});

describe('fused-op graph: structure', () => {
  it('uses the contrib ops, one packed-QKV GroupQueryAttention a layer, and no position_ids input', () => {
    for (const file of ['model.onnx', 'model_q4.onnx']) {
      const { graph } = decodeOnnx(join(roots.fused, 'fused/onnx', file));
      const count = (op: string) => graph!.node!.filter((n) => n.opType === op).length;
      expect(count('GroupQueryAttention')).toBe(tiny.layers);
      expect(count('SimplifiedLayerNormalization')).toBe(1);
      expect(count('SkipSimplifiedLayerNormalization')).toBe(2 * tiny.layers);
      for (const op of ['Softmax', 'Cos', 'Sin', 'ReduceMean', 'Range']) expect(count(op), op).toBe(0);
      expect(count('MatMulNBits')).toBe(file === 'model.onnx' ? 0 : 5 * tiny.layers + 1); // qkv, o, gate, up, down; LM head
      expect(graph!.input!.map((i) => i.name)).not.toContain('position_ids');

      const gqa = graph!.node!.find((n) => n.opType === 'GroupQueryAttention')!;
      expect(gqa.domain).toBe('com.microsoft');
      expect(gqa.input!.map((name, i) => ([1, 2, 9].includes(i) ? name : name !== ''))).toEqual([
        true, '', '', true, true, true, true, true, true, '', true,
      ]);
      expect(gqa.input![3]).toBe('past_key_values.0.key');
      expect(gqa.output).toEqual(['model.layers.0.attn_out', 'present.0.key', 'present.0.value']);
      const attrs = Object.fromEntries(gqa.attribute!.map((a) => [a.name, Number(a.i)]));
      expect(attrs).toEqual({ num_heads: tiny.heads, kv_num_heads: tiny.kvHeads, do_rotary: 1, rotary_interleaved: 0 });
      const cos = graph!.initializer!.find((t) => t.name === 'cos_cache')!;
      expect(cos.dims!.map(Number)).toEqual([tiny.maxPositions, tiny.headDim / 2]);
    }
  });

  it('records the style in synthetic.json only when fused (plain folders stay byte-identical)', () => {
    const meta = (graph: GraphStyle) => JSON.parse(readFileSync(join(roots[graph], graph, 'synthetic.json'), 'utf8'));
    expect(meta('fused').graph).toBe('fused');
    expect(meta('plain')).not.toHaveProperty('graph');
  });

  it('refuses head sizes GroupQueryAttention cannot rotate, with a clear message', () => {
    const shape = { ...tiny, hidden: 96, heads: 4, kvHeads: 2, headDim: 24 };
    const write = () =>
      writeSyntheticModel(
        { shape, seed: 1, precisions: ['fp32'], logitsToKeep: false, externalData: 'never', preset: null, graph: 'fused' },
        directorySink(mkdtempSync(join(tmpdir(), 'synth-fused-'))),
      );
    expect(write).toThrow(/multiple of 16/);
  });
});

describe.each(['fp32', 'q4'] as const)('fused-op graph against the plain graph (%s, onnxruntime-node CPU)', (dtype) => {
  let plain: LoadedModel;
  let fused: LoadedModel;
  beforeAll(async () => {
    plain = await load('plain', dtype);
    fused = await load('fused', dtype);
  });
  afterAll(async () => {
    await plain?.dispose();
    await fused?.dispose();
  });

  it(`passes the self-check (KV cache vs full pass, left padding vs single, within ${TOLERANCE}) and matches the plain logits`, async () => {
    const a = await runSelfCheck(plain);
    const b = await runSelfCheck(fused);
    expect(b.logitsShape).toEqual(a.logitsShape);
    expect(b.kvCacheMaxAbsDiff).toBeLessThan(TOLERANCE);
    expect(b.paddingMaxAbsDiff).toBeLessThan(TOLERANCE);
    expect(maxAbsDiff(b.referenceLogits, a.referenceLogits)).toBeLessThan(TOLERANCE);
  });

  it('decodes a left-padded batch through the KV cache like the plain graph', async () => {
    const a = await paddedThenDecode(plain);
    const b = await paddedThenDecode(fused);
    expect(b).toHaveLength(NEXT[0]!.length + 1);
    b.forEach((step, k) => step.forEach((logits, r) => expect(maxAbsDiff(logits, a[k]![r]!), `step ${k} row ${r}`).toBeLessThan(TOLERANCE)));
  });

  it('num_logits_to_keep = 1 returns the last position only, equal to the full logits\' last row', async () => {
    const width = PROMPTS[0]!.length;
    const mask = PROMPTS.map((p) => [...new Array<number>(width - p.length).fill(0), ...p.map(() => 1)]);
    const ids = PROMPTS.map((p) => [...new Array<number>(width - p.length).fill(0), ...p]);
    const inputs = { input_ids: int64(ids.flat(), [2, width]), attention_mask: int64(mask.flat(), [2, width]) };
    const all = (await fused.model.forward({ ...inputs, num_logits_to_keep: int64([0], []) })) as Outputs;
    const last = (await fused.model.forward({ ...inputs, num_logits_to_keep: int64([1], []) })) as Outputs;
    expect(all.logits!.dims).toEqual([2, width, tiny.vocab]);
    expect(last.logits!.dims).toEqual([2, 1, tiny.vocab]);
    for (let b = 0; b < 2; b++) expect(maxAbsDiff(row(last.logits!, b, 0), row(all.logits!, b, width - 1))).toBeLessThan(1e-6);
  });

  it('continues one row from a cached prefix with several tokens; refuses several rows (a GroupQueryAttention limit)', async () => {
    const prefix = PROMPTS[0]!.slice(0, 10);
    const suffix = PROMPTS[0]!.slice(10);
    const run = async (m: LoadedModel, batch: number) => {
      const first = (await m.model.forward({ input_ids: int64(prefix, [1, prefix.length]), attention_mask: int64(prefix.map(() => 1), [1, prefix.length]) })) as Outputs;
      const cache: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(first)) {
        if (!name.startsWith('present.')) continue;
        const data = t.data as Float32Array;
        const tiled = new Float32Array(data.length * batch);
        for (let b = 0; b < batch; b++) tiled.set(data, b * data.length);
        cache[name.replace('present.', 'past_key_values.')] = new Tensor('float32', tiled, [batch, ...t.dims.slice(1)]);
      }
      const total = PROMPTS[0]!.length;
      const out = (await m.model.forward({
        input_ids: int64(Array.from({ length: batch }, () => suffix).flat(), [batch, suffix.length]),
        attention_mask: int64(new Array<number>(batch * total).fill(1), [batch, total]),
        past_key_values: new DynamicCache(cache),
      })) as Outputs;
      return row(out.logits!, 0, suffix.length - 1).slice();
    };
    expect(maxAbsDiff(await run(fused, 1), await run(plain, 1))).toBeLessThan(TOLERANCE);
    await expect(run(fused, 2)).rejects.toThrow(/batch_size must be 1 when sequence_length > 1 and past context is given/);
  });
});
