import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { validateRunRecord } from '../../src/core/record/build.ts';
import { runRecordJsonSchema } from '../../src/core/record/json-schema.ts';
import type { RunRecord } from '../../src/core/record/schema.ts';
import type { WvsItemRefs } from '../../src/suites/wvs-microdata/items.ts';
import type { WvsMicrodataDetails } from '../../src/suites/wvs-microdata/score.ts';
import { runCli } from '../helpers/cli.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';
import { CODEBOOK_JSON, EXPECTED, Q57_METADATA_JSON, WVS_FIXTURE } from '../suites/wvs-microdata/fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-wvs-'));
const env = { PLURALSCOPE_CACHE: join(dir, 'cache') };
const codebook = join(dir, 'codebook.json');
const metadata = join(dir, 'metadata.json');
writeFileSync(codebook, CODEBOOK_JSON);
writeFileSync(metadata, Q57_METADATA_JSON);

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateSchema = ajv.compile(runRecordJsonSchema());

function readRecord(path: string): RunRecord {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  expect(validateSchema(json), JSON.stringify(validateSchema.errors)).toBe(true);
  return validateRunRecord(json);
}

const details = (r: RunRecord) => (r.metrics as { details: WvsMicrodataDetails }).details;
const refs = (r: RunRecord) => r.items.map((i) => i.refs as unknown as WvsItemRefs);

/** (subgroup, question) pairs of the OOD strata in the Python reference, for the given questions. */
function expectedOodPairs(questions: (q: string) => boolean): number {
  return Object.values(EXPECTED.strata)
    .filter((s) => s.split === 'ood')
    .reduce((a, s) => a + Object.entries(s.questions).filter(([q]) => questions(q)).reduce((b, [, e]) => b + Object.keys(e.subgroups).length, 0), 0);
}

async function scoreAgrees(out: string, resamples: string) {
  const record = readRecord(out);
  const score = await runCli(['score', out, '--json', '--resamples', resamples], env);
  expect(score.code, score.stderr).toBe(0);
  expect(JSON.parse(score.stdout)).toEqual(record.metrics);
  expect(score.stderr).toMatch(/agree/);
}

describe('pluralscope run --suite wvs-microdata, end to end', () => {
  it('is listed, with its options', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.stdout).toMatch(/wvs-microdata\s+WVS-7 subgroups/);
    const suiteHelp = await runCli(['run', '--suite', 'wvs-microdata', '--help']);
    expect(suiteHelp.stdout).toMatch(/--opt split=<ood\|train\|all>/);
    expect(suiteHelp.stdout).toMatch(/--opt minCount=<number>/);
  });

  it('baseline:majority: the OOD items of the reference, each predicted at the country\'s modal answer; `score` reproduces', async () => {
    const out = join(dir, 'majority.json');
    const run = await runCli(['run', '--suite', 'wvs-microdata', '--data', WVS_FIXTURE, '--country', 'SGP', '--model', 'baseline:majority', '--out', out, '--resamples', '200'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Accuracy \(subgroup modal answer\)/);
    expect(run.stderr).toMatch(/Singapore \(SGP\): 1500 respondents of 2000 rows/);
    expect(run.stderr).toMatch(/no codebook labels for Q290/);
    expect(run.stderr).toContain('note: 1 answer column has no metadata and is not used: Q57 (add it with a question metadata file)');
    const record = readRecord(out);
    expect(record.suite.options).toMatchObject({ country: 'SGP', split: 'ood', minCount: 30 });
    expect(record.suite.data.source).toBe('file:wvs7-fixture.csv');
    expect(record.suite.data.files[0]).toMatchObject({ path: 'wvs7-fixture.csv', bytes: readFileSync(WVS_FIXTURE).byteLength });
    expect(record.suite.data.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Without metadata for Q57, every other question of the reference is used.
    expect(record.items).toHaveLength(expectedOodPairs((q) => q !== 'Q57'));
    expect(new Set(record.items.map((i) => i.meta.stratum))).toEqual(new Set(['age_group x religion', 'age_group x ethnicity', 'ethnicity x religion']));
    for (const [i, r] of refs(record).entries()) expect(record.items[i]!.distribution).toEqual(record.items[i]!.options.map((_, j) => (j === r.populationMode ? 1 : 0)));
    const d = details(record);
    const hits = refs(record).filter((r) => r.populationMode === r.mode).length;
    expect(d.overall.accuracy).toBeCloseTo(hits / record.items.length, 15);
    expect(d.overall.accuracy).toBe(d.reference.majority.accuracy);
    expect(d.subgroups).toHaveLength(9 + 20 + 9);
    expect(d.spread.accuracy.normalizedRangeInterval).not.toBeNull();
    await scoreAgrees(out, '200');
  });

  it('baseline:uniform: the argmax of a uniform distribution is the first option', async () => {
    const out = join(dir, 'uniform.json');
    const run = await runCli(['run', '--suite', 'wvs-microdata', '--data', WVS_FIXTURE, '--country', 'SGP', '--model', 'baseline:uniform', '--out', out, '--resamples', '100'], env);
    expect(run.code, run.stderr).toBe(0);
    const record = readRecord(out);
    const d = details(record);
    expect(d.overall.accuracy).toBeCloseTo(refs(record).filter((r) => r.mode === 0).length / record.items.length, 15);
    expect(d.overall.expectedAccuracy).toBeCloseTo(d.reference.uniform.expectedAccuracy!, 12);
    expect(d.overall.expectedNmae).toBeCloseTo(d.reference.uniform.expectedNmae!, 12);
    await scoreAgrees(out, '100');
  });

  it('synthetic:tiny on 20 stratified items, with a codebook and metadata for Q57', async () => {
    const out = join(dir, 'tiny.json');
    const run = await runCli(
      [
        'run', '--suite', 'wvs-microdata', '--data', WVS_FIXTURE, '--country', 'SGP', '--model', 'synthetic:tiny', '--limit', '20',
        '--file', `codebook=${codebook}`, '--file', `metadata=${metadata}`, '--out', out, '--resamples', '100',
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/no codebook labels/);
    const record = readRecord(out);
    expect(record.items).toHaveLength(20);
    expect(record.sample.total).toBe(20);
    expect(new Set(record.items.map((i) => i.meta.stratum)).size).toBe(3);
    for (const item of record.items) expect(item.distribution!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(record.suite.data.files.map((f) => f.path)).toEqual(['wvs7-fixture.csv', 'codebook.json', 'metadata.json']);
    await scoreAgrees(out, '100');
  });

  it('the codebook names the groups, metadata adds Q57, and personas read naturally', async () => {
    const out = join(dir, 'q57.json');
    const run = await runCli(
      [
        'run', '--suite', 'wvs-microdata', '--data', WVS_FIXTURE, '--country', 'Singapore', '--model', 'baseline:majority', '--opt', 'questions=Q57,Q6', '--opt', 'split=all',
        '--file', `codebook=${codebook}`, '--file', `metadata=${metadata}`, '--out', out, '--resamples', '0',
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const record = readRecord(out);
    const total = Object.values(EXPECTED.strata).reduce((a, s) => a + Object.keys(s.questions.Q57!.subgroups).length + Object.keys(s.questions.Q6!.subgroups).length, 0);
    expect(record.items).toHaveLength(total);
    const tie = record.items.find((i) => i.meta.stratum === 'ethnicity' && i.meta.subgroup === 'Indian' && i.meta.question === 'Q57')!;
    expect(tie.refs).toMatchObject({ mode: 0, modeCode: 1, tie: true, ties: [0, 1], distribution: [0.5, 0.5], n: 162, k: 2, ordinal: false });
    const persona = record.items.find((i) => i.meta.subgroup === 'female | Malay')!;
    expect(persona.meta).toMatchObject({ sex: 'female', ethnicity: 'Malay', age_group: null, religion: null, split: 'train' });
    const d = details(record);
    expect(d.tiedGold).toBe(Object.values(EXPECTED.strata).reduce((a, s) => a + s.questions.Q57!.ties + s.questions.Q6!.ties, 0));
    expect(d.questions.find((q) => q.question === 'Q57')!.nmae).toBeNull();
    // MDS of the data for Q6 per stratum equals the reference.
    const q6 = d.questions.find((q) => q.question === 'Q6')!.mds;
    // One MDS per stratum of the reference (its 10 strata), so the loop below checks them all.
    expect(q6.map((m) => m.stratum).sort()).toEqual(Object.keys(EXPECTED.strata).sort());
    expect(q6).toHaveLength(10);
    for (const m of q6) expect(m.data, m.stratum).toBeCloseTo(EXPECTED.strata[m.stratum]!.questions.Q6!.mds, 12);
  });

  it('--opt keep=ethnicity=Chinese|Malay|Indian: the paper\'s three groups, recorded in the options and the notes', async () => {
    const out = join(dir, 'keep.json');
    const args = ['run', '--suite', 'wvs-microdata', '--data', WVS_FIXTURE, '--country', 'SGP', '--model', 'baseline:majority', '--file', `codebook=${codebook}`, '--out', out, '--resamples', '0'];
    const run = await runCli([...args, '--opt', 'keep=ethnicity=Chinese|Malay|Indian', '--opt', 'minCount=5'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ethnicity: only Chinese, Malay, Indian kept \(keep option\); 26 respondents of other groups are in no ethnicity subgroup/);
    const record = readRecord(out);
    expect(record.suite.options).toMatchObject({ keep: 'ethnicity=Chinese|Malay|Indian', minCount: 5 });
    const ethnicities = new Set(record.items.filter((i) => String(i.meta.stratum).includes('ethnicity')).map((i) => i.meta.ethnicity));
    expect([...ethnicities].sort()).toEqual(['Chinese', 'Indian', 'Malay']);
    await scoreAgrees(out, '0');
  });

  it.each([
    [['--data', WVS_FIXTURE, '--opt', 'keep=ethnicity=Eurasian'], /keep: ethnicity has no group "Eurasian" among these respondents; its groups: ethnic group 702001 \(702001\)/],
    [['--data', WVS_FIXTURE, '--opt', 'keep=income=High'], /keep: income is not among the strata \(sex, age_group, ethnicity, religion\)/],
    [['--data', `${FIXTURES}/fair-pp/test.csv`], /is not WVS Wave 7 respondent data.*no B_COUNTRY_ALPHA \(country, ISO alpha-3\), Q260 \(sex\), Q262 \(age\) and answer columns/],
    [['--data', WVS_FIXTURE, '--country', 'FRA'], /has no respondents from FRA \(France\); it has 3 countries: SGP \(1500\), MYS \(300\), GBR \(200\)/],
    [['--data', WVS_FIXTURE, '--country', 'Atlantis'], /Atlantis/],
    [['--data', WVS_FIXTURE, '--opt', 'split=test'], /split must be one of ood, train, all/],
    [['--data', WVS_FIXTURE, '--opt', 'strata=sex,caste'], /unknown strata attribute "caste"/],
    [['--data', WVS_FIXTURE, '--opt', 'strata=sex,religion'], /the ood split needs at least three strata attributes/],
    [['--data', WVS_FIXTURE, '--opt', 'questions=Q57'], /no metadata \(question text and options\) for Q57/],
    [['--data', WVS_FIXTURE, '--opt', 'questions=Q8'], /has no column for Q8/],
    [['--data', WVS_FIXTURE, '--opt', 'minCount=2000'], /no \(subgroup, question\) pair of the ood split has 2000 respondents/],
    [[], /needs your copy of the WVS Wave 7 respondent file/],
  ])('fails clearly: %j', async (args, message) => {
    const r = await runCli(['run', '--suite', 'wvs-microdata', '--model', 'baseline:majority', '--resamples', '0', ...(args as string[])], env);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
