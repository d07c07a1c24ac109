/**
 * The whole round trip of a training bundle, with the real libraries on CPU: `pluralscope bundle`
 * builds it from the fixtures, its train.py trains two steps with TRL on a tiny random Qwen2 (made
 * by the bundle's own tests/smoke_setup.py), its eval_server.py benchmarks the adapter and writes a
 * run record, and `pluralscope score` computes the product's metrics from that record.
 * Needs .venv-bundle (bash scripts/bundle-env.sh): skipped, and says so, without it (fails instead
 * under PLURALSCOPE_REQUIRE_BUNDLE_ENV=1, which .ci/run sets once it made the environment).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_VENV_PYTHON as python, canImport, CPU_STEPS, OFFLINE, skipUnless, unzipTo } from '../helpers/bundle-python.ts';
import { runCli } from '../helpers/cli.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';

const skip = skipUnless(canImport(python, 'trl, peft, datasets'), 'bundle-train.test.ts', 'no .venv-bundle (bash scripts/bundle-env.sh)');

const FAIR_PP = ['--data', `${FIXTURES}/fair-pp/train.parquet`, '--file', `test=${FIXTURES}/fair-pp/test.parquet`];
const DVMAP = ['--data', `${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus/test.parquet`, '--file', `train=${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus/train.parquet`];
const WVS = ['--data', `${FIXTURES}/wvs/wvs7-fixture.csv`, '--country', 'SGP'];

describe.skipIf(skip)('a bundle from the CLI, trained with TRL, benchmarked by eval_server.py, scored by the product', () => {
  const work = mkdtempSync(join(tmpdir(), 'bundle-train-'));
  const env = { ...process.env, ...OFFLINE, HF_DATASETS_CACHE: join(work, 'hf'), PLURALSCOPE_CACHE: join(work, 'cache') };
  const tiny = join(work, 'tiny-model');
  let made = false;

  const py = (cwd: string, args: string[]) => execFileSync(python, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });

  it.each([
    ['fair-pp', 'wdpo', 'S7', FAIR_PP, 'likelihood', 'Similarity to S7'],
    ['fair-pp', 'wsft', 'S3', FAIR_PP, 'likelihood', 'Similarity to S3'],
    ['wvs-microdata', 'lora-sft', 'all', WVS, 'likelihood', 'Accuracy'],
    ['dvmap', 'grpo', 'all', DVMAP, 'generate', 'Accuracy'],
  ])('%s %s toward %s', async (suite, method, target, data, mode, measure) => {
    const zip = join(work, `${suite}-${method}.zip`);
    const built = await runCli(['bundle', '--suite', suite, '--method', method, '--target', target, '--base-model', 'Qwen/Qwen2.5-0.5B-Instruct', '--out', zip, ...data], env as Record<string, string>);
    expect(built.code, built.stderr).toBe(0);
    const root = unzipTo(new Uint8Array(readFileSync(zip)), join(work, `${suite}-${method}`));
    if (!made) {
      py(root, ['tests/smoke_setup.py', 'model', tiny]);
      made = true;
    }

    const grpo = method === 'grpo' ? ['--set', 'trainer.num_generations=2', '--set', 'trainer.max_completion_length=8', '--set', 'batch.global_train_batch_size=2', '--set', 'trainer.steps_per_generation=2'] : [];
    py(root, ['train.py', '--config', `configs/${method}.yaml`, '--bundle-root', '.', '--set', `model.name_or_path=${tiny}`, ...CPU_STEPS, ...grpo]);
    const checked = py(root, ['tests/smoke_setup.py', 'trained', method, `outputs/${method}/training_summary.json`]);
    expect(checked).toMatch(/^steps 2 loss/);

    const generation = mode === 'generate' ? ['--mode', 'generate', '--samples', '2', '--temperature', '0.7', '--max-new-tokens', '8'] : [];
    py(root, ['eval_server.py', '--adapter', `outputs/${method}/final`, '--limit', '4', '--device', 'cpu', '--dtype', 'float32', '--batch-size', '4', ...generation, '--out', 'run.json']);
    const record = JSON.parse(readFileSync(join(root, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'complete', suite: { id: suite }, scoring: { mode } });
    expect(record.items).toHaveLength(4);

    const scored = await runCli(['score', join(root, 'run.json')], env as Record<string, string>);
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.stdout).toContain(measure);
  }, 300_000);
});
