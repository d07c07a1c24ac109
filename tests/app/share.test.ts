import { describe, expect, it } from 'vitest';
import { decodeSummary, encodeSummary, summarize } from '../../src/app/lib/share.ts';
import type { RunRecord } from '../../src/core/record/schema.ts';
import { fixtureRunRecord } from '../fuzz/fixtures.ts';

describe('share link summaries', () => {
  it('carry the suite options (what the numbers are of) and each headline note, and nothing empty', async () => {
    const record: RunRecord = await fixtureRunRecord();
    record.suite.options = { country: 'SGP', keep: 'ethnicity=702001|702002', split: 'ood', questions: '', minCount: 30 };
    record.metrics = { suite: record.suite.id, headline: [{ key: 'a', label: 'Accuracy', value: 0.5, low: 0.4, high: 0.6, note: 'uniform 0.33' }], details: {} };
    const s = summarize(record);
    expect(s.options).toEqual({ country: 'SGP', keep: 'ethnicity=702001|702002', split: 'ood', minCount: 30 });
    expect(s.headline).toEqual([{ label: 'Accuracy', value: 0.5, low: 0.4, high: 0.6, note: 'uniform 0.33' }]);
    expect(decodeSummary(encodeSummary(s))).toEqual(s);
  });

  it('still read links made before options and notes were added, and refuse malformed options', async () => {
    const { options: _none, ...older } = summarize(await fixtureRunRecord());
    expect(decodeSummary(encodeSummary(older as ReturnType<typeof summarize>)).options).toBeUndefined();
    const bad = { ...older, options: { country: { nested: true } } };
    expect(() => decodeSummary(encodeSummary(bad as unknown as ReturnType<typeof summarize>))).toThrow('This share link\'s summary is malformed: "options" is not a list of settings');
    const badNote = { ...older, headline: [{ label: 'x', value: 1, note: 3 }] };
    expect(() => decodeSummary(encodeSummary(badNote as unknown as ReturnType<typeof summarize>))).toThrow('This share link holds malformed numbers');
  });
});
