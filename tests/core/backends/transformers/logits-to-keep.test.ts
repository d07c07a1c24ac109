/**
 * The `num_logits_to_keep` edit (src/core/backends/transformers/logits-to-keep.ts) on synthetic
 * decoders without the input, in both graph styles, fp32 and q4, weights inline and external:
 * the edited graph, run directly on onnxruntime-node, must give the original graph's logits on
 * the kept positions and the same key/value cache, for full prompts, left-padded batches and
 * steps over a cache.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { addLogitsToKeep, KEEP_INPUT } from '../../../../src/core/backends/transformers/logits-to-keep.ts';
import { directorySink } from '../../../../src/node/fs-model-sink.ts';
import { GraphBuilder, encodeModel } from '../../../../src/synth/onnx-graph.ts';
import type { GraphStyle } from '../../../../src/synth/shape.ts';
import { writeSyntheticModel } from '../../../../src/synth/model-files.ts';
import { DEFAULT_SYNTH_SEED, SYNTH_PRESETS } from '../../../../src/synth/presets.ts';

const tiny = SYNTH_PRESETS.tiny!;
type Feeds = Record<string, ort.Tensor>;

function synthetic(graph: GraphStyle, options: { keep?: boolean; external?: boolean } = {}): string {
  const folder = mkdtempSync(join(tmpdir(), `keep-${graph}-`));
  writeSyntheticModel(
    {
      shape: tiny,
      seed: DEFAULT_SYNTH_SEED,
      precisions: ['fp32', 'q4'],
      logitsToKeep: options.keep ?? false,
      externalData: options.external ? 'always' : 'never',
      preset: 'tiny',
      graph,
    },
    directorySink(folder),
  );
  return folder;
}

const int64 = (values: number[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);

/** Feeds for `rows` (left-padded with token 0) after `past` cached positions. */
function feeds(session: ort.InferenceSession, rows: number[][], past: Record<string, ort.Tensor> | null, pastLength = 0): Feeds {
  const width = Math.max(...rows.map((r) => r.length));
  const ids: number[] = [];
  const mask: number[] = [];
  const positions: number[] = [];
  for (const row of rows) {
    const pad = width - row.length;
    ids.push(...new Array<number>(pad).fill(0), ...row);
    mask.push(...new Array<number>(pastLength).fill(1), ...new Array<number>(pad).fill(0), ...row.map(() => 1));
    positions.push(...new Array<number>(pad).fill(0), ...row.map((_, j) => pastLength + j));
  }
  const out: Feeds = {
    input_ids: int64(ids, [rows.length, width]),
    attention_mask: int64(mask, [rows.length, pastLength + width]),
  };
  if (session.inputNames.includes('position_ids')) out.position_ids = int64(positions, [rows.length, width]);
  for (const name of session.inputNames) {
    if (!name.startsWith('past_key_values.')) continue;
    out[name] = past?.[name.replace('past_key_values.', 'present.')] ?? new ort.Tensor('float32', new Float32Array(0), [rows.length, tiny.kvHeads, 0, tiny.headDim]);
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The last `k` positions of every row of [batch, seq, vocab] logits. */
function lastPositions(logits: ort.Tensor, k: number): Float32Array {
  const [batch, seq, vocab] = logits.dims as [number, number, number];
  const data = logits.data as Float32Array;
  const out = new Float32Array(batch * k * vocab);
  for (let b = 0; b < batch; b++) out.set(data.subarray((b * seq + seq - k) * vocab, (b * seq + seq) * vocab), b * k * vocab);
  return out;
}

const keep = (k: number) => ({ [KEEP_INPUT]: new ort.Tensor('int64', [BigInt(k)], []) });

describe('adding num_logits_to_keep to a decoder graph', () => {
  const cases: Array<{ graph: GraphStyle; file: string; external: boolean }> = [
    { graph: 'plain', file: 'model.onnx', external: false },
    { graph: 'plain', file: 'model_q4.onnx', external: false },
    { graph: 'plain', file: 'model_q4.onnx', external: true },
    { graph: 'fused', file: 'model.onnx', external: false },
    { graph: 'fused', file: 'model_q4.onnx', external: true },
  ];
  for (const { graph, file, external } of cases) {
    it(`${graph} graph, ${file}, weights ${external ? 'external' : 'inline'}: same logits on the kept positions, same cache`, async () => {
      const folder = synthetic(graph, { external });
      const originalPath = join(folder, 'onnx', file);
      const original = new Uint8Array(readFileSync(originalPath));
      const result = addLogitsToKeep(original);
      expect(result.kind).toBe('added');
      if (result.kind !== 'added') return;
      expect(result.lmHead).toMatch(/MatMul/);
      // Written beside the original, so external weights resolve the same way.
      const editedPath = join(folder, 'onnx', `edited_${file}`);
      writeFileSync(editedPath, result.bytes);
      // Only the appended graph fragment and one renamed tensor differ: the weights are untouched bytes.
      expect(result.bytes.length).toBeGreaterThan(original.length);
      let changed = 0;
      for (let i = 0; i < original.length; i++) if (original[i] !== result.bytes[i]) changed++;
      expect(changed).toBeGreaterThan(0);
      expect(changed).toBeLessThanOrEqual(64);

      const a = await ort.InferenceSession.create(originalPath);
      const b = await ort.InferenceSession.create(editedPath);
      expect(a.inputNames).not.toContain(KEEP_INPUT);
      expect(b.inputNames).toEqual([...a.inputNames, KEEP_INPUT]);

      // One prompt: k = 0 keeps all, k = 1 the last, k = 3 the last three.
      const prompt = [[5, 9, 100, 7, 33, 2]];
      const full = await a.run(feeds(a, prompt, null));
      for (const k of [0, 1, 3]) {
        const edited = await b.run({ ...feeds(b, prompt, null), ...keep(k) });
        const kept = k === 0 ? prompt[0]!.length : k;
        expect(edited.logits!.dims).toEqual([1, kept, tiny.vocab]);
        expect(maxAbsDiff(edited.logits!.data as Float32Array, lastPositions(full.logits!, kept))).toBeLessThan(1e-5);
        for (const name of a.outputNames.filter((n) => n.startsWith('present.'))) {
          expect(maxAbsDiff(edited[name]!.data as Float32Array, full[name]!.data as Float32Array)).toBe(0);
        }
      }

      // A left-padded batch of two.
      const batch = [[5, 9, 100, 7], [11, 12]];
      if (graph === 'plain') {
        const fullBatch = await a.run(feeds(a, batch, null));
        const editedBatch = await b.run({ ...feeds(b, batch, null), ...keep(1) });
        expect(editedBatch.logits!.dims).toEqual([2, 1, tiny.vocab]);
        expect(maxAbsDiff(editedBatch.logits!.data as Float32Array, lastPositions(fullBatch.logits!, 1))).toBeLessThan(1e-5);
      }

      // Two new tokens over a cache of the prompt.
      const step = [[40, 41]];
      const cached = await a.run(feeds(a, step, full, prompt[0]!.length));
      const editedStep = await b.run({ ...feeds(b, step, full, prompt[0]!.length), ...keep(1) });
      expect(maxAbsDiff(editedStep.logits!.data as Float32Array, lastPositions(cached.logits!, 1))).toBeLessThan(1e-5);
    }, 60_000);
  }

  it('leaves a graph that has the input alone', () => {
    const folder = synthetic('plain', { keep: true });
    expect(addLogitsToKeep(new Uint8Array(readFileSync(join(folder, 'onnx', 'model.onnx'))))).toEqual({ kind: 'native' });
  });

  it('an edited graph is not edited twice', () => {
    const folder = synthetic('plain');
    const once = addLogitsToKeep(new Uint8Array(readFileSync(join(folder, 'onnx', 'model.onnx'))));
    expect(once.kind).toBe('added');
    if (once.kind === 'added') expect(addLogitsToKeep(once.bytes)).toEqual({ kind: 'native' });
  });

  it('edits in place when asked and the memory after the model has room, and copies otherwise', () => {
    const folder = synthetic('plain');
    const file = new Uint8Array(readFileSync(join(folder, 'onnx', 'model.onnx')));
    const copied = addLogitsToKeep(file);
    if (copied.kind !== 'added') throw new Error(`not edited: ${copied.kind}`);
    expect(copied.bytes.buffer).not.toBe(file.buffer);

    // The same bytes with 1 KiB of room after them: edited where they lie, to the same result.
    const roomy = new Uint8Array(file.length + 1024);
    roomy.set(file);
    const view = roomy.subarray(0, file.length);
    const inPlace = addLogitsToKeep(view, { inPlace: true });
    if (inPlace.kind !== 'added') throw new Error(`not edited: ${inPlace.kind}`);
    expect(inPlace.bytes.buffer).toBe(roomy.buffer);
    expect(Buffer.from(inPlace.bytes).equals(Buffer.from(copied.bytes))).toBe(true);

    // No room after the bytes: a copy, and the caller's bytes are left as they were.
    const exact = file.slice();
    const noRoom = addLogitsToKeep(exact, { inPlace: true });
    if (noRoom.kind !== 'added') throw new Error(`not edited: ${noRoom.kind}`);
    expect(noRoom.bytes.buffer).not.toBe(exact.buffer);
    expect(Buffer.from(exact).equals(Buffer.from(file))).toBe(true);
    expect(Buffer.from(noRoom.bytes).equals(Buffer.from(copied.bytes))).toBe(true);
  });

  it('says why, and never throws, when a model cannot be edited', () => {
    const model = (build: (g: GraphBuilder) => void, opset = 17) => {
      const g = new GraphBuilder();
      build(g);
      return encodeModel(g, { graphName: 'g', opsets: { '': opset }, producer: 'test' });
    };
    const decoderInputs = (g: GraphBuilder) => {
      g.input('input_ids', 'int64', ['batch', 'seq']);
      g.input('past_key_values.0.key', 'float32', ['batch', 2, 'past', 16]);
    };
    const reasonOf = (bytes: Uint8Array) => {
      const r = addLogitsToKeep(bytes);
      expect(r.kind).toBe('unsupported');
      return r.kind === 'unsupported' ? r.reason : '';
    };
    expect(reasonOf(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]))).toMatch(/not a readable ONNX model|no graph/);
    expect(reasonOf(new Uint8Array(0))).toMatch(/no graph/);
    // No logits output.
    expect(
      reasonOf(
        model((g) => {
          decoderInputs(g);
          g.node('Identity', ['input_ids'], { outputs: ['scores'] });
          g.output('scores', 'int64', ['batch', 'seq']);
        }),
      ),
    ).toMatch(/no "logits" output/);
    // Logits from something other than a MatMul.
    expect(
      reasonOf(
        model((g) => {
          decoderInputs(g);
          const x = g.op('Cast', ['input_ids'], { to: 1 });
          g.node('Gemm', [x, x], { outputs: ['logits'] });
          g.output('logits', 'float32', ['batch', 'seq', 4]);
        }),
      ),
    ).toMatch(/from Gemm/);
    // Not a decoder with a cache (a classifier's head is 2-D: slicing axis 1 would cut the hidden size).
    expect(
      reasonOf(
        model((g) => {
          g.input('input_ids', 'int64', ['batch', 'seq']);
          const x = g.op('Cast', ['input_ids'], { to: 1 });
          g.node('MatMul', [x, x], { outputs: ['logits'] });
          g.output('logits', 'float32', ['batch', 4]);
        }),
      ),
    ).toMatch(/not a decoder/);
    // Positions flattened before the head.
    expect(
      reasonOf(
        model((g) => {
          decoderInputs(g);
          const x = g.op('Reshape', ['past_key_values.0.key', g.constant([-1, 16], 'int64')]);
          g.node('MatMul', [x, x], { outputs: ['logits'] });
          g.output('logits', 'float32', ['batch', 4]);
        }),
      ),
    ).toMatch(/Reshaped/);
    // Opset too old for Slice with inputs.
    expect(
      reasonOf(
        model((g) => {
          decoderInputs(g);
          g.node('MatMul', ['past_key_values.0.key', 'past_key_values.0.key'], { outputs: ['logits'] });
          g.output('logits', 'float32', ['batch', 4]);
        }, 9),
      ),
    ).toMatch(/opset 9/);
  });
});
