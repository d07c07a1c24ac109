/**
 * The bundle's export/layout.py end to end: an export laid out by it opens with the app's loader
 * and gives the model's own logits. Optimum's export step is stood in for by the project's
 * synthetic decoder, whose graph has Optimum's text-generation-with-past inputs and outputs; the
 * metadata is written the way transformers 5 saves a merged model (chat_template.jinja beside a
 * tokenizer_config.json without it, a Qwen2 config without head_dim).
 * Needs a python3 with the `onnx` package (.venv-bundle from scripts/bundle-env.sh, or Debian's
 * python3-onnx): skipped, and says so, without one (fails under PLURALSCOPE_REQUIRE_BUNDLE_ENV=1). With
 * onnxruntime and onnx-ir as well (.venv-bundle),
 * layout.py's own forward-pass check runs, and export/quantize.py --q4 (onnxruntime's
 * MatMulNBitsQuantizer) makes the 4-bit file that the app then loads.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_DIR } from '../../src/node/bundle-template.ts';
import { directorySink } from '../../src/node/fs-model-sink.ts';
import { writeSyntheticModel } from '../../src/synth/model-files.ts';
import { DEFAULT_SYNTH_SEED, SYNTH_PRESETS } from '../../src/synth/presets.ts';
import { canImport, pythonWith, skipUnless } from '../helpers/bundle-python.ts';
import { maxAbsDiff, nodeSelfCheck, pearson } from '../helpers/node-reference.ts';

const python = pythonWith('onnx', process.env.PYTHON_ONNX);
const quantizer = python && canImport(python, 'onnxruntime, onnx_ir') ? python : undefined;
const skipLayout = skipUnless(python, 'export-layout.test.ts', 'no python3 with onnx (bash scripts/bundle-env.sh, or apt-get install python3-onnx)');
const skipQuantize = skipUnless(quantizer, 'export-layout.test.ts', 'no onnxruntime + onnx-ir beside onnx (bash scripts/bundle-env.sh): the quantize.py test');

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** A merged-model folder and an Optimum-style export folder holding only model.onnx. */
function mergedAndExported(): { merged: string; exported: string; synthetic: string } {
  const work = mkdtempSync(join(tmpdir(), 'export-layout-'));
  const synthetic = join(work, 'synthetic');
  writeSyntheticModel(
    { shape: SYNTH_PRESETS.tiny!, seed: DEFAULT_SYNTH_SEED, precisions: ['fp32'], logitsToKeep: false, externalData: 'never', preset: 'tiny' },
    directorySink(synthetic),
  );
  const merged = join(work, 'merged');
  mkdirSync(merged);
  for (const name of ['tokenizer.json', 'generation_config.json']) copyFileSync(join(synthetic, name), join(merged, name));
  const { head_dim: _headDim, 'transformers.js_config': _js, ...config } = readJson(join(synthetic, 'config.json'));
  writeFileSync(join(merged, 'config.json'), JSON.stringify(config));
  const { chat_template: template, ...tokenizerConfig } = readJson(join(synthetic, 'tokenizer_config.json'));
  writeFileSync(join(merged, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  writeFileSync(join(merged, 'chat_template.jinja'), String(template));
  const exported = join(work, 'exported');
  mkdirSync(exported);
  copyFileSync(join(synthetic, 'onnx', 'model.onnx'), join(exported, 'model.onnx'));
  return { merged, exported, synthetic };
}

/** export/layout.py; its onnxruntime forward-pass check runs where onnxruntime is installed. */
function layout(exported: string, merged: string, out: string, ...extra: string[]): string {
  const verify = quantizer ? [] : ['--no-verify'];
  return execFileSync(python!, [join(TEMPLATE_DIR, 'export', 'layout.py'), '--exported', exported, '--model', merged, '--out', out, ...verify, ...extra], {
    encoding: 'utf8',
  });
}

/** The app's self-check on a folder (Node, CPU). */
function selfCheck(folder: string, dtype: 'fp32' | 'q4' = 'fp32') {
  const split = folder.lastIndexOf('/');
  return nodeSelfCheck(dtype, folder.slice(split + 1), folder.slice(0, split));
}

describe.skipIf(skipLayout)('bundle export/layout.py -> the app loader', () => {
  it('lays out an export the loader opens, with the model own logits, inline and with external data', async () => {
    const { merged, exported, synthetic } = mergedAndExported();
    const inline = join(merged, '..', 'web-inline');
    const external = join(merged, '..', 'web-external');
    const wrote = layout(exported, merged, inline);
    expect(wrote).toContain('external data: none');
    if (quantizer) expect(wrote).toContain('verified model.onnx: logits [1, 3, 1024]');
    expect(layout(exported, merged, external, '--external-data', 'always')).toContain("external data: ['model.onnx']");

    expect(existsSync(join(inline, 'onnx', 'model.onnx_data'))).toBe(false);
    expect(existsSync(join(external, 'onnx', 'model.onnx_data'))).toBe(true);
    expect(readJson(join(inline, 'config.json'))).toMatchObject({ head_dim: 16, num_key_value_heads: 2 });
    expect(readJson(join(inline, 'config.json'))['transformers.js_config']).toBeUndefined();
    expect(readJson(join(external, 'config.json'))['transformers.js_config']).toEqual({ use_external_data_format: { 'model.onnx': 1 } });
    expect(readJson(join(inline, 'tokenizer_config.json')).chat_template).toBe(readJson(join(synthetic, 'tokenizer_config.json')).chat_template);

    const reference = await selfCheck(synthetic);
    for (const folder of [inline, external]) {
      const report = await selfCheck(folder);
      expect(report.referenceLogits).toEqual(reference.referenceLogits);
      expect(report.kvCacheMaxAbsDiff).toBeLessThan(1e-4);
      expect(report.paddingMaxAbsDiff).toBeLessThan(1e-4);
    }
  }, 120_000);

  it.skipIf(skipQuantize)('quantize.py --q4 writes a 4-bit file the app loads: cache and padding exact, logits near fp32', async () => {
    const { merged, exported, synthetic } = mergedAndExported();
    const web = join(merged, '..', 'web');
    layout(exported, merged, web);
    const out = execFileSync(quantizer!, [join(TEMPLATE_DIR, 'export', 'quantize.py'), web, '--q4'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toContain('verified model_q4.onnx: logits [1, 3, 1024]');
    expect(existsSync(join(web, 'onnx', 'model_q4.onnx'))).toBe(true);

    const [q4, fp32] = [await selfCheck(web, 'q4'), await selfCheck(synthetic)];
    expect(q4.kvCacheMaxAbsDiff).toBeLessThan(1e-4);
    expect(q4.paddingMaxAbsDiff).toBeLessThan(1e-4);
    // 4-bit weights move the logits (by about 1 on this random model's range of 16), not the model:
    // nearly the same ranking. The figures are printed, so CI's output backs the closing notes.
    const [a, b] = [q4.referenceLogits, fp32.referenceLogits];
    expect(a).not.toEqual(b);
    const range = Math.max(...b) - Math.min(...b);
    const diff = maxAbsDiff(a, b);
    const r = pearson(a, b);
    console.log(`quantize.py q4 vs fp32 on the synthetic model: max |diff| ${diff.toFixed(3)} (logit range ${range.toFixed(2)}), correlation ${r.toFixed(4)}`);
    expect(r).toBeGreaterThan(0.97);
    expect(diff).toBeLessThan(0.15 * range);
  }, 120_000);

  it('refuses an export without the KV cache, saying how to export', () => {
    const { merged, exported } = mergedAndExported();
    // A graph with the same weights but no past_key_values inputs: strip them with onnx itself.
    const stripped = join(exported, 'model.onnx');
    execFileSync(python!, ['-c', [
      'import onnx, sys',
      'm = onnx.load(sys.argv[1])',
      'keep = [i for i in m.graph.input if not i.name.startswith("past_key_values.")]',
      'del m.graph.input[:]',
      'm.graph.input.extend(keep)',
      'onnx.save_model(m, sys.argv[1])',
    ].join('\n'), stripped]);
    const result = spawnSync(python!, [join(TEMPLATE_DIR, 'export', 'layout.py'), '--exported', exported, '--model', merged, '--out', join(merged, '..', 'web'), '--no-verify'], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("input 'past_key_values.0.key' missing (export with --task text-generation-with-past)");
  });
});
