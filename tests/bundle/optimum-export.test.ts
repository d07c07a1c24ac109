/**
 * The bundle's export path with Optimum itself: a tiny Qwen2 trained two steps with the bundle's
 * train.py (LoRA), merged by export/merge_lora.py (training environment, transformers 5), exported
 * by export/export_onnx.sh (export environment: optimum-onnx, transformers 4.57, torch.onnx),
 * quantized by export/quantize.py --q4 and --q4f16, and
 * opened with the app's loader: its logits must be the merged model's own (computed by transformers
 * in the export environment), the 4-bit files' close to them.
 *
 * Needs both environments: .venv-bundle (bash scripts/bundle-env.sh) and an export environment made
 * from export/requirements-export.txt (bash scripts/export-env.sh; EXPORT_VENV names another).
 * optimum-onnx is not on every package index (this project's CI has none), so this file is not part
 * of `npm test`: `npm run test:export` runs it, and fails, saying what is missing, without them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { loadCausalLM } from '../../src/core/backends/transformers/load-model.ts';
import { floatValues } from '../../src/core/backends/transformers/tensor-values.ts';
import { TEMPLATE_DIR } from '../../src/node/bundle-template.ts';
import { BUNDLE_VENV_PYTHON, canImport, CPU_STEPS, OFFLINE } from '../helpers/bundle-python.ts';
import { maxAbsDiff, nodeSelfCheck, pearson } from '../helpers/node-reference.ts';

const EXPORT_VENV = resolve(import.meta.dirname, '../..', process.env.EXPORT_VENV ?? '.venv-export');
const exportPython = join(EXPORT_VENV, 'bin', 'python');
const missing = [
  canImport(BUNDLE_VENV_PYTHON, 'trl, peft') ? null : `.venv-bundle with trl and peft (bash scripts/bundle-env.sh)`,
  existsSync(join(EXPORT_VENV, 'bin', 'optimum-cli')) ? null : `${EXPORT_VENV}/bin/optimum-cli (bash scripts/export-env.sh)`,
  canImport(exportPython, 'optimum.exporters.onnx, onnxruntime, onnx_ir, accelerate, onnxconverter_common')
    ? null
    : `optimum-onnx, onnxruntime, onnx-ir, accelerate and onnxconverter-common in ${EXPORT_VENV} (export/requirements-export.txt)`,
].filter(Boolean);
if (missing.length > 0) throw new Error(`optimum-export.test.ts needs ${missing.join('; ')}`);

const PROMPT = 'Which of these is fairer? A or B';

/** The app's loader (Node, CPU): last-position logits of PROMPT, and the token ids it used. */
async function appLogits(folder: string, dtype: 'fp32' | 'q4' | 'q4f16'): Promise<{ ids: number[]; logits: number[] }> {
  const split = folder.lastIndexOf('/');
  const loaded = await loadCausalLM({ kind: 'folder', root: folder.slice(0, split), name: folder.slice(split + 1) }, { device: 'cpu', dtype });
  try {
    const ids = Array.from(loaded.tokenizer.encode(PROMPT)) as number[];
    const n = ids.length;
    const out = (await loaded.model.forward({
      input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
      attention_mask: new Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [1, n]),
    })) as { logits: Tensor };
    const vocab = out.logits.dims[2]!;
    return { ids, logits: Array.from(floatValues(out.logits, (n - 1) * vocab, n * vocab)) };
  } finally {
    await loaded.dispose();
  }
}

/** The merged model's own last-position logits for these ids (transformers, float32). */
const TORCH_LOGITS = `
import json, sys, torch
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32).eval()
with torch.no_grad():
    print(json.dumps(model(torch.tensor([json.loads(sys.argv[2])])).logits[0, -1].tolist()))
`;

describe('bundle export with Optimum -> the app loader', () => {
  it('trains, merges, exports with optimum-cli, quantizes to q4; the app loads both with the merged model logits', async () => {
    const work = mkdtempSync(join(tmpdir(), 'optimum-export-'));
    const env = { ...process.env, ...OFFLINE, HF_DATASETS_CACHE: join(work, 'hf') };
    const run = (python: string, args: string[], extraEnv: Record<string, string> = {}) =>
      execFileSync(python, args, { cwd: TEMPLATE_DIR, env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    const [tiny, root, merged, web] = ['tiny-model', 'bundle', 'merged', 'web-model'].map((name) => join(work, name)) as [string, string, string, string];

    run(BUNDLE_VENV_PYTHON, ['tests/smoke_setup.py', 'model', tiny]);
    run(BUNDLE_VENV_PYTHON, ['tests/smoke_setup.py', 'bundle', root, 'sft', tiny]);
    // The preset's learning rate: the smoke test's 0.05 moves this tiny model so far that its MLP
    // outputs pass float16's range (1.4e6 measured), and q4f16 rightly refuses it.
    run(BUNDLE_VENV_PYTHON, ['train.py', '--config', 'configs/sft.yaml', '--bundle-root', root, ...CPU_STEPS]);
    run(BUNDLE_VENV_PYTHON, ['export/merge_lora.py', '--adapter', join(root, 'outputs', 'sft', 'final'), '--out', merged, '--dtype', 'float32']);

    const exportEnv = { PATH: `${join(EXPORT_VENV, 'bin')}:${process.env.PATH}` };
    const exported = execFileSync('bash', ['export/export_onnx.sh', merged, web, '--no-quantize'], {
      cwd: TEMPLATE_DIR, env: { ...env, ...exportEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
    });
    expect(exported).toContain('verified model.onnx');
    expect(run(exportPython, ['export/quantize.py', web, '--q4'])).toContain('verified model_q4.onnx');
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model.onnx', 'onnx/model_q4.onnx']) {
      expect(existsSync(join(web, file)), file).toBe(true);
    }
    // The tiny model ties its embedding and LM head: with accelerate in the export environment,
    // Optimum stores that matrix once (536 x 64 float32 = 137,216 bytes).
    expect(JSON.parse(readFileSync(join(merged, 'config.json'), 'utf8')).tie_word_embeddings).toBe(true);
    expect(statSync(join(web, 'onnx', 'model.onnx')).size).toBeLessThan(600_000);

    const fp32 = await appLogits(web, 'fp32');
    const reference = JSON.parse(run(exportPython, ['-c', TORCH_LOGITS, merged, JSON.stringify(fp32.ids)])) as number[];
    expect(maxAbsDiff(fp32.logits, reference)).toBeLessThan(1e-4);
    const q4 = await appLogits(web, 'q4');
    const q4Correlation = pearson(q4.logits, fp32.logits);
    console.log(`optimum export: fp32 max |diff| vs transformers ${maxAbsDiff(fp32.logits, reference).toExponential(2)}, q4 correlation with fp32 ${q4Correlation.toFixed(4)}`);
    expect(q4Correlation).toBeGreaterThan(0.95);

    for (const dtype of ['fp32', 'q4'] as const) {
      const check = await nodeSelfCheck(dtype, 'web-model', work);
      expect(check.kvCacheMaxAbsDiff, dtype).toBeLessThan(1e-4);
      expect(check.paddingMaxAbsDiff, dtype).toBeLessThan(1e-4);
    }

    // q4f16: float16 inside (norms, rotary embedding and casts to float32 kept in float32), float16
    // logits and cache; quantize.py's own CPU check runs it first.
    expect(run(exportPython, ['export/quantize.py', web, '--q4f16'])).toContain('verified model_q4f16.onnx');
    const q4f16 = await appLogits(web, 'q4f16');
    expect(q4f16.ids).toEqual(fp32.ids);
    const q4f16Correlation = pearson(q4f16.logits, fp32.logits);
    console.log(`optimum export: q4f16 correlation with fp32 ${q4f16Correlation.toFixed(4)}, max |diff| ${maxAbsDiff(q4f16.logits, fp32.logits).toFixed(4)}`);
    expect(q4f16Correlation).toBeGreaterThan(0.95);
    const check = await nodeSelfCheck('q4f16', 'web-model', work);
    expect(check.kvCacheMaxAbsDiff).toBeLessThan(0.02);
    expect(check.paddingMaxAbsDiff).toBeLessThan(0.02);
  }, 300_000);
});
