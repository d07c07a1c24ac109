import { describe, expect, it } from 'vitest';
import { missingResumeFile, resumeFiles } from '../../src/app/lib/resume-files.ts';
import type { RunHeader } from '../../src/browser/run-store.ts';

const header = (data: Partial<RunHeader['suite']['data']>, inputFiles?: Record<string, string>) =>
  ({ suite: { data: { source: 'hf:x', files: [], licence: '', citation: '', ...data } }, ...(inputFiles ? { inputFiles } : {}) }) as unknown as RunHeader;

describe('resumeFiles', () => {
  it('asks for nothing when the data was downloaded', () => {
    expect(resumeFiles(header({ source: 'hf:tools-o/Fair-PP', files: [{ path: 'https://huggingface.co/a.parquet', sha256: 'x' }] }))).toEqual([]);
  });

  it('asks for the data file of an older run (no roles recorded), with its hash', () => {
    expect(resumeFiles(header({ source: 'file:wvs.csv', files: [{ path: 'wvs.csv', sha256: 'abc', bytes: 3 }] }))).toEqual([{ role: 'data', name: 'wvs.csv', sha256: 'abc' }]);
  });

  it('asks for every file picked, data first, by role', () => {
    const h = header(
      { source: 'file:wvs.csv', files: [{ path: 'wvs.csv' }, { path: 'meta.json', sha256: 'm' }, { path: 'codes.csv', sha256: 'c' }] },
      { metadata: 'meta.json', data: 'wvs.csv', codebook: 'codes.csv' },
    );
    expect(resumeFiles(h)).toEqual([
      { role: 'data', name: 'wvs.csv' },
      { role: 'codebook', name: 'codes.csv', sha256: 'c' },
      { role: 'metadata', name: 'meta.json', sha256: 'm' },
    ]);
  });

  it('says which file is still missing', () => {
    const needed = [{ role: 'data', name: 'wvs.csv' }, { role: 'codebook', name: 'codes.csv' }];
    expect(missingResumeFile(needed, {})).toBe('Choose wvs.csv again to resume');
    expect(missingResumeFile(needed, { data: new File(['x'], 'wvs.csv') })).toBe('Choose codes.csv again to resume');
    expect(missingResumeFile(needed, { data: new File(['x'], 'a'), codebook: new File(['y'], 'b') })).toBeNull();
  });
});
