import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';

describe('pluralscope corpus', () => {
  it('rebuilds a DVMap-style corpus from WVS microdata, which the dvmap suite then reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    const env = { PLURALSCOPE_CACHE: join(dir, 'cache') };
    const out = join(dir, 'corpus.csv');
    const r = await runCli(['corpus', '--data', `${FIXTURES}/wvs/wvs7-fixture.csv`, '--country', 'SGP', '--questions', 'Q1,Q2,Q6,Q46', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/rows for SGP \(4 questions, 1500 respondents/);
    expect(r.stdout).toMatch(/of samples share a profile; the consensus filter removed/);
    const header = readFileSync(out, 'utf8').split('\n')[0]!;
    expect(header).toBe('Q_id,Country,Gender,Marital Status,Has Children,Education Level,Occupation,Work Nature,Religion,Life Stage,Income Bracket,Common Language,frequency,Category,Question,prompt,Options,answer,data_source');
    const run = await runCli(['run', '--suite', 'dvmap', '--data', out, '--model', 'baseline:uniform', '--limit', '200', '--resamples', '0'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Accuracy/);
  });

  it.each([
    [['--out', join('no-such-folder', 'c.csv')], /--out: no folder .*no-such-folder to write/],
    [['--out', 'never.csv', '--file', `codebok=${FIXTURES}/wvs/wvs7-fixture.csv`], /--file codebok=: corpus takes codebook=, metadata=/],
  ])('refuses clearly, exit 2: %j', async (extra, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-refused-'));
    const out = extra.map((a, i) => (extra[i - 1] === '--out' ? join(dir, a) : a));
    const r = await runCli(['corpus', '--data', `${FIXTURES}/wvs/wvs7-fixture.csv`, '--country', 'SGP', ...out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/ENOENT|\n\s+at /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a file that is not WVS-shaped', async () => {
    const r = await runCli(['corpus', '--data', `${FIXTURES}/fair-pp/test.csv`, '--country', 'SGP', '--out', join(tmpdir(), 'never.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/B_COUNTRY_ALPHA|WVS/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
