/**
 * `npx tsx bench/first-result.ts [tiny|small]`: when the first result comes and how many items a
 * second, with the engine's timed chunks (the first one batch, then about 5 s) against fixed chunks
 * of 32 prompts; 200 items with a persona, batch 8, prefix reuse, in a stratified sample and in
 * the bank's own order; each twice, alternating. Also counts the prefix passes. Prints a line a
 * run and writes them, with the machine and date, to bench/first-result.txt (the README quotes it).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname } from 'node:path';
import { syntheticFolder } from '../src/node/model-context.ts';
import { loadCausalLM } from '../src/core/backends/transformers/load-model.ts';
import { TransformersBackend } from '../src/core/backends/transformers/backend.ts';
import { benchItems, BENCHMARK_TEMPLATE } from '../src/suites/fair-pp-local/benchmark-items.ts';
import { buildLocalBank } from '../src/suites/fair-pp-local/bank.ts';
import { DEFAULT_SCORING, scoreItems } from '../src/core/engine/score-items.ts';
const preset = process.argv[2] ?? 'small';
const folder = syntheticFolder(preset);
const loaded = await loadCausalLM({ kind: 'folder', root: dirname(folder), name: basename(folder) }, { device: 'cpu', dtype: 'q4' });
const backend = new TransformersBackend(loaded, { info: { kind: 'synthetic', ref: 'x', id: preset, dtype: 'q4', device: 'cpu', libraries: {} } });
const system = benchItems(1)[0]!.system;
const sets = { stratified: benchItems(200), 'bank order': buildLocalBank().slice(0, 200).map((i) => ({ ...i, system })) };
await scoreItems(sets.stratified.slice(0, 16), backend, { ...DEFAULT_SCORING, template: BENCHMARK_TEMPLATE });
const lines = [`${preset} shape, q4, onnxruntime-node CPU; ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString()}`];
for (const [name, items] of Object.entries(sets)) {
  for (const chunkSeconds of [0, 5, 0, 5]) {
    backend.clearPrefixCache();
    const before = backend.stats.prefixComputations;
    let first = 0;
    const t = performance.now();
    await scoreItems(items, backend, { ...DEFAULT_SCORING, template: BENCHMARK_TEMPLATE, batchSize: 8, chunkSize: 32, chunkSeconds }, { onResult: () => { if (!first) first = performance.now() - t; } });
    const s = (performance.now() - t) / 1000;
    const line = `${name.padEnd(11)} ${chunkSeconds ? 'timed 5 s' : 'fixed 32 '} ${(items.length / s).toFixed(1)} items/s  first result ${first.toFixed(0)} ms  prefix passes ${backend.stats.prefixComputations - before}`;
    console.log(line);
    lines.push(line);
  }
}
writeFileSync(new URL('./first-result.txt', import.meta.url), `${lines.join('\n')}\n`);
