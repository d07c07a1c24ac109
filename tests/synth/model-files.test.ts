import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor } from '@huggingface/transformers';
import { writeSyntheticModel, type SyntheticModelOptions } from '../../src/synth/model-files.ts';
import { DEFAULT_SYNTH_SEED, SYNTH_PRESETS } from '../../src/synth/presets.ts';
import { directorySink } from '../../src/node/fs-model-sink.ts';
import { loadCausalLM } from '../../src/core/backends/transformers/load-model.ts';
import { SYNTHETIC_ROOT } from '../helpers/node-reference.ts';

const tiny = (overrides: Partial<SyntheticModelOptions> = {}): SyntheticModelOptions => ({
  shape: SYNTH_PRESETS.tiny!,
  seed: DEFAULT_SYNTH_SEED,
  precisions: ['fp32', 'q4', 'q4f16'],
  logitsToKeep: false,
  externalData: 'auto',
  preset: 'tiny',
  ...overrides,
});

function generate(options: SyntheticModelOptions): string {
  const dir = mkdtempSync(join(tmpdir(), 'synth-'));
  writeSyntheticModel(options, directorySink(dir));
  return dir;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('synthetic model generator', () => {
  it('writes the transformers.js layout', () => {
    expect(listFiles(generate(tiny()))).toEqual([
      'README.md',
      'config.json',
      'generation_config.json',
      'onnx/model.onnx',
      'onnx/model_q4.onnx',
      'onnx/model_q4f16.onnx',
      'synthetic.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
  });

  it('is deterministic: the same seed gives byte-identical files', () => {
    const a = generate(tiny());
    const b = generate(tiny());
    for (const file of listFiles(a)) expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file))), file).toBe(true);
  });

  it('gives other weights for another seed, and the same tokenizer', () => {
    const a = generate(tiny());
    const b = generate(tiny({ seed: 7 }));
    expect(readFileSync(join(b, 'onnx/model.onnx')).equals(readFileSync(join(a, 'onnx/model.onnx')))).toBe(false);
    expect(readFileSync(join(b, 'tokenizer.json')).equals(readFileSync(join(a, 'tokenizer.json')))).toBe(true);
  });

  it('matches the committed public/models/synthetic-tiny (regenerate it with npm run models:synth)', () => {
    const fresh = generate(tiny());
    const committed = join(SYNTHETIC_ROOT, 'synthetic-tiny');
    expect(listFiles(committed)).toEqual(listFiles(fresh));
    for (const file of listFiles(fresh)) {
      expect(readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file))), file).toBe(true);
    }
  });

  it('writes config.json with the fields transformers.js needs', () => {
    const config = JSON.parse(readFileSync(join(generate(tiny()), 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      model_type: 'qwen2',
      architectures: ['Qwen2ForCausalLM'],
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      hidden_size: 64,
      head_dim: 16,
      vocab_size: 1024,
    });
  });

  it('moves weights to external data and still loads, with the same logits', async () => {
    const inline = generate(tiny({ precisions: ['fp32'] }));
    const external = generate(tiny({ precisions: ['fp32'], externalData: 'always' }));
    expect(listFiles(external)).toContain('onnx/model.onnx_data');
    expect(statSync(join(external, 'onnx/model.onnx')).size).toBeLessThan(100_000);
    const config = JSON.parse(readFileSync(join(external, 'config.json'), 'utf8'));
    expect(config['transformers.js_config']).toEqual({ use_external_data_format: { 'model.onnx': 1 } });

    const logits = async (dir: string) => {
      const split = dir.lastIndexOf('/');
      const m = await loadCausalLM({ kind: 'folder', root: dir.slice(0, split), name: dir.slice(split + 1) }, { device: 'cpu', dtype: 'fp32' });
      const out = await m.model.forward(m.tokenizer('Which criterion is fairer? A or B'));
      await m.dispose();
      return Array.from((out as { logits: Tensor }).logits.data as Float32Array);
    };
    expect(await logits(external)).toEqual(await logits(inline));
  });

  it('adds num_logits_to_keep on request: 1 keeps the last position', async () => {
    const dir = generate(tiny({ precisions: ['fp32'], logitsToKeep: true }));
    const split = dir.lastIndexOf('/');
    const m = await loadCausalLM({ kind: 'folder', root: dir.slice(0, split), name: dir.slice(split + 1) }, { device: 'cpu', dtype: 'fp32' });
    const session = (m.model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.model!;
    expect(session.inputNames).toContain('num_logits_to_keep');
    const inputs = m.tokenizer('How important is family in your life?') as { input_ids: Tensor; attention_mask: Tensor };
    const all = (await m.model.forward({ ...inputs, num_logits_to_keep: new Tensor('int64', [0n], []) })) as { logits: Tensor };
    const last = (await m.model.forward({ ...inputs, num_logits_to_keep: new Tensor('int64', [1n], []) })) as { logits: Tensor };
    const [, seq, vocab] = all.logits.dims as [number, number, number];
    expect(last.logits.dims).toEqual([1, 1, vocab]);
    const allData = all.logits.data as Float32Array;
    expect(Array.from(last.logits.data as Float32Array)).toEqual(Array.from(allData.subarray((seq - 1) * vocab, seq * vocab)));
    await m.dispose();
  });

  it('rejects impossible shapes with a clear message', () => {
    expect(() => generate(tiny({ shape: { ...SYNTH_PRESETS.tiny!, heads: 3 } }))).toThrow(/multiple of kv heads/);
    expect(() => generate(tiny({ shape: { ...SYNTH_PRESETS.tiny!, vocab: 100 } }))).toThrow(/vocab size must be/);
  });
});
