import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRunRecord } from '../../src/core/record/build.ts';
import { runRecordJsonSchema } from '../../src/core/record/json-schema.ts';
import type { RunRecord } from '../../src/core/record/schema.ts';
import type { FairPpDetails } from '../../src/suites/fair-pp/score.ts';
import { runCli } from '../helpers/cli.ts';
import { FIXTURES, startDatasetHost } from '../helpers/fixture-hosts.ts';
import type { FixtureServer } from '../helpers/fixture-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-'));
const env = { PLURALSCOPE_CACHE: join(dir, 'cache') };
const testParquet = `${FIXTURES}/fair-pp/test.parquet`;
const expected = JSON.parse(readFileSync(`${FIXTURES}/fair-pp/expected.json`, 'utf8')) as {
  segments: Record<string, { distribution: number[] }>;
  similarity_1_minus_jsd: number[][];
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateSchema = ajv.compile(runRecordJsonSchema());

function readRecord(path: string): RunRecord {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  expect(validateSchema(json), JSON.stringify(validateSchema.errors)).toBe(true);
  return validateRunRecord(json);
}

describe('pluralscope run / score, end to end', () => {
  let host: FixtureServer;
  beforeAll(async () => {
    host = await startDatasetHost();
  });
  afterAll(async () => {
    await host.close();
  });

  it('lists suites and their options', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/fair-pp\s/);
    expect(help.stdout).toMatch(/fair-pp-local/);
    const suiteHelp = await runCli(['run', '--suite', 'fair-pp', '--help']);
    expect(suiteHelp.stdout).toMatch(/--opt split=<test\|train\|simulation>/);
    expect(suiteHelp.stdout).toMatch(/CC-BY-NC-SA/);
    // An empty default is left out, not shown as "(default: )".
    const wvsHelp = await runCli(['run', '--suite', 'wvs-microdata', '--help']);
    expect(wvsHelp.stdout).toMatch(/--opt keep=<string> .*\(default: every group\)\n/);
    expect(wvsHelp.stdout).not.toContain('(default: )');
    const models = await runCli(['models', '--help']);
    expect(models.code, models.stderr).toBe(0);
    expect(models.stdout).toMatch(/^Usage: pluralscope models synth/);
  });

  it('baseline:uniform on a Fair-PP file: a valid record whose metrics `score` reproduces', async () => {
    const out = join(dir, 'uniform.json');
    const run = await runCli(['run', '--suite', 'fair-pp', '--data', testParquet, '--model', 'baseline:uniform', '--out', out, '--resamples', '200'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Similarity to S1/);
    const record = readRecord(out);
    expect(record.status).toBe('complete');
    expect(record.items).toHaveLength(120);
    expect(record.suite.data.licence).toMatch(/CC-BY-NC-SA/);
    const details = (record.metrics as { details: FairPpDetails }).details;
    // Each segment's pooled answers equal the independent Python reference (expected.py).
    for (const s of details.segments) {
      const k = s.segment.slice(1);
      s.segmentPool.forEach((x, i) => expect(x).toBeCloseTo(expected.segments[k]!.distribution[i]!, 12));
    }
    // ... and so does the segment x segment similarity matrix (SciPy's formula in Python).
    details.segmentMatrix.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(expected.similarity_1_minus_jsd[i]![j]!, 10)));

    const score = await runCli(['score', out, '--json', '--resamples', '200'], env);
    expect(score.code, score.stderr).toBe(0);
    expect(JSON.parse(score.stdout)).toEqual(record.metrics);
    expect(score.stderr).toMatch(/agree/);

    // A record made in the browser can differ from Node's numbers in the last bits (another
    // engine): it still agrees. A real change is named with its place.
    const s1 = details.segments[0]!;
    const nudged = join(dir, 'nudged.json');
    const lastBit = structuredClone(record);
    const d1 = (lastBit.metrics as { details: FairPpDetails }).details.segments[0]!;
    d1.similarity = s1.similarity * (1 + 4 * Number.EPSILON);
    writeFileSync(nudged, JSON.stringify(lastBit));
    expect((await runCli(['score', nudged, '--resamples', '200'], env)).stderr).toMatch(/the stored metrics agree/);
    d1.similarity = s1.similarity + 0.001;
    writeFileSync(nudged, JSON.stringify(lastBit));
    const edited = await runCli(['score', nudged, '--resamples', '200'], env);
    expect(edited.stderr).toContain(`differ from the recomputed ones (another seed or resample count, or an edited record): details.segments[0].similarity: ${s1.similarity + 0.001} stored, ${s1.similarity} recomputed`);
  });

  it('synthetic:tiny through the local fixture server (the Hub path), generation with the release parse rule', async () => {
    const out = join(dir, 'tiny.json');
    const run = await runCli(
      ['run', '--suite', 'fair-pp', '--model', 'synthetic:tiny', '--limit', '12', '--max-new-tokens', '4', '--out', out, '--resamples', '100'],
      { ...env, PLURALSCOPE_HUB_HOST: host.url },
    );
    expect(run.code, run.stderr).toBe(0);
    const record = readRecord(out);
    expect(record.items).toHaveLength(12);
    expect(record.scoring.mode).toBe('generate');
    expect(record.scoring.parser).toMatch(/^fair-pp-release/);
    expect(record.suite.data.source).toBe('hf:tools-o/Fair-PP');
    for (const item of record.items) {
      expect(item.raw).toHaveLength(1);
      expect(item.distribution!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    const score = await runCli(['score', out, '--json', '--resamples', '100'], env);
    expect(JSON.parse(score.stdout)).toEqual(record.metrics);
  });

  it('synthetic:tiny in likelihood mode with cyclic order on our own bank', async () => {
    const out = join(dir, 'local.json');
    const run = await runCli(
      ['run', '--suite', 'fair-pp-local', '--model', 'synthetic:tiny', '--limit', '10', '--order', 'cyclic', '--out', out, '--resamples', '50'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/no anchor pack/);
    const record = readRecord(out);
    expect(record.items.every((i) => i.rotations?.length === 2)).toBe(true);
    expect(record.items.every((i) => (i.labelMass ?? 0) > 0)).toBe(true);
  });

  it('resumes an interrupted run without scoring any item twice', async () => {
    const out = join(dir, 'resume.json');
    const first = await runCli(['run', '--suite', 'fair-pp', '--data', testParquet, '--model', 'baseline:uniform', '--out', out, '--resamples', '0'], env);
    expect(first.code).toBe(0);
    const full = readRecord(out);
    // Pretend it stopped after 50 items.
    writeFileSync(out, JSON.stringify({ ...full, status: 'running', items: full.items.slice(0, 50), metrics: undefined }));
    const resumed = await runCli(['run', '--suite', 'fair-pp', '--data', testParquet, '--model', 'baseline:uniform', '--resume', out, '--resamples', '0'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const record = readRecord(out);
    expect(record.id).toBe(full.id);
    expect(record.items.map((i) => i.id).sort()).toEqual(full.items.map((i) => i.id).sort());
    expect(new Set(record.items.map((i) => i.id)).size).toBe(record.items.length);
  });

  it('resumes from the record alone, and refuses a model, dtype, mode or option other than the record\'s', async () => {
    const out = join(dir, 'resume-alone.json');
    const first = await runCli(['run', '--suite', 'fair-pp', '--data', testParquet, '--model', 'baseline:uniform', '--out', out, '--resamples', '0'], env);
    expect(first.code, first.stderr).toBe(0);
    const full = readRecord(out);
    const partial = JSON.stringify({ ...full, status: 'running', items: full.items.slice(0, 50), metrics: undefined });
    writeFileSync(out, partial);
    for (const [flags, message] of [
      [['--model', 'synthetic:tiny'], /is a run of model baseline:uniform, not synthetic:tiny/],
      [['--mode', 'generate'], /scored in likelihood mode, not generate/],
      [['--opt', 'split=train'], /suite option split=test, not split=train/],
      [['--suite', 'dvmap'], /is a run of suite fair-pp, not dvmap/],
    ] as const) {
      const r = await runCli(['run', '--data', testParquet, '--resume', out, '--resamples', '0', ...flags], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(readFileSync(out, 'utf8')).toBe(partial);
    }
    // The data came from a file: the record names it, and it must be given again.
    const noData = await runCli(['run', '--resume', out], env);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/came from your file test\.parquet: give it again with --data/);
    expect(noData.stderr).not.toMatch(/--suite is required/);
    const resumed = await runCli(['run', '--resume', out, '--data', testParquet, '--resamples', '0'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readRecord(out).items.map((i) => i.id).sort()).toEqual(full.items.map((i) => i.id).sort());
  });

  it('refuses to resume with a data file whose contents changed, even when its questions are the same', async () => {
    // Same questions (same ids), one segment's answer changed: without the file check the resumed
    // items would be scored against other anchors than the saved ones.
    const jsonl = readFileSync(`${FIXTURES}/fair-pp/test.jsonl`, 'utf8').trimEnd().split('\n');
    const original = join(dir, 'given.jsonl');
    writeFileSync(original, `${jsonl.join('\n')}\n`);
    const last = JSON.parse(jsonl.at(-1)!) as Record<string, unknown>;
    last['gpt-4o-mini_role_1_answer'] = (Number(last['gpt-4o-mini_role_1_answer']) + 1) % 3;
    const edited = join(dir, 'edited.jsonl');
    writeFileSync(edited, `${[...jsonl.slice(0, -1), JSON.stringify(last)].join('\n')}\n`);

    const out = join(dir, 'resume-files.json');
    const first = await runCli(['run', '--suite', 'fair-pp', '--data', original, '--model', 'baseline:uniform', '--out', out, '--resamples', '0'], env);
    expect(first.code, first.stderr).toBe(0);
    const full = readRecord(out);
    const partial = JSON.stringify({ ...full, status: 'running', items: full.items.slice(0, 10), metrics: undefined });
    writeFileSync(out, partial);
    const refused = await runCli(['run', '--resume', out, '--data', edited, '--resamples', '0'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/edited\.jsonl is not the file this run used: given\.jsonl had SHA-256 [0-9a-f]{12}…, the file given has [0-9a-f]{12}…; give given\.jsonl again/);
    expect(readFileSync(out, 'utf8')).toBe(partial);
    const resumed = await runCli(['run', '--resume', out, '--data', original, '--resamples', '0'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readRecord(out).items).toHaveLength(full.items.length);
  });

  it('refuses to resume a record of one dtype with another', async () => {
    const out = join(dir, 'resume-dtype.json');
    const first = await runCli(['run', '--suite', 'fair-pp', '--data', testParquet, '--model', 'baseline:uniform', '--out', out, '--resamples', '0'], env);
    expect(first.code, first.stderr).toBe(0);
    const full = readRecord(out);
    writeFileSync(out, JSON.stringify({ ...full, status: 'running', items: full.items.slice(0, 5), model: { ...full.model, dtype: 'q4' }, metrics: undefined }));
    const r = await runCli(['run', '--resume', out, '--data', testParquet, '--dtype', 'fp32'], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/with dtype q4, not fp32/);
  });

  it('resumes a stratified sample on the same questions, and refuses to resume on data that gives other ones', async () => {
    const out = join(dir, 'resume-sample.json');
    const args = ['run', '--suite', 'fair-pp', '--data', testParquet, '--model', 'baseline:uniform', '--resamples', '0'];
    const first = await runCli([...args, '--limit', '30', '--out', out], env);
    expect(first.code, first.stderr).toBe(0);
    const full = readRecord(out);
    expect(full.sample).toMatchObject({ strategy: 'stratified', limit: 30, nested: true, total: 30 });
    expect(first.stderr).not.toMatch(/were asked for/);
    const whole = await runCli([...args, '--limit', '100000', '--out', join(dir, 'whole.json')], env);
    expect(whole.code, whole.stderr).toBe(0);
    const wholeRecord = readRecord(join(dir, 'whole.json'));
    expect(whole.stderr).toContain(`note: 100000 questions were asked for, but this set has ${wholeRecord.items.length}: all ${wholeRecord.items.length} are scored`);
    writeFileSync(out, JSON.stringify({ ...full, status: 'running', items: full.items.slice(0, 10), metrics: undefined }));
    const resumed = await runCli([...args, '--resume', out], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readRecord(out).items.map((i) => i.id).sort()).toEqual(full.items.map((i) => i.id).sort());
    // The same record against other data (the train split): refused by the file it read (the
    // question check, for downloaded data, is in tests/core/run/resumable.test.ts), nothing written over.
    const partial = JSON.stringify({ ...full, status: 'running', items: full.items.slice(0, 10), metrics: undefined });
    writeFileSync(out, partial);
    const other = await runCli(['run', '--suite', 'fair-pp', '--data', `${FIXTURES}/fair-pp/train.parquet`, '--model', 'baseline:uniform', '--resamples', '0', '--resume', out], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/train\.parquet is not the file this run used: test\.parquet had SHA-256/);
    expect(readFileSync(out, 'utf8')).toBe(partial);
  });

  it.each([
    [['run', '--suite', 'nope', '--model', 'baseline:uniform'], /unknown suite "nope"/, 2],
    [['run', '--suite', 'fair-pp', '--model', 'gpt2'], /not a model reference/, 1],
    [['run', '--suite', 'fair-pp', '--model', 'baseline:uniform', '--opt', 'split=dev'], /split must be one of test, train, simulation/, 1],
    [['run', '--suite', 'fair-pp', '--model', 'baseline:uniform', '--limit', '0'], /--limit must be an integer of at least 1/, 2],
    [['run', '--suite', 'fair-pp', '--data', `${FIXTURES}/fair-pp/malformed/bad-answer-code.parquet`, '--model', 'baseline:uniform'], /wrong answer coding/, 1],
    [['run', '--suite', 'fair-pp', '--model', 'baseline:majority', '--data', testParquet], /unknown baseline "majority"/, 1],
    [['score', '/no/such/file.json'], /no file/, 2],
    [['run', '--bogus'], /Unknown option '--bogus'/, 2],
    [['run', '--suite', 'fair-pp', '--model', 'baseline:uniform', '--limit', '-5'], /--limit must be an integer of at least 1, got "-5"/, 2],
    [['run', '--suite', 'fair-pp', '--model', 'baseline:uniform', '--resamples', '-1'], /--resamples must be an integer of at least 0, got "-1"/, 2],
    [['run', '--suite', 'fair-pp', '--model', 'baseline:uniform', '--temperature', '-0.5'], /--temperature must be a number >= 0, got "-0.5"/, 2],
    [['run', '--suite', 'fair-pp', '--data', testParquet, '--model', 'baseline:uniform', '--dtype', 'q3'], /--dtype must be one of fp32, fp16, q8, q4, q4f16, int8, uint8, bnb4, got "q3"/, 2],
  ])('fails clearly: %j', async (args, message, code) => {
    const r = await runCli(args as string[], env);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(code);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace for user errors
  });

  it('rejects a record that is not a run record', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'pluralscope.run', version: 1, id: 'x' }));
    const r = await runCli(['score', bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid run record: status/);
  });
});
