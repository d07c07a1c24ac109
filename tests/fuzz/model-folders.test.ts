/**
 * Broken transformers.js model folders (example-based: each load takes tens of milliseconds to
 * a second, too slow to generate by the hundred): a copy of public/models/synthetic-tiny with a
 * file missing, an ONNX file corrupt, config.json broken or naming an architecture that is not a
 * causal language model. Opening it through `nodeModelContext(...).resolveLocal` and
 * `loadCausalLM` (openModel) must fail with a ModelOpenError or ModelLoadError that names the
 * file and says what is wrong, keeping the library's own error as `cause`.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ModelOpenError, openModel } from '../../src/core/backends/open-model.ts';
import { loadCausalLM, ModelLoadError } from '../../src/core/backends/transformers/load-model.ts';
import { PACKAGE_ROOT } from '../../src/node/paths.ts';
import { nodeModelContext } from '../../src/node/model-context.ts';

const SOURCE = join(PACKAGE_ROOT, 'public', 'models', 'synthetic-tiny');
const root = mkdtempSync(join(tmpdir(), 'pluralscope-model-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
/** A fresh copy of the tiny model, broken by `damage`. */
function brokenFolder(damage: (folder: string) => void): string {
  const folder = join(root, `model-${count++}`);
  cpSync(SOURCE, folder, { recursive: true });
  damage(folder);
  return folder;
}

const editConfig = (folder: string, edit: (config: Record<string, unknown>) => void) => {
  const path = join(folder, 'config.json');
  const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(config);
  writeFileSync(path, JSON.stringify(config));
};

async function openFolder(folder: string): Promise<unknown> {
  const model = await openModel({ kind: 'folder', path: folder }, nodeModelContext({ device: 'cpu', dtype: 'fp32' }));
  await model.dispose();
  return model;
}

describe('broken model folders', () => {
  test('the intact copy opens', async () => {
    await expect(openFolder(brokenFolder(() => {}))).resolves.toBeDefined();
  });

  test.each([
    ['a missing ONNX file', (f: string) => unlinkSync(join(f, 'onnx', 'model.onnx')), ModelLoadError, /has no model\.onnx: .*onnx\/model\.onnx is missing \(dtype fp32 reads onnx\/model\.onnx/],
    ['a missing tokenizer.json', (f: string) => unlinkSync(join(f, 'tokenizer.json')), ModelOpenError, /model-\d+ has no tokenizer\.json/],
    ['a truncated ONNX file', (f: string) => writeFileSync(join(f, 'onnx', 'model.onnx'), readFileSync(join(f, 'onnx', 'model.onnx')).subarray(0, 5000)), ModelLoadError, /onnx\/model\.onnx is not a readable ONNX model \(Protobuf parsing failed\.?\): the file is damaged/],
    ['an ONNX file that is text', (f: string) => writeFileSync(join(f, 'onnx', 'model.onnx'), 'not a model'), ModelLoadError, /onnx\/model\.onnx is not a readable ONNX model/],
    ['an encoder architecture (bert)', (f: string) => editConfig(f, (c) => Object.assign(c, { model_type: 'bert', architectures: ['BertModel'] })), ModelLoadError, /config\.json gives model type "bert", which transformers\.js cannot load as a causal language model/],
    ['an unknown architecture', (f: string) => editConfig(f, (c) => Object.assign(c, { model_type: 'frobnicator', architectures: ['FrobForCausalLM'] })), ModelLoadError, /model type "frobnicator"/],
    ['config.json cut short', (f: string) => writeFileSync(join(f, 'config.json'), '{"model_type": '), ModelOpenError, /config\.json is not valid JSON/],
    ['config.json without a model type', (f: string) => editConfig(f, (c) => delete c.model_type), ModelOpenError, /config\.json gives no "model_type"/],
    ['tokenizer.json cut short', (f: string) => writeFileSync(join(f, 'tokenizer.json'), '{"model": {'), ModelLoadError, /its tokenizer\.json or tokenizer_config\.json is not valid JSON/],
    ['generation_config.json cut short', (f: string) => writeFileSync(join(f, 'generation_config.json'), '{"x": '), ModelLoadError, /its config\.json or generation_config\.json is not valid JSON/],
  ])('%s: a clear error naming the file', async (_what, damage, errorClass, message) => {
    const folder = brokenFolder(damage);
    const error = await openFolder(folder).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(folder);
    if (error instanceof ModelLoadError) expect(error.cause).toBeInstanceOf(Error);
  });

  test('loadCausalLM alone (as the browser calls it, without the Node checks) names the files too', async () => {
    const folder = brokenFolder((f) => writeFileSync(join(f, 'config.json'), '{"model_type": '));
    const name = folder.split('/').pop()!;
    await expect(loadCausalLM({ kind: 'folder', root, name }, { device: 'cpu', dtype: 'fp32' })).rejects.toThrow(
      /the model folder .*model-\d+: its config\.json or generation_config\.json is not valid JSON/,
    );
  });
});
