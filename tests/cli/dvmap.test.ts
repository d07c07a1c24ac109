import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRunRecord } from '../../src/core/record/build.ts';
import { runRecordJsonSchema } from '../../src/core/record/json-schema.ts';
import type { RunRecord } from '../../src/core/record/schema.ts';
import type { DvmapDetails } from '../../src/suites/dvmap/score.ts';
import { runCli } from '../helpers/cli.ts';
import { FIXTURES, startDatasetHost } from '../helpers/fixture-hosts.ts';
import type { FixtureServer } from '../helpers/fixture-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-dvmap-'));
const CORPUS = `${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus`;
const testParquet = `${CORPUS}/test.parquet`;
const trainParquet = `${CORPUS}/train.parquet`;

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateSchema = ajv.compile(runRecordJsonSchema());

function readRecord(path: string): RunRecord {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  expect(validateSchema(json), JSON.stringify(validateSchema.errors)).toBe(true);
  return validateRunRecord(json);
}
const detailsOf = (record: RunRecord) => (record.metrics as { details: DvmapDetails }).details;

describe('pluralscope run --suite dvmap, end to end', () => {
  let host: FixtureServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    host = await startDatasetHost();
    // The GitHub raw host points at the fixtures, so the train split (majority baseline) loads offline.
    env = { PLURALSCOPE_CACHE: join(dir, 'cache'), PLURALSCOPE_GITHUB_RAW_HOST: host.url };
  });
  afterAll(async () => {
    await host.close();
  });

  async function scoreAgrees(out: string, resamples: string) {
    const score = await runCli(['score', out, '--json', '--resamples', resamples], env);
    expect(score.code, score.stderr).toBe(0);
    expect(score.stderr).toMatch(/the stored metrics agree/);
    return JSON.parse(score.stdout) as unknown;
  }

  it('is listed with its options and licence', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.stdout).toMatch(/dvmap\s+DVMap/);
    expect(help.stdout).toMatch(/global-opinions\s+GlobalOpinionQA/);
    const suiteHelp = await runCli(['run', '--suite', 'dvmap', '--help']);
    expect(suiteHelp.stdout).toMatch(/--opt split=<test\|dev\|cross-demographic\|cross-country\|cross-value>/);
    expect(suiteHelp.stdout).toMatch(/--opt prompt=<direct\|reasoning>/);
    expect(suiteHelp.stdout).toMatch(/no licence file/);
  });

  it('baseline:majority on the corpus test file: Python-checked metrics, and `score` reproduces them exactly', async () => {
    const out = join(dir, 'majority.json');
    const run = await runCli(['run', '--suite', 'dvmap', '--data', testParquet, '--model', 'baseline:majority', '--out', out, '--resamples', '200'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/counts 350 rows of the corpus train split/);
    expect(run.stdout).toMatch(/Accuracy\s+0\.569/);
    const record = readRecord(out);
    expect(record.status).toBe('complete');
    expect(record.items).toHaveLength(130);
    expect(record.suite.data.licence).toMatch(/no licence file/);
    expect(record.suite.data.files.map((f) => f.path.split('/').pop())).toEqual(['test.parquet', 'train.parquet']);
    const d = detailsOf(record);
    // Independent Python/SciPy computation on the same rows (see tests/suites/dvmap/score.test.ts).
    expect(d.accuracy.value).toBeCloseTo(0.5692307692307692, 14);
    expect(d.wassersteinNormalized.value).toBeCloseTo(0.10231326644370123, 14);
    expect(d.flip.pairs).toBe(40);
    expect(d.flip.goldRate).toBe(0.375);
    expect(d.accuracy.low).not.toBeNull();
    expect(await scoreAgrees(out, '200')).toEqual(record.metrics);
  });

  it('baseline:majority with --file train=<path> and no host: the same metrics', async () => {
    const out = join(dir, 'majority-file.json');
    const offline = { PLURALSCOPE_CACHE: join(dir, 'cache-offline'), PLURALSCOPE_GITHUB_RAW_HOST: 'http://127.0.0.1:9' };
    const run = await runCli(
      ['run', '--suite', 'dvmap', '--data', testParquet, '--file', `train=${trainParquet}`, '--model', 'baseline:majority', '--out', out, '--resamples', '200'],
      offline,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/counts 350 training rows from train\.parquet/);
    const reference = readRecord(join(dir, 'majority.json'));
    expect(readRecord(out).metrics).toEqual(reference.metrics);
  });

  it('baseline:majority on cross-value (from the repository): N/A for every item, reported, not crashed', async () => {
    const out = join(dir, 'majority-cv.json');
    const run = await runCli(['run', '--suite', 'dvmap', '--opt', 'split=cross-value', '--model', 'baseline:majority', '--out', out, '--resamples', '50'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Accuracy\s+N\/A/);
    const record = readRecord(out);
    expect(record.suite.data.source).toBe('github:EnlightenedAI/DVMap');
    expect(record.items.every((i) => i.distribution === null)).toBe(true);
    expect(detailsOf(record).excluded).toBe(45);
    expect(await scoreAgrees(out, '50')).toEqual(record.metrics);
  });

  it('baseline:uniform: every argmax is the first option', async () => {
    const out = join(dir, 'uniform.json');
    const run = await runCli(['run', '--suite', 'dvmap', '--data', testParquet, '--model', 'baseline:uniform', '--out', out, '--resamples', '100'], env);
    expect(run.code, run.stderr).toBe(0);
    const record = readRecord(out);
    const d = detailsOf(record);
    expect(d.questions.every((q) => q.predicted[0] === q.n)).toBe(true);
    expect(d.flip.rate.value).toBe(0); // the same answer on both sides of every pair
    expect(await scoreAgrees(out, '100')).toEqual(record.metrics);
  });

  it('synthetic:tiny --limit 10 with the direct prompt (likelihood, profile as system message)', async () => {
    const out = join(dir, 'tiny.json');
    const run = await runCli(['run', '--suite', 'dvmap', '--data', testParquet, '--model', 'synthetic:tiny', '--limit', '10', '--out', out, '--resamples', '100'], env);
    expect(run.code, run.stderr).toBe(0);
    const record = readRecord(out);
    expect(record.items).toHaveLength(10);
    expect(record.scoring.mode).toBe('likelihood');
    expect(record.scoring.template.id).toBe('dvmap/direct');
    for (const item of record.items) expect(item.distribution!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(detailsOf(record).scored).toBe(10);
    expect(await scoreAgrees(out, '100')).toEqual(record.metrics);
  });

  it('synthetic:tiny with the release\'s reasoning prompt: generation, the release\'s answer rule, unparsable answers counted', async () => {
    const out = join(dir, 'tiny-reasoning.json');
    const run = await runCli(
      ['run', '--suite', 'dvmap', '--opt', 'split=cross-demographic', '--opt', 'prompt=reasoning', '--model', 'synthetic:tiny', '--limit', '4', '--max-new-tokens', '4', '--out', out, '--resamples', '20'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const record = readRecord(out);
    expect(record.scoring.mode).toBe('generate');
    expect(record.scoring.parser).toMatch(/^dvmap-release/);
    expect(record.scoring.maxNewTokens).toBe(4);
    expect(record.scoring.template.system).toMatch(/^\nRespond in the following format:/);
    expect(record.scoring.template.id).toBe('dvmap/release-reasoning');
    const d = detailsOf(record);
    // An item whose generated text has no readable <answer> tag is unanswered: accuracy counts it
    // wrong over all 4 items (the release's rule), and nothing is excluded.
    expect([d.scored + d.unanswered, d.excluded]).toEqual([4, 0]);
    expect(d.unanswered).toBe(record.items.filter((i) => i.distribution === null).length);
    const hits = record.items.filter((i) => i.distribution && i.distribution.indexOf(Math.max(...i.distribution)) === (i.refs as { gold: number }).gold).length;
    expect(d.accuracy.value).toBe(hits / 4);
    expect(d.invalidAnswers).toBe(record.items.reduce((s, i) => s + (i.invalid ?? 0), 0));
    expect(await scoreAgrees(out, '20')).toEqual(record.metrics);
  });

  it.concurrent.each([
    [['run', '--suite', 'dvmap', '--model', 'baseline:uniform', '--opt', 'split=train'], /split must be one of test, dev, cross-demographic, cross-country, cross-value/],
    [['run', '--suite', 'dvmap', '--model', 'baseline:uniform', '--data', `${FIXTURES}/fair-pp/test.parquet`], /test\.parquet is missing columns "Q_id"/],
    [
      ['run', '--suite', 'dvmap', '--model', 'baseline:majority', '--data', testParquet],
      /baseline:majority needs the DVMap corpus train split, which could not be read .*--file train=/,
    ],
  ])('fails clearly: %j', async (args, message) => {
    const r = await runCli(args as string[], { PLURALSCOPE_CACHE: join(dir, 'cache-fail'), PLURALSCOPE_GITHUB_RAW_HOST: 'http://127.0.0.1:9' });
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
