import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { itemsCsv, recordJson } from '../../src/app/lib/export.ts';
import type { RunRecord } from '../../src/core/record/schema.ts';

const record = {
  id: 'run-1',
  suite: { id: 'fair-pp', data: { licence: 'CC-BY-NC-SA-4.0', citation: 'Fair-PP, arXiv:2505.11861' } },
  model: { ref: 'synthetic:tiny' },
  scoring: { mode: 'likelihood' },
  items: [
    { id: 'q1', question: 'Which is fairer, "A" or B?\nA. Merit', meta: { dimension: 1 }, refs: { target: [0.2, 0.8] }, options: ['Merit', 'Equality', 'N/A'], distribution: [0.5, 0.25, 0.25], labelMass: 0.9 },
    { id: 'q2', question: 'Who pays?', meta: { topic: 'tax', question: 'Q2' }, refs: { populationMode: 1 }, options: ['State', 'Families'], distribution: null, invalid: 1, raw: ['no idea'] },
  ],
} as unknown as RunRecord;

describe('items CSV', () => {
  it('has its header on the first line and one row per question, with the licence and citation in each', async () => {
    const text = await itemsCsv(record);
    expect(text.split('\n')[0]).toMatch(/^id,question,/);
    const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(2);
    expect(parsed.data[0]).toMatchObject({ id: 'q1', question: 'Which is fairer, "A" or B?\nA. Merit', 'meta.dimension': '1', 'meta.topic': '', option_3: 'N/A', p_1: '0.5', label_mass: '0.9' });
    expect(parsed.data[1]).toMatchObject({ id: 'q2', question: 'Who pays?', 'meta.question': 'Q2', 'meta.topic': 'tax', option_3: '', p_1: '', invalid: '1', raw: 'no idea' });
    // Every option and probability column, by position: the answered item's [.5, .25, .25]; the
    // unanswered one (two options, no distribution) blank.
    expect(parsed.meta.fields!.filter((f) => /^(option|p)_/.test(f))).toEqual(['option_1', 'p_1', 'option_2', 'p_2', 'option_3', 'p_3']);
    const columns = (row: Record<string, string>) => ['option_1', 'p_1', 'option_2', 'p_2', 'option_3', 'p_3'].map((f) => row[f]);
    expect(columns(parsed.data[0]!)).toEqual(['Merit', '0.5', 'Equality', '0.25', 'N/A', '0.25']);
    expect(columns(parsed.data[1]!)).toEqual(['State', '', 'Families', '', '', '']);
    // What each item is scored against, to recompute its score from the file.
    expect(JSON.parse(parsed.data[0]!.refs!)).toEqual({ target: [0.2, 0.8] });
    expect(JSON.parse(parsed.data[1]!.refs!)).toEqual({ populationMode: 1 });
    for (const row of parsed.data) {
      expect(row).toMatchObject({ run_id: 'run-1', suite: 'fair-pp', model: 'synthetic:tiny', data_licence: 'CC-BY-NC-SA-4.0', data_citation: 'Fair-PP, arXiv:2505.11861' });
    }
  });
});

describe('record JSON', () => {
  it('carries the run\'s notes on the data as note events', () => {
    const withEvents = { ...record, createdAt: '2026-01-01T00:00:00Z', events: [] } as unknown as RunRecord;
    const out = JSON.parse(recordJson(withEvents, ['Singapore: 2012 respondents', 'respondents are unweighted'])) as RunRecord;
    expect(out.events.filter((e) => e.kind === 'note').map((e) => e.message)).toEqual(['Singapore: 2012 respondents', 'respondents are unweighted']);
  });
});
