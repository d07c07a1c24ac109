/**
 * `npm run bench [-- --quick]`: where the time goes, printed and written to bench/results.json
 * and bench/results.md. Figures are from this machine; the README quotes ratios, not times.
 *
 *   engine (Node)     the four scoring strategies on synthetic models (onnxruntime-node CPU),
 *                     each against the raw onnxruntime session time of its own forward passes
 *                     (replayed on the bare session: src/core/engine/benchmark.ts)
 *   engine (browser)  the same in headless Chromium through the built site's Worker (WASM)
 *   cores             FAIR-SP metrics on 30,000 items x 7 segments, the bootstrap, a 28,420-
 *                     sample training bundle (our whole question bank)
 *   ingestion         the WVS-7 streaming reader: MB/s and peak memory (bench/wvs-ingest.ts)
 *   page              the initial JavaScript of the site and the widget's script, gzipped
 *
 * The synthetic models are exported without num_logits_to_keep, as many Hub exports are, so
 * the engine adds it at load (logits-to-keep.ts); the Qwen2.5-0.5B shape also runs "as
 * exported" (the edit off) to show what the edit is worth.
 *
 * --quick: 50 items on the tiny and small shapes, a 100 MB WVS file (a few minutes on 2 cores).
 * Full: 200 items on tiny and small, 16 on the Qwen2.5-0.5B shape (Node: q4 as exported and
 * edited, fp32 with external data; browser: q4 edited), a 300 MB WVS file. The 0.5B shape takes
 * about 45 minutes on 2 cores (15 in Node, 30 in the browser: every strategy runs twice, once in
 * the engine, once replayed on the bare session; naive generation costs 25 s an item in WASM).
 *
 * --models tiny,qwen2.5-0.5b   only these synthetic presets (engine sections)
 * --items N                    N items per model (instead of 50 / 200 / 16)
 * --engine-only                skip the cores, ingestion and page sections
 * --no-engine                  skip the engine sections
 * --no-node, --no-browser      skip an engine section
 * --merge                      keep the sections of the existing bench/NAME.json that this run skips
 * --out NAME                   write bench/NAME.json and bench/NAME.md (default: results)
 * --report                     measure nothing: rewrite bench/NAME.md from bench/NAME.json
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticFolder } from '../src/node/model-context.ts';
import { loadCausalLM, type Dtype } from '../src/core/backends/transformers/load-model.ts';
import { setSessionEditing } from '../src/core/backends/transformers/session-editing.ts';
import { TransformersBackend } from '../src/core/backends/transformers/backend.ts';
import { benchItems, BENCHMARK_TEMPLATE } from '../src/suites/fair-pp-local/benchmark-items.ts';
import { benchStrategies, type StrategyResult } from '../src/core/engine/benchmark.ts';
import type { CoreTimings } from './core-timings.ts';
import { pageSizes } from './page-size.ts';
import { browserBenchmark } from './browser.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-browser': { type: 'boolean', default: false },
    'no-node': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'engine-only': { type: 'boolean', default: false },
    'no-engine': { type: 'boolean', default: false },
    merge: { type: 'boolean', default: false },
    report: { type: 'boolean', default: false },
    models: { type: 'string' },
    items: { type: 'string' },
    out: { type: 'string', default: 'results' },
  },
});
const quick = values.quick ?? false;
const itemsOption = values.items === undefined ? undefined : Number(values.items);
if (itemsOption !== undefined && !(Number.isInteger(itemsOption) && itemsOption > 0)) throw new Error(`--items must be a positive whole number, got "${values.items}"`);
const itemCount = itemsOption ?? (quick ? 50 : 200);
const largeItemCount = itemsOption ?? 16;
const chosenModels = values.models?.split(',').map((m) => m.trim()).filter(Boolean);
if (!/^[\w.-]+$/.test(values.out ?? '')) throw new Error(`--out must be a plain file name, got "${values.out}"`);
const outBase = `bench/${values.out}`;
const report = values.report ?? false;
if (report) Object.assign(values, { 'no-engine': true, 'no-build': true });
const engineOnly = (values['engine-only'] ?? false) || report;
/** The presets this run measures: --models, else tiny and small (+ the 0.5B shape in the full run). */
const wanted = (preset: string, inFullRunOnly = false) => (chosenModels ? chosenModels.includes(preset) : !(inFullRunOnly && quick));

interface ModelResult {
  preset: string;
  dtype: string;
  runtime: string;
  /** Which positions' logits the model computed (as exported, or edited at load). */
  logits: string;
  items: number;
  loadMs: number;
  strategies: StrategyResult[];
}

/** "edited" when the engine added num_logits_to_keep at load, "as exported" when the graph gives every position. */
const logitsLabel = (m: ModelResult) => (/added/.test(m.logits) ? 'edited at load' : /in the graph/.test(m.logits) ? 'native' : 'as exported');

const machine = {
  cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
};
const log = (s: string) => console.log(s);
log(`machine: ${machine.cpus}, ${machine.memoryGiB} GiB, node ${machine.node}${quick ? ' (quick)' : ''}`);

/** Items per second with three significant figures (0.0377, 1.69, 315). */
const perSecond = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));

function printStrategies(strategies: StrategyResult[]): void {
  const naive = strategies[0]!.itemsPerSecond;
  for (const s of strategies) {
    log(
      `  ${s.strategy.padEnd(42)} ${perSecond(s.itemsPerSecond).padStart(8)} items/s ${(s.itemsPerSecond / naive).toFixed(1).padStart(5)}x naive ${s.promptTokensPerSecond.toFixed(0).padStart(7)} prompt tok/s  raw session ${s.rawSessionSeconds.toFixed(2)} s of ${s.seconds.toFixed(2)} s (${s.sessionRuns} runs), overhead ${(s.engineOverhead * 100).toFixed(1)}%  first item ${s.firstItemMs.toFixed(0)} ms`,
    );
  }
}

// ----- engine, Node
interface NodeCase {
  preset: string;
  dtype: Dtype;
  items: number;
  /** false: the model as exported, without the num_logits_to_keep edit. */
  edit: boolean;
}
const plan: NodeCase[] = [
  ...(['fp32', 'q4'] as Dtype[]).map((dtype) => ({ preset: 'tiny', dtype, items: itemCount, edit: true })),
  ...(['fp32', 'q4'] as Dtype[]).map((dtype) => ({ preset: 'small', dtype, items: itemCount, edit: true })),
  ...(wanted('qwen2.5-0.5b', true)
    ? [
        { preset: 'qwen2.5-0.5b', dtype: 'q4' as Dtype, items: largeItemCount, edit: false },
        { preset: 'qwen2.5-0.5b', dtype: 'q4' as Dtype, items: largeItemCount, edit: true },
        { preset: 'qwen2.5-0.5b', dtype: 'fp32' as Dtype, items: largeItemCount, edit: true },
      ]
    : []),
].filter((p) => wanted(p.preset));
const node: ModelResult[] = [];
for (const { preset, dtype, items, edit } of values['no-node'] || values['no-engine'] ? [] : plan) {
  log(`\npreparing synthetic:${preset}…`);
  const folder = syntheticFolder(preset);
  setSessionEditing(edit);
  const started = performance.now();
  const loaded = await loadCausalLM({ kind: 'folder', root: dirname(folder), name: basename(folder) }, { device: 'cpu', dtype });
  const loadMs = performance.now() - started;
  setSessionEditing(true);
  const backend = new TransformersBackend(loaded, { info: { kind: 'synthetic', ref: `synthetic:${preset}`, id: preset, dtype, device: 'cpu', libraries: {} } });
  const logits = backend.info.logits ?? '';
  log(`${preset} ${dtype} (Node, onnxruntime-node CPU): loaded in ${loadMs.toFixed(0)} ms, ${items} items; logits: ${logits}`);
  const strategies = await benchStrategies(backend, benchItems(items), BENCHMARK_TEMPLATE);
  printStrategies(strategies);
  node.push({ preset, dtype, runtime: 'node cpu', logits, items, loadMs, strategies });
  await backend.dispose();
}

// ----- the site
// The built site serves the browser section and is what the page section measures.
const needsSite = !engineOnly || (!values['no-browser'] && !values['no-engine']);
if (needsSite && !values['no-build']) {
  log('\nbuilding the site…');
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: 'ignore' });
  if (build.status !== 0) throw new Error('vite build failed');
}
const page = engineOnly ? null : pageSizes();
if (page) log(`initial page JavaScript: ${(page.initialJsGzip / 1024).toFixed(1)} KiB gzipped (${page.initialFiles.length} files); widget script: ${(page.widgetGzip / 1024).toFixed(1)} KiB gzipped`);

// ----- engine, browser
const browser: Array<ModelResult & { deviceReason: string; crossOriginIsolated: boolean; threads: number | null }> = [];
if (!values['no-browser'] && !values['no-engine']) {
  const browserModels = [
    ...(wanted('tiny') ? [{ preset: 'tiny', folder: syntheticFolder('tiny'), name: 'synthetic-tiny', dtype: 'q4' as const, editLogits: true }] : []),
    ...(wanted('small') ? [{ preset: 'small', folder: syntheticFolder('small'), name: 'synthetic-small', dtype: 'q4' as const, editLogits: true }] : []),
    ...(wanted('qwen2.5-0.5b', true)
      ? [{ preset: 'qwen2.5-0.5b', folder: syntheticFolder('qwen2.5-0.5b'), name: 'synthetic-qwen2.5-0.5b', dtype: 'q4' as const, editLogits: true }]
      : []),
  ];
  log('\nbrowser (headless Chromium, the built site, WASM)…');
  for (const m of browserModels) {
    const items = m.preset === 'qwen2.5-0.5b' ? largeItemCount : itemCount;
    const [run] = await browserBenchmark([m], items);
    const r = run!.result;
    log(`${m.name} ${m.dtype} (browser WASM, ${r.crossOriginIsolated ? `cross-origin isolated, ${r.threads ?? '?'} threads` : 'one thread'}): loaded in ${r.loadMs.toFixed(0)} ms, ${items} items; logits: ${r.logits}`);
    printStrategies(r.strategies);
    browser.push({ preset: m.preset, dtype: m.dtype, runtime: 'browser wasm', logits: r.logits, items, loadMs: r.loadMs, strategies: r.strategies, deviceReason: r.deviceReason, crossOriginIsolated: r.crossOriginIsolated, threads: r.threads });
  }
}

// ----- cores
let cores: CoreTimings | null = null;
if (!engineOnly) {
  log('\ncores…');
  // In a fresh process, so the engine runs' heap does not weigh on the timings.
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/core-timings.ts'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`bench/core-timings.ts failed: ${child.stderr}`);
  cores = JSON.parse(child.stdout.trim().split('\n').pop()!) as CoreTimings;
  log(`FAIR-SP metrics on ${cores.metricsItems} items x 7 segments (no bootstrap), 30 calls: first ${cores.metricsFirstMs.toFixed(1)} ms, median ${cores.metricsMedianMs.toFixed(1)} ms, best ${cores.metricsMs.toFixed(1)} ms; with ${cores.bootstrapResamples} bootstrap resamples: ${(cores.bootstrapMs / 1000).toFixed(2)} s`);
  log(`training bundle of ${cores.bundleSamples} samples (WSFT): ${(cores.bundleMs / 1000).toFixed(2)} s, ${(cores.bundleZipBytes / 1e6).toFixed(2)} MB zip`);
}

// ----- ingestion
let ingestText: string | null = null;
if (!engineOnly) {
  log('\nWVS-7 ingestion…');
  const ingest = spawnSync(process.execPath, ['--import', 'tsx', 'bench/wvs-ingest.ts', quick ? '100' : '300', '--repeat', '1'], { encoding: 'utf8' });
  ingestText = (ingest.stdout ?? '').trim();
  log(ingestText || `(wvs-ingest failed: ${ingest.stderr})`);
}

let results = { machine, quick, node, browser, cores, page, ingestion: ingestText };
if (report) {
  results = JSON.parse(readFileSync(`${outBase}.json`, 'utf8')) as typeof results;
} else if (values.merge && existsSync(`${outBase}.json`)) {
  // Sections this run skipped keep their earlier figures (and say when those were taken).
  const earlier = JSON.parse(readFileSync(`${outBase}.json`, 'utf8')) as typeof results & { machineBySection?: Record<string, typeof machine> };
  const skippedEngine = values['no-engine'];
  const bySection = { ...earlier.machineBySection };
  const keep = <K extends keyof typeof results>(key: K, skipped: boolean) => {
    if (skipped) return earlier[key];
    bySection[key] = machine;
    return results[key];
  };
  // Engine rows are merged row by row (model, format, runtime, logits): a run of some models
  // replaces those models' rows and keeps the others.
  const rowKey = (m: ModelResult) => `${m.preset}|${m.dtype}|${m.runtime}|${logitsLabel(m)}`;
  const mergeRows = <T extends ModelResult>(fresh: T[], old: T[] | undefined, section: string): T[] => {
    if (fresh.length === 0) return old ?? [];
    bySection[`${section}: ${[...new Set(fresh.map((m) => m.preset))].join(', ')}`] = machine;
    const replaced = new Set(fresh.map(rowKey));
    // Rows from before the replay columns existed are dropped: they cannot be set beside new ones.
    const kept = (old ?? []).filter((m) => !replaced.has(rowKey(m)) && m.strategies.every((s) => s.rawSessionSeconds !== undefined));
    const order = (m: ModelResult) => ['tiny', 'small', 'qwen2.5-0.5b'].indexOf(m.preset);
    return [...kept, ...fresh].sort((a, b) => order(a) - order(b));
  };
  results = {
    machine,
    quick,
    node: skippedEngine || values['no-node'] ? earlier.node : mergeRows(results.node, earlier.node, 'node'),
    browser: skippedEngine || values['no-browser'] ? earlier.browser : mergeRows(results.browser, earlier.browser, 'browser'),
    cores: keep('cores', engineOnly),
    page: keep('page', engineOnly),
    ingestion: keep('ingestion', engineOnly),
  };
  Object.assign(results, { machineBySection: bySection });
}
writeFileSync(`${outBase}.json`, `${JSON.stringify(results, null, 2)}\n`);
const { node: nodeRows, browser: browserRows, cores: coreFigures, page: pageFigures, ingestion: ingestionText } = results;

/** When sections were measured in separate runs (--merge), when each was. */
function sectionDates(r: object): string[] {
  const by = (r as { machineBySection?: Record<string, { date: string; cpus: string }> }).machineBySection;
  if (!by || Object.keys(by).length === 0) return [];
  return ['', `Sections measured in separate runs on this machine: ${Object.entries(by).map(([k, m]) => `${k} ${m.date}`).join('; ')}.`];
}

const row = (m: ModelResult) =>
  m.strategies.map((s) => {
    // Rows kept by --merge from an older run may predate the replay columns.
    const replay = s.rawSessionSeconds === undefined ? 'not measured | not measured' : `${s.rawSessionSeconds.toFixed(2)} / ${s.seconds.toFixed(2)} | ${(s.engineOverhead * 100).toFixed(1)}%`;
    return `| ${m.preset} | ${m.dtype} | ${m.runtime} | ${logitsLabel(m)} | ${m.items} | ${s.strategy} | ${perSecond(s.itemsPerSecond)} | ${(s.itemsPerSecond / m.strategies[0]!.itemsPerSecond).toFixed(1)} | ${s.promptTokensPerSecond.toFixed(0)} | ${s.firstItemMs.toFixed(0)} | ${s.sessionSeconds.toFixed(2)} | ${replay} |`;
  });
const loads = [...nodeRows, ...browserRows].map((m) => `${m.preset} ${m.dtype} ${m.runtime} (${logitsLabel(m)}): ${(m.loadMs / 1000).toFixed(2)} s`);
const md = [
  '# Benchmark results',
  '',
  `Machine: ${results.machine.cpus}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}, ${results.machine.date}${quick ? ' (`--quick`)' : ''}. FAIR-SP-style questions from our bank, each with a persona system prompt. Synthetic models (random weights, real shapes). Shared machine: compare ratios, not absolute times.`,
  ...sectionDates(results),
  '',
  '## Engine',
  '',
  '| model | dtype | runtime | logits | items | strategy | items/s | x naive | prompt tokens/s | first item (ms) | in session.run (s) | raw session / wall (s) | engine overhead |',
  '|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ...nodeRows.flatMap(row),
  ...browserRows.flatMap(row),
  '',
  'Naive = greedy generation of up to 16 new tokens (the random models rarely stop early), one prompt at a time, then the answer parser. Raw session = the same forward passes replayed one after another on the bare onnxruntime session (same shapes and token ids; no engine, tokenizer or transformers.js around them). Engine overhead = (wall - raw session) / raw session; *in session.run* = the time the engine\'s own run spent inside onnxruntime\'s run(). The two session times differ by this shared machine\'s noise (up to about 10% between runs of the same calls): a negative overhead is a replay that ran slower than the engine\'s own calls. First item = until the first result is saved: the benchmark uses fixed chunks of up to 32 prompts, so with fewer items it is the whole run (the app sizes chunks by time, the first one batch). Logits: *as exported* = the graph computes every position\'s logits; *edited at load* = the engine gave it `num_logits_to_keep` (src/core/backends/transformers/logits-to-keep.ts).',
  '',
  `Model load times (from disk or the local server): ${loads.join('; ')}.`,
  '',
  ...(coreFigures
    ? [
        '## Cores',
        '',
        `- FAIR-SP metrics on ${coreFigures.metricsItems.toLocaleString()} items x 7 segments (similarities, breakdowns, agreement; no resampling), 30 calls in a fresh process: first call ${coreFigures.metricsFirstMs.toFixed(1)} ms (nothing compiled yet), **median ${coreFigures.metricsMedianMs.toFixed(1)} ms**, best ${coreFigures.metricsMs.toFixed(1)} ms (once V8 has fully optimised the loops).`,
        `- The same with ${coreFigures.bootstrapResamples} bootstrap resamples and the noise ceilings: ${(coreFigures.bootstrapMs / 1000).toFixed(2)} s.`,
        `- A WSFT training bundle of ${coreFigures.bundleSamples.toLocaleString()} samples (data, weights, template, manifest, zip): ${(coreFigures.bundleMs / 1000).toFixed(2)} s (${(coreFigures.bundleZipBytes / 1e6).toFixed(2)} MB).`,
        '',
      ]
    : []),
  ...(pageFigures
    ? [
        '## Page',
        '',
        `- Initial JavaScript of the site: ${(pageFigures.initialJsGzip / 1024).toFixed(1)} KiB gzipped (${(pageFigures.initialJsBytes / 1024).toFixed(1)} KiB raw, ${pageFigures.initialFiles.length} files); ONNX Runtime and models load only when a run starts.`,
        `- The widget's script (embed.js): ${(pageFigures.widgetGzip / 1024).toFixed(1)} KiB gzipped (${pageFigures.widgetBytes} bytes raw).`,
        '',
      ]
    : []),
  ...(ingestionText !== null ? ['## WVS-7 ingestion', '', '```', ingestionText, '```', ''] : []),
];
writeFileSync(`${outBase}.md`, md.join('\n'));
log(`\nwrote ${outBase}.json and ${outBase}.md`);
