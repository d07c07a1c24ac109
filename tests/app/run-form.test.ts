import { describe, expect, it } from 'vitest';
import { inputName, loadRunForm, saveRunForm, startBlockedReason, type RunFormValues } from '../../src/app/lib/run-form.ts';

const none = { refBlank: null, refError: null, optionError: null, missingInput: undefined, memoryProblem: null, deviceError: null };

describe('why the run cannot start', () => {
  it('names the missing file by its short name', () => {
    const wvs = { label: 'Your WVS Wave 7 CSV (from the WVS website, free after registration; streamed, never uploaded)' };
    expect(inputName(wvs)).toBe('your WVS Wave 7 CSV');
    expect(startBlockedReason({ ...none, missingInput: wvs })).toBe('Choose your WVS Wave 7 CSV first.');
  });

  it('gives the other reasons, and none when it can start', () => {
    expect(startBlockedReason({ ...none, refBlank: 'Enter a Hub model id (organisation/name).' })).toBe('Enter a Hub model id (organisation/name).');
    expect(startBlockedReason({ ...none, optionError: 'minCount must be a number' })).toBe('Fix the suite options: minCount must be a number');
    expect(startBlockedReason(none)).toBeNull();
  });
});

describe('last-used form values', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
  };

  it('are kept per suite', () => {
    const store = memory();
    const values = { options: { keep: '', minCount: 30 }, limit: 300, device: 'auto' } as unknown as RunFormValues;
    saveRunForm('wvs-microdata', values, store);
    expect(loadRunForm('wvs-microdata', store)).toEqual(values);
    expect(loadRunForm('fair-pp', store)).toBeNull();
  });

  it('read nothing from unreadable storage', () => {
    expect(loadRunForm('x', { getItem: () => '{not json', setItem: () => {} })).toBeNull();
    expect(loadRunForm('x', null)).toBeNull();
    expect(() => saveRunForm('x', {} as RunFormValues, { getItem: () => null, setItem: () => { throw new Error('full'); } })).not.toThrow();
  });
});
