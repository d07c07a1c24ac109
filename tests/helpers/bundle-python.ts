/**
 * The Python the bundle tests run, and unzipping a bundle to a folder. The bundle's training
 * environment is .venv-bundle (bash scripts/bundle-env.sh). Where .ci/run made it, it exports
 * PLURALSCOPE_REQUIRE_BUNDLE_ENV=1, and a test that cannot find what it needs fails instead of
 * skipping: a skipped test proves nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';

export const BUNDLE_VENV_PYTHON = resolve(import.meta.dirname, '../..', process.env.BUNDLE_VENV ?? '.venv-bundle', 'bin', 'python');

export const canImport = (python: string, modules: string): boolean =>
  spawnSync(python, ['-c', `import ${modules}`], { stdio: 'ignore' }).status === 0;

/** The first interpreter that imports `modules`: .venv-bundle's first, then the machine's. */
export function pythonWith(modules: string, ...preferred: Array<string | undefined>): string | undefined {
  const candidates = [...preferred, BUNDLE_VENV_PYTHON, process.env.PYTHON, 'python3', '/usr/bin/python3'];
  return candidates.find((python) => python && canImport(python, modules));
}

/**
 * Says why a test file will skip, or throws where the environment was promised
 * (PLURALSCOPE_REQUIRE_BUNDLE_ENV=1), so CI cannot pass by skipping.
 */
export function skipUnless(available: unknown, file: string, what: string): boolean {
  if (available) return false;
  const message = `${file}: ${what}`;
  if (process.env.PLURALSCOPE_REQUIRE_BUNDLE_ENV === '1') throw new Error(`${message}, but PLURALSCOPE_REQUIRE_BUNDLE_ENV=1 says it is installed`);
  console.warn(`${message}: SKIPPED`);
  return true;
}

/** Writes a zip's files under `out` and returns the bundle's root folder (the zip's top folder). */
export function unzipTo(zip: Uint8Array, out: string): string {
  const entries = unzipSync(zip);
  for (const [path, bytes] of Object.entries(entries)) {
    if (path.endsWith('/')) continue;
    mkdirSync(join(out, path, '..'), { recursive: true });
    writeFileSync(join(out, path), bytes);
  }
  return join(out, Object.keys(entries)[0]!.split('/')[0]!);
}

/** The settings of the bundle tests' processes: no network, no GPU, no telemetry. */
export const OFFLINE = {
  HF_HUB_OFFLINE: '1',
  TRANSFORMERS_OFFLINE: '1',
  HF_DATASETS_OFFLINE: '1',
  HF_HUB_DISABLE_TELEMETRY: '1',
  WANDB_DISABLED: 'true',
  TOKENIZERS_PARALLELISM: 'false',
  CUDA_VISIBLE_DEVICES: '',
};

/** train.py's overrides for two optimizer steps on CPU in float32, small batches (smoke_test.sh's settings). */
export const CPU_STEPS = [
  'model.dtype=float32', 'model.attn_implementation=eager', 'trainer.bf16=false', 'trainer.use_cpu=true', 'trainer.max_steps=2',
  'trainer.gradient_checkpointing=false', 'trainer.warmup_steps=0', 'trainer.logging_steps=1', 'trainer.dataloader_num_workers=0',
  'batch.per_device_train_batch_size=2', 'batch.per_device_eval_batch_size=2', 'batch.global_train_batch_size=4', 'trainer.eval_strategy=no',
].flatMap((s) => ['--set', s]);
