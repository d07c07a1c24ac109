import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRunRecord } from '../../src/core/record/build.ts';
import { runRecordJsonSchema } from '../../src/core/record/json-schema.ts';
import type { RunRecord } from '../../src/core/record/schema.ts';
import { nonSubstantiveTail } from '../../src/suites/global-opinions/non-substantive.ts';
import type { GlobalOpinionsDetails } from '../../src/suites/global-opinions/score.ts';
import { runCli } from '../helpers/cli.ts';
import { FIXTURES, startDatasetHost } from '../helpers/fixture-hosts.ts';
import type { FixtureServer } from '../helpers/fixture-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-goqa-'));
const csv = `${FIXTURES}/global-opinions/data/global_opinions.csv`;

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateSchema = ajv.compile(runRecordJsonSchema());

function readRecord(path: string): RunRecord {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  expect(validateSchema(json), JSON.stringify(validateSchema.errors)).toBe(true);
  return validateRunRecord(json);
}
const detailsOf = (record: RunRecord) => (record.metrics as { details: GlobalOpinionsDetails }).details;

describe('pluralscope run --suite global-opinions, end to end', () => {
  let host: FixtureServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    host = await startDatasetHost();
    env = { PLURALSCOPE_CACHE: join(dir, 'cache'), PLURALSCOPE_HUB_HOST: host.url };
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

  it('baseline:uniform from the Hub layout: the world table, skipped rows noted, `score` reproduces it', async () => {
    const out = join(dir, 'uniform.json');
    const run = await runCli(['run', '--suite', 'global-opinions', '--model', 'baseline:uniform', '--out', out, '--resamples', '200'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/1 row\(s\) with an empty question skipped/);
    expect(run.stdout).toMatch(/Most similar country: /);
    expect(run.stdout).toMatch(/Mean similarity over 12 countries/);
    const record = readRecord(out);
    expect(record.items).toHaveLength(27);
    expect(record.suite.data.source).toBe('hf:Anthropic/llm_global_opinions');
    expect(record.suite.data.licence).toMatch(/CC-BY-NC-SA/);
    const d = detailsOf(record);
    expect(d.countries).toHaveLength(12);
    for (const c of d.countries) expect(c.similarity).toBe(c.uniform);
    expect(await scoreAgrees(out, '200')).toEqual(record.metrics);
  });

  it('synthetic:tiny on a local file, likelihood over the letters', async () => {
    const out = join(dir, 'tiny.json');
    const run = await runCli(['run', '--suite', 'global-opinions', '--data', csv, '--model', 'synthetic:tiny', '--out', out, '--resamples', '100'], env);
    expect(run.code, run.stderr).toBe(0);
    const record = readRecord(out);
    expect(record.suite.data.source).toBe('file:global_opinions.csv');
    expect(record.scoring.mode).toBe('likelihood');
    expect(record.items.every((i) => Math.abs(i.distribution!.reduce((a, b) => a + b, 0) - 1) < 1e-9)).toBe(true);
    expect(await scoreAgrees(out, '100')).toEqual(record.metrics);
  });

  it('synthetic:tiny with persona=CIV and cyclic order: the country\'s rank, non-substantive options never rotated', async () => {
    const out = join(dir, 'persona.json');
    const run = await runCli(
      ['run', '--suite', 'global-opinions', '--data', csv, '--opt', 'persona=CIV', '--order', 'cyclic', '--model', 'synthetic:tiny', '--limit', '6', '--out', out, '--resamples', '50'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Rank of Côte d'Ivoire \(persona\)/);
    const record = readRecord(out);
    expect(record.items).toHaveLength(6);
    expect(record.items.every((i) => i.id.endsWith('~CIV'))).toBe(true);
    // One rotation per substantive option: the non-substantive tail is never rotated.
    for (const item of record.items) expect(item.rotations).toHaveLength(item.options.length - nonSubstantiveTail(item.options));
    expect(record.items.some((i) => nonSubstantiveTail(i.options) > 0)).toBe(true);
    const d = detailsOf(record);
    expect(d.persona!.iso3).toBe('CIV');
    expect(d.persona!.rank).toBeGreaterThanOrEqual(1);
    expect(d.positionBias).not.toBeNull();
    expect(await scoreAgrees(out, '50')).toEqual(record.metrics);
  });

  it.concurrent.each([
    [['run', '--suite', 'global-opinions', '--data', csv, '--model', 'baseline:uniform', '--opt', 'persona=Atlantis'], /unknown country "Atlantis"/],
    [['run', '--suite', 'global-opinions', '--data', `${FIXTURES}/fair-pp/test.csv`, '--model', 'baseline:uniform'], /test\.csv is missing columns "question", "selections", "options", "source"/],
  ])('fails clearly: %j', async (args, message) => {
    const r = await runCli(args as string[], env);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
