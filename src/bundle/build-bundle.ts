/**
 * Assembles a training bundle: the Python template (static files, see src/bundle/template/),
 * the data files, the run-record template for eval_server.py, the manifest with every file's
 * hash, and a header for the README; then zips it (fflate). Pure: the caller supplies the
 * template's files and the training data, so the same code runs in a Worker and in Node.
 */
import { strToU8, zipSync } from 'fflate';
import { sha256Hex } from '../core/hash/sha256.ts';
import type { Item } from '../core/items/item.ts';
import { cyclicOrders, renderPrompt, templateHash, type PromptTemplate } from '../core/prompts/template.ts';
import { itemSetHash, PLURALSCOPE_VERSION, systemPromptTable } from '../core/record/build.ts';
import { RUN_RECORD_FORMAT, RUN_RECORD_VERSION, type RunRecord } from '../core/record/schema.ts';
import { exampleRow, toJsonl } from './examples.ts';
import { METHOD_DESCRIPTIONS, type Method } from './methods.ts';
import type { TrainingData } from './training-data.ts';

export const BUNDLE_FORMAT = 'pluralscope.bundle';
export const BUNDLE_VERSION = 1;

export interface BundleRequest {
  suite: string;
  suiteVersion: string;
  target: string;
  method: Method;
  baseModel: string;
  splitSeed: number;
  /** Option order of the benchmark prompts eval_server.py scores. */
  order: 'fixed' | 'cyclic';
  createdAt?: string;
}

export interface BundleFiles {
  /** Folder name inside the zip. */
  root: string;
  files: Map<string, Uint8Array>;
  manifest: Record<string, unknown>;
}

function benchmarkRow(item: Item, template: PromptTemplate, order: 'fixed' | 'cyclic'): Record<string, unknown> {
  const orders = order === 'cyclic' ? cyclicOrders(item.options.length, item.fixedTail) : [item.options.map((_, i) => i)];
  return {
    id: item.id,
    options: item.options,
    fixed_tail: item.fixedTail,
    meta: item.meta,
    refs: item.refs,
    prompts: orders.map((o) => {
      const r = renderPrompt(template, item, o);
      return {
        order: r.order,
        labels: r.labels,
        messages: [...(r.system ? [{ role: 'system', content: r.system }] : []), { role: 'user', content: r.user }],
      };
    }),
  };
}

/** The run record eval_server.py fills in: everything but the model, the runtime and the items. */
export function runTemplate(request: BundleRequest, data: TrainingData, now: string): RunRecord {
  const ids = data.benchmark.map((i) => i.id);
  return {
    format: RUN_RECORD_FORMAT,
    version: RUN_RECORD_VERSION,
    id: `bundle-${sha256Hex(`${request.suite}:${request.target}:${request.method}:${now}`).slice(0, 12)}`,
    status: 'running',
    createdAt: now,
    updatedAt: now,
    producer: { name: 'pluralscope-eval-server', version: PLURALSCOPE_VERSION },
    suite: { id: request.suite, version: request.suiteVersion, options: data.suiteOptions, data: data.data },
    model: { ref: request.baseModel, kind: 'server', id: request.baseModel },
    runtime: { device: 'filled in by eval_server.py', libraries: {} },
    scoring: {
      mode: 'likelihood',
      order: request.order,
      seed: request.splitSeed,
      template: { ...data.benchmarkTemplate, hash: templateHash(data.benchmarkTemplate) },
      prefixReuse: true,
    },
    sample: { strategy: 'all', seed: request.splitSeed, itemSetHash: itemSetHash(ids), total: ids.length },
    ...(Object.keys(systemPromptTable(data.benchmark)).length > 0 ? { systemPrompts: systemPromptTable(data.benchmark) } : {}),
    items: [],
    events: [{ at: now, kind: 'bundle', message: `benchmark of a ${request.method} bundle toward ${request.target}` }],
  };
}

function readmeHeader(request: BundleRequest, data: TrainingData, counts: Record<string, number>): string {
  const config = `configs/${request.method}.yaml`;
  return [
    `# This bundle: ${request.method} toward ${request.target} on ${request.suite}`,
    '',
    `- Method: ${request.method}, ${METHOD_DESCRIPTIONS[request.method]}.`,
    `- Base model: \`${request.baseModel}\`.`,
    `- Data: ${counts.train} training examples, ${counts.eval} validation examples (data/train.jsonl, data/eval.jsonl), ${counts.benchmark} benchmark questions (data/benchmark_items.jsonl), split seed ${request.splitSeed}.`,
    ...data.notes.map((n) => `- ${n}.`),
    `- Data licence: ${data.data.licence}. Cite: ${data.data.citation}`,
    '',
    'One GPU:',
    '',
    '```sh',
    'python -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt',
    `accelerate launch --config_file accelerate/single_gpu.yaml train.py --config ${config}`,
    'python eval_server.py --adapter outputs/' + request.method + '/final   # writes a run record: import it in Pluralscope',
    '```',
    '',
    'Every other way to run it (several GPUs, DeepSpeed, FSDP2, several nodes, Slurm, VeRL) is below.',
    '',
    '---',
    '',
  ].join('\n');
}

export function buildBundleFiles(request: BundleRequest, data: TrainingData, template: Map<string, Uint8Array>): BundleFiles {
  const now = request.createdAt ?? new Date().toISOString();
  const root = `pluralscope-bundle-${request.suite}-${request.method}-${request.target}`.toLowerCase();
  const files = new Map<string, Uint8Array>();
  for (const [path, bytes] of template) {
    if (path.includes('__pycache__') || path.endsWith('.pyc')) continue;
    files.set(path, bytes);
  }
  const dataFiles: Record<string, string> = {
    'data/train.jsonl': toJsonl(data.train.map((e) => exampleRow(e, request.method, data.template))),
    'data/eval.jsonl': toJsonl(data.eval.map((e) => exampleRow(e, request.method, data.template))),
    'data/benchmark_items.jsonl': toJsonl(data.benchmark.map((i) => benchmarkRow(i, data.benchmarkTemplate, request.order))),
    'data/run_template.json': `${JSON.stringify(runTemplate(request, data, now), null, 1)}\n`,
  };
  for (const [path, text] of Object.entries(dataFiles)) files.set(path, strToU8(text));
  const counts = { train: data.train.length, eval: data.eval.length, benchmark: data.benchmark.length };
  const readme = files.get('README.md');
  files.set('README.md', strToU8(readmeHeader(request, data, counts) + (readme ? new TextDecoder().decode(readme) : '')));

  const hashes = Object.fromEntries(
    [...files.entries()]
      .filter(([path]) => path !== 'manifest.json')
      .map(([path, bytes]): [string, string] => [path, sha256Hex(bytes)])
      .sort((x, y) => (x[0] < y[0] ? -1 : 1)),
  );
  const manifest: Record<string, unknown> = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    app_version: PLURALSCOPE_VERSION,
    suite: request.suite,
    data_source: { source: data.data.source, revision: data.data.revision ?? null, split: data.data.split ?? null, licence: data.data.licence, citation: data.data.citation, files: data.data.files },
    target: request.target,
    method: request.method,
    base_model: request.baseModel,
    split_seed: request.splitSeed,
    split: counts,
    ...(data.tiers ? { tiers: data.tiers } : {}),
    ...(data.dpoSkippedNa !== undefined ? { dpo_skipped_na: data.dpoSkippedNa } : {}),
    files: hashes,
    created_at: now,
  };
  files.set('manifest.json', strToU8(`${JSON.stringify(manifest, null, 1)}\n`));
  return { root, files, manifest };
}

export function zipBundle(bundle: BundleFiles): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 6; mtime: Date; os: number; attrs: number }]> = {};
  // A fixed timestamp keeps the zip byte-identical for the same inputs; scripts are executable.
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const [path, bytes] of [...bundle.files.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const executable = path.endsWith('.sh') || path.endsWith('.sbatch');
    entries[`${bundle.root}/${path}`] = [bytes, { level: 6, mtime, os: 3, attrs: (executable ? 0o100755 : 0o100644) << 16 }];
  }
  return zipSync(entries);
}
