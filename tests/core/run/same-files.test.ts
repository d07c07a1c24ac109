import { describe, expect, it } from 'vitest';
import { assertDataFileGiven, assertSameFiles, isLocalFile } from '../../../src/core/run/same-files.ts';

describe('assertSameFiles', () => {
  const recorded = [
    { path: 'wvs.csv', sha256: 'a'.repeat(64), bytes: 10 },
    { path: 'codebook.json', sha256: 'b'.repeat(64), bytes: 3 },
    { path: 'https://huggingface.co/x.parquet', sha256: 'c'.repeat(64) },
  ];

  it('accepts the same files again, under any name, and ignores downloaded files', () => {
    expect(() => assertSameFiles(recorded, [{ path: 'renamed.csv', sha256: 'a'.repeat(64) }, { path: 'codebook.json', sha256: 'b'.repeat(64) }])).not.toThrow();
  });

  it('refuses a different file with its name and both hashes', () => {
    expect(() => assertSameFiles(recorded, [{ path: 'other.csv', sha256: 'd'.repeat(64) }, { path: 'codebook.json', sha256: 'b'.repeat(64) }])).toThrow(
      /other\.csv is not the file this run used: wvs\.csv had SHA-256 aaaaaaaaaaaa…, the file given has dddddddddddd….*answers saved so far are kept/,
    );
  });

  it('says which file is missing', () => {
    expect(() => assertSameFiles(recorded, [{ path: 'wvs.csv', sha256: 'a'.repeat(64) }])).toThrow(/this run used codebook\.json, which was not given again/);
  });

  it('checks the size where no hash was recorded', () => {
    expect(() => assertSameFiles([{ path: 'f.csv', bytes: 5 }], [{ path: 'f.csv', bytes: 5 }])).not.toThrow();
    expect(() => assertSameFiles([{ path: 'f.csv', bytes: 5 }], [{ path: 'f.csv', bytes: 6 }])).toThrow(/different size/);
  });

  it('refuses to resume a run from a picked file without it (instead of reading other data)', () => {
    expect(() => assertDataFileGiven('file:test.parquet', false)).toThrow(/this run read its data from test\.parquet, a file on your device .*choose it again to resume/);
    expect(() => assertDataFileGiven('file:test.parquet', true)).not.toThrow();
    expect(() => assertDataFileGiven('hf:tools-o/Fair-PP', false)).not.toThrow();
  });

  it('tells local files from downloads', () => {
    expect(isLocalFile({ path: 'my file.csv' })).toBe(true);
    expect(isLocalFile({ path: 'https://raw.githubusercontent.com/a/b' })).toBe(false);
  });
});
