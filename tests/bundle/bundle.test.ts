import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildBundleFiles, zipBundle } from '../../src/bundle/build-bundle.ts';
import { checkBenchmarkOverlap, seededSplit, collectTrainingData } from '../../src/bundle/training-data.ts';
import { sha256Hex } from '../../src/core/hash/sha256.ts';
import { validateRunRecord } from '../../src/core/record/build.ts';
import { readBundleTemplate } from '../../src/node/bundle-template.ts';
import { userFileFromPath } from '../../src/node/data-source.ts';
import { fetchWithProgress, type DataSourceContext } from '../../src/sources/source.ts';
import { unzipTo } from '../helpers/bundle-python.ts';
import { runCli } from '../helpers/cli.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';

const offline: DataSourceContext = { hubHost: 'http://127.0.0.1:9', githubRawHost: 'http://127.0.0.1:9', fetchBytes: (u) => fetchWithProgress(u) };
const fairPp = { ...offline, userFile: userFileFromPath(`${FIXTURES}/fair-pp/train.parquet`), extraFiles: { test: userFileFromPath(`${FIXTURES}/fair-pp/test.parquet`) } };

async function bundle(method: 'sft' | 'dpo' | 'wsft' | 'wdpo', target = 'S6') {
  const data = await collectTrainingData({ suite: 'fair-pp', target, method, splitSeed: 3 }, fairPp);
  const files = buildBundleFiles(
    { suite: 'fair-pp', suiteVersion: '1', target, method, baseModel: 'org/base', splitSeed: 3, order: 'fixed', createdAt: '2026-11-23T00:00:00.000Z' },
    data,
    readBundleTemplate(),
  );
  return { data, files };
}

const jsonl = (bytes: Uint8Array) => strFromU8(bytes).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('training bundle builder', () => {
  it('contains the template, the data, the run template and a manifest of hashes', async () => {
    const { files } = await bundle('wsft');
    const paths = [...files.files.keys()];
    for (const p of ['train.py', 'eval_server.py', 'configs/wsft.yaml', 'accelerate/deepspeed_zero3.yaml', 'slurm/train.sbatch', 'verl/reward.py', 'export/quantize.py', 'smoke_test.sh', 'tests/test_weights.py', 'data/train.jsonl', 'data/eval.jsonl', 'data/benchmark_items.jsonl', 'data/run_template.json', 'manifest.json', 'README.md']) {
      expect(paths).toContain(p);
    }
    const manifest = JSON.parse(strFromU8(files.files.get('manifest.json')!));
    for (const [path, hash] of Object.entries(manifest.files as Record<string, string>)) expect(sha256Hex(files.files.get(path)!), path).toBe(hash);
    expect(Object.keys(manifest.files)).toHaveLength(files.files.size - 1);
    expect(manifest).toMatchObject({ format: 'pluralscope.bundle', version: 1, suite: 'fair-pp', target: 'S6', method: 'wsft', base_model: 'org/base', split_seed: 3 });
  });

  it('splits without leaking: train and validation from the release\'s train split, the benchmark from its test split', async () => {
    const { data, files } = await bundle('sft');
    expect(data.train.length + data.eval.length).toBe(480);
    expect(data.eval.length).toBe(48);
    expect(data.benchmark).toHaveLength(120);
    const trainIds = new Set([...data.train, ...data.eval].map((e) => e.item.id));
    expect(data.benchmark.some((i) => trainIds.has(i.id))).toBe(false);
    const manifest = JSON.parse(strFromU8(files.files.get('manifest.json')!));
    expect(manifest.split).toEqual({ train: 432, eval: 48, benchmark: 120 });
  });

  it('writes SFT rows in TRL\'s prompt/completion format with the target\'s answer letter', async () => {
    const { data, files } = await bundle('sft', 'S1');
    const rows = jsonl(files.files.get('data/train.jsonl')!);
    expect(rows).toHaveLength(data.train.length);
    for (const [i, row] of rows.entries()) {
      expect(Object.keys(row).sort()).toEqual(['completion', 'id', 'prompt']);
      const example = data.train[i]!;
      const anchors = (example.item.refs as { anchors: Record<string, number[]> }).anchors;
      expect((row.completion as Array<{ content: string }>)[0]!.content).toBe('ABC'[anchors.S1!.indexOf(1)]);
      expect((row.prompt as Array<{ role: string; content: string }>).at(-1)!.content).toMatch(/Directly select your option without explanation\.$/);
    }
  });

  it('weights WSFT examples by SPEC\'s tier formula, scaled to mean 1, with the tier table in the manifest', async () => {
    const { data, files } = await bundle('wsft', 'S6');
    const rows = jsonl(files.files.get('data/train.jsonl')!);
    const mean = rows.reduce((s, r) => s + (r.weight as number), 0) / rows.length;
    expect(mean).toBeCloseTo(1, 12);
    // Independent check: w_i = (T_i / N_Ti) / sum_j (T_j / N_j), scaled to mean 1.
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.tier as number, (counts.get(r.tier as number) ?? 0) + 1);
    const denominator = [...counts.entries()].reduce((s, [t, n]) => s + t / n, 0);
    const raw = rows.map((r) => (r.tier as number) / counts.get(r.tier as number)! / denominator);
    const rawMean = raw.reduce((a, b) => a + b, 0) / raw.length;
    rows.forEach((r, i) => expect(r.weight as number).toBeCloseTo(raw[i]! / rawMean, 12));
    const manifest = JSON.parse(strFromU8(files.files.get('manifest.json')!));
    for (const [t, n] of counts) expect(manifest.tiers[String(t)].count).toBe(n);
    expect(data.tiers).toBeDefined();
  });

  it('tiers S6\'s examples as the independent reference does (expected.py\'s tiers_segment_6 over the test split)', async () => {
    // The test split given as the training data (and the train split as the benchmark), so that
    // every one of its 120 rows is a training or validation example with a tier.
    const swapped = { ...offline, userFile: userFileFromPath(`${FIXTURES}/fair-pp/test.parquet`), extraFiles: { test: userFileFromPath(`${FIXTURES}/fair-pp/train.parquet`) } };
    const data = await collectTrainingData({ suite: 'fair-pp', target: 'S6', method: 'wsft', splitSeed: 3 }, swapped);
    const counts: Record<string, number> = {};
    for (const e of [...data.train, ...data.eval]) counts[String(e.tier)] = (counts[String(e.tier)] ?? 0) + 1;
    const expected = JSON.parse(readFileSync(`${FIXTURES}/fair-pp/expected.json`, 'utf8')) as { tiers_segment_6: { counts: Record<string, number> } };
    // expected.py: tier = 1 + the number of the other six segments whose answer differs from S6's.
    expect(expected.tiers_segment_6.counts).toEqual({ '1': 24, '2': 4, '3': 13, '4': 28, '5': 34, '6': 14, '7': 3 });
    expect(counts).toEqual(expected.tiers_segment_6.counts);
  });

  it('pairs DPO examples (target preferred over the other option) and leaves N/A answers out, counted', async () => {
    const { data, files } = await bundle('dpo', 'S3');
    const rows = jsonl(files.files.get('data/train.jsonl')!);
    for (const r of rows) {
      const chosen = (r.chosen as Array<{ content: string }>)[0]!.content;
      const rejected = (r.rejected as Array<{ content: string }>)[0]!.content;
      expect(['A', 'B']).toContain(chosen);
      expect(rejected).toBe(chosen === 'A' ? 'B' : 'A');
    }
    // S3 answers N/A (code 2) on 75 of the 480 rows of train.parquet: counted by reading the file
    // with hyparquet's parquetReadObjects directly and counting gpt-4o-mini_role_3_answer === 2.
    expect(data.dpoSkippedNa).toBe(75);
    expect(data.train.length + data.eval.length).toBe(480 - 75);
    expect(JSON.parse(strFromU8(files.files.get('manifest.json')!)).dpo_skipped_na).toBe(data.dpoSkippedNa);
  });

  it('renders benchmark items with their prompts, and a run template eval_server.py completes into a valid record', async () => {
    const { data, files } = await bundle('sft');
    const items = jsonl(files.files.get('data/benchmark_items.jsonl')!);
    expect(items[0]).toMatchObject({ id: data.benchmark[0]!.id, fixed_tail: 1, prompts: [{ order: [0, 1, 2], labels: ['A', 'B', 'C'] }] });
    const template = JSON.parse(strFromU8(files.files.get('data/run_template.json')!));
    const completed = {
      ...template,
      status: 'complete',
      runtime: { device: 'cuda', libraries: { torch: '2.11' } },
      items: data.benchmark.map((i) => ({ id: i.id, meta: i.meta, refs: i.refs, options: i.options, distribution: [0.5, 0.5, 0] })),
    };
    expect(validateRunRecord(completed).items).toHaveLength(120);
  });

  it('is deterministic: the same inputs give a byte-identical zip', async () => {
    const a = zipBundle((await bundle('wdpo')).files);
    const b = zipBundle((await bundle('wdpo')).files);
    expect(sha256Hex(a)).toBe(sha256Hex(b));
    const entries = unzipSync(a);
    expect(Object.keys(entries).every((k) => k.startsWith('pluralscope-bundle-fair-pp-wdpo-s6/'))).toBe(true);
  });

  it('counts benchmark prompts also in training by what the model sees (persona, question, options), not by id', () => {
    const q = (id: string, question: string, system = 'persona A') => ({ id, question, system, options: ['x', 'y'], fixedTail: 0, meta: {}, refs: {} });
    const ex = (item: ReturnType<typeof q>) => ({ item, answer: 0 });
    const benchmark = [q('t1', 'one'), q('t2', 'two'), q('t3', 'three'), q('t4', 'one', 'persona B')];
    expect(checkBenchmarkOverlap({ train: [ex(q('r1', 'four'))], eval: [], benchmark })).toBeNull();
    // One of four, under another id: built, with a note.
    expect(checkBenchmarkOverlap({ train: [ex(q('r1', 'one'))], eval: [], benchmark })).toBe(
      '1 of the 4 benchmark prompts (persona, question and options) also occur in the training data; the splits are the source\'s own, so they are kept, but the benchmark is not wholly unseen',
    );
    // Half of them, counting validation lines: refused.
    expect(() => checkBenchmarkOverlap({ train: [ex(q('r1', 'one'))], eval: [ex(q('r2', 'two'))], benchmark })).toThrow(/^2 of the 4 benchmark questions are also training questions/);
  });

  it('splits an anchor pack 80/20 with a seed', () => {
    const [a, b] = seededSplit(Array.from({ length: 50 }, (_, i) => i), 0.8, 9);
    expect(a).toHaveLength(40);
    expect(b).toHaveLength(10);
    expect(new Set([...a, ...b]).size).toBe(50);
    expect(seededSplit(Array.from({ length: 50 }, (_, i) => i), 0.8, 9)[0]).toEqual(a);
  });
});

describe('pluralscope bundle, end to end, checked by the bundle\'s own Python', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-cli-'));
  const env = { PLURALSCOPE_CACHE: join(dir, 'cache') };

  it.each([
    ['fair-pp', 'sft', 'S1', ['--data', `${FIXTURES}/fair-pp/train.parquet`, '--file', `test=${FIXTURES}/fair-pp/test.parquet`]],
    ['fair-pp', 'dpo', 'S2', ['--data', `${FIXTURES}/fair-pp/train.parquet`, '--file', `test=${FIXTURES}/fair-pp/test.parquet`]],
    ['fair-pp', 'wsft', 'S6', ['--data', `${FIXTURES}/fair-pp/train.parquet`, '--file', `test=${FIXTURES}/fair-pp/test.parquet`]],
    ['fair-pp', 'wdpo', 'S7', ['--data', `${FIXTURES}/fair-pp/train.parquet`, '--file', `test=${FIXTURES}/fair-pp/test.parquet`]],
    ['dvmap', 'lora-sft', 'all', ['--data', `${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus/test.parquet`, '--file', `train=${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus/train.parquet`]],
    ['wvs-microdata', 'lora-sft', 'all', ['--data', `${FIXTURES}/wvs/wvs7-fixture.csv`, '--country', 'SGP']],
    ['dvmap', 'grpo', 'all', ['--data', `${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus/test.parquet`, '--file', `train=${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus/train.parquet`]],
  ])('%s %s toward %s: train.py --dry-run validates it', async (suite, method, target, extra) => {
    const zip = join(dir, `${suite}-${method}.zip`);
    const r = await runCli(['bundle', '--suite', suite, '--method', method, '--target', target, '--base-model', 'Qwen/Qwen2.5-0.5B-Instruct', '--out', zip, ...extra], env);
    expect(r.code, r.stderr).toBe(0);
    // The release's own splits share no prompt.
    expect(r.stderr).not.toMatch(/also occur in the training data/);
    const root = unzipTo(new Uint8Array(readFileSync(zip)), join(dir, `${suite}-${method}`));
    const plan = execFileSync('python3', ['train.py', '--config', `configs/${method}.yaml`, '--dry-run'], { cwd: root, encoding: 'utf8' });
    expect(plan).toContain(`"method": "${method}"`);
    // The bundle's own tests, as its README runs them (unittest reports on stderr; a failure throws).
    // Here, without torch and onnx, their two modules skip: scripts/check-bundle-template.sh runs those.
    const tests = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests'], { cwd: root, encoding: 'utf8' });
    expect(tests.status, tests.stderr).toBe(0);
    expect(tests.stderr).toMatch(/Ran \d+ tests/);
  });

  it.each([
    ['the test file as the training data', ['--data', `${FIXTURES}/fair-pp/test.csv`, '--file', `test=${FIXTURES}/fair-pp/test.parquet`], /(\d+) of the \1 benchmark questions are also training questions/],
    ['one corpus file as both splits', ['--data', `${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus/test.parquet`, '--file', `train=${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus/test.parquet`], /benchmark questions are also training questions/],
  ])('refuses a bundle whose benchmark questions are its training questions (%s), writing nothing', async (_what, extra, message) => {
    const zip = join(dir, 'leak.zip');
    const suite = extra.some((a) => a.includes('dvmap')) ? ['--suite', 'dvmap', '--method', 'lora-sft', '--target', 'all'] : ['--suite', 'fair-pp', '--method', 'wsft', '--target', 'S6'];
    const r = await runCli(['bundle', ...suite, '--base-model', 'x/y', '--out', zip, ...extra], env);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(1);
    expect(existsSync(zip)).toBe(false);
  });

  it('refuses a method a suite does not offer, with the choices', async () => {
    const r = await runCli(['bundle', '--suite', 'dvmap', '--method', 'dpo', '--target', 'all', '--base-model', 'x/y'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/method dpo is not offered for dvmap; choose one of lora-sft, grpo/);
  });
});
