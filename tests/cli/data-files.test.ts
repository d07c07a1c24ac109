/** A --data file that cannot be a table (too large to decode, or binary) is named with a clear message, no stack trace. */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-data-files-'));
const env = { PLURALSCOPE_CACHE: join(dir, 'cache') };

function file(name: string, bytes: Uint8Array | string, size?: number): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  // Sparse: the file's length without its blocks on disk.
  if (size !== undefined) truncateSync(path, size);
  return path;
}

const run = (data: string) => runCli(['run', '--suite', 'fair-pp', '--data', data, '--model', 'baseline:uniform', '--resamples', '0'], env);

describe('--data that is not a readable table', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a CSV over 512 MB: its size and what to do instead', async () => {
    const big = file('big.csv', 'question,answer\n', 600 * 2 ** 20);
    const r = await run(big);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/big\.csv is 600 MB: a CSV file over 512 MB cannot be read whole; convert it to Parquet/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  test.each([
    ['a zip archive', 'data.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x61, 0x22, 0x0a])],
    ['a PNG image', 'picture.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x22, 0x0a])],
    ['binary data \\(it holds NUL bytes', 'model.onnx', new Uint8Array([0x08, 0x07, 0x12, 0x00, 0x22, 0x0a, 0x2c, 0x0a])],
  ])('%s: "not a table file" with the accepted formats', async (what, name, bytes) => {
    const r = await run(file(name, bytes));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${name.replace('.', '\\.')} is not a table file \\(CSV, JSON, JSONL, Parquet or Arrow\\): it is ${what}`));
    expect(r.stderr).not.toMatch(/CSV error|\n\s+at /);
  }, 30_000);
});
