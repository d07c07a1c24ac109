/** An output never replaces one of the command's inputs (--data, --anchors, --file). */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-out-in-'));
const env = { PLURALSCOPE_CACHE: join(dir, 'cache') };

function copy(source: string, name: string): string {
  const path = join(dir, name);
  copyFileSync(source, path);
  return path;
}

describe('--out that is an input', () => {
  const fairPp = copy(`${FIXTURES}/fair-pp/test.csv`, 'fair-pp.csv');
  const wvs = copy(`${FIXTURES}/wvs/wvs7-fixture.csv`, 'wvs.csv');
  // The same file spelled another way still counts.
  const fairPpOtherSpelling = join(dir, '.', 'sub', '..', 'fair-pp.csv');

  test.each([
    ['run --data', ['run', '--suite', 'fair-pp', '--data', fairPp, '--model', 'baseline:uniform', '--out', fairPpOtherSpelling], fairPp, /--out: .* is the file given with --data/],
    [
      'run --file',
      ['run', '--suite', 'dvmap', '--data', `${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus/dev.parquet`, '--model', 'baseline:uniform', '--file', `train=${fairPp}`, '--out', fairPp],
      fairPp,
      /is the file given with --file train=/,
    ],
    ['corpus --data', ['corpus', '--data', wvs, '--country', 'SGP', '--out', wvs], wvs, /--out: .* is the file given with --data/],
    [
      'bundle --data',
      ['bundle', '--suite', 'fair-pp', '--target', 'S1', '--method', 'sft', '--base-model', 'org/name', '--data', fairPp, '--out', fairPp],
      fairPp,
      /--out: .* is the file given with --data/,
    ],
  ])('%s: refused, the input unchanged', async (_, args, input, message) => {
    const before = readFileSync(input);
    const r = await runCli(args, env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(input).equals(before)).toBe(true);
  }, 30_000);
});
