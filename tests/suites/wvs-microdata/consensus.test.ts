import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { EMPTY_CODEBOOK } from '../../../src/sources/wvs/codebook.ts';
import { microdataFromRows } from '../../../src/sources/wvs/microdata.ts';
import { SHIPPED_QUESTION_SPECS } from '../../../src/sources/wvs/user-metadata.ts';
import {
  buildConsensusCorpus,
  corpusRowsToCsv,
  DVMAP_CORPUS_COLUMNS,
  DVMAP_PROFILE_VARIABLES,
  profileValue,
} from '../../../src/suites/wvs-microdata/consensus.ts';
import { dvmapCorpusFromFile } from '../../../src/suites/wvs-microdata/corpus-file.ts';
import { fixtureFile } from './fixture.ts';

const base = { B_COUNTRY_ALPHA: 'GBR', Q260: 2, Q262: 40, Q272: 1400, Q273: 1, Q274: 2, Q275: 6, Q279: 1, Q284: 2, Q288: 5, Q289: 0 };
// Profiles: P1 = r0, r1; P2 = r2, r3 (single, not married); P3 = r4 (occupation "other", no sector); P4 = r5 (r4 without an age).
const ROWS = [
  { ...base, Q1: 1, Q49: 2 },
  { ...base, Q1: 1, Q49: 3 },
  { ...base, Q273: 6, Q1: 1, Q49: 9 },
  { ...base, Q273: 6, Q1: 2, Q49: -1 },
  { ...base, Q279: 8, Q284: -3, Q1: -2, Q49: 10 },
  { ...base, Q279: 8, Q284: -3, Q262: -1, Q1: 4, Q49: 5 },
];
const data = microdataFromRows(ROWS, [...DVMAP_PROFILE_VARIABLES, 'Q1', 'Q49']);
const questions = SHIPPED_QUESTION_SPECS.filter((q) => q.code === 'Q1' || q.code === 'Q49');

describe('DVMap-style high-consensus filter', () => {
  it('keeps a (profile, question) pair only when its answers agree (H = 0), and counts shared and removed samples', () => {
    const { rows, stats } = buildConsensusCorpus({ data, questions, codebook: EMPTY_CODEBOOK });
    expect(stats).toMatchObject({ respondents: 6, profiles: 4, sharedProfiles: 2, respondentsInSharedProfiles: 4, samples: 10, sharedSamples: 6, removedSamples: 2, keptPairs: 6, removedPairs: 1 });
    expect(stats.shareShared).toBeCloseTo(0.6, 15);
    expect(stats.shareRemoved).toBeCloseTo(0.2, 15);
    expect(stats.perQuestion).toEqual([
      { question: 'Q1', samples: 5, sharedSamples: 4, removedSamples: 2, keptPairs: 2, removedPairs: 1 },
      { question: 'Q49', samples: 5, sharedSamples: 2, removedSamples: 0, keptPairs: 4, removedPairs: 0 },
    ]);
    expect(rows.map((r) => [r.Q_id, r.answer, r.frequency])).toEqual([
      ['Q1', 'Very important', 2 / 5],
      ['Q1', 'Not at all important', 1 / 5],
      ['Q49', 'Low', 2 / 5],
      ['Q49', 'High', 1 / 5],
      ['Q49', 'High', 1 / 5],
      ['Q49', 'Medium', 1 / 5],
    ]);
  });

  it('judges agreement on the Low/Medium/High bins of 1-10 questions (as DVMap), or on raw codes when asked', () => {
    const raw = buildConsensusCorpus({ data, questions, codebook: EMPTY_CODEBOOK, collapseTenPoint: false });
    const q49 = raw.stats.perQuestion.find((q) => q.question === 'Q49')!;
    expect(q49).toMatchObject({ removedSamples: 2, removedPairs: 1, keptPairs: 3 });
    expect(raw.rows.filter((r) => r.Q_id === 'Q49').map((r) => r.answer)).toEqual(['9', '10: Completely satisfied', '5']);
  });

  it('writes rows in DVMap\'s corpus column layout, with "Not Answered" for missing attributes', () => {
    const { rows } = buildConsensusCorpus({ data, questions, codebook: EMPTY_CODEBOOK });
    for (const row of rows) expect(Object.keys(row)).toEqual([...DVMAP_CORPUS_COLUMNS]);
    const first = rows[0]!;
    expect(first).toMatchObject({
      Country: 'United Kingdom of Great Britain and Northern Ireland',
      Gender: 'Female',
      'Marital Status': 'Married',
      'Has Children': 'has at least one child',
      'Education Level': 'Bachelor or equivalent (ISCED 6)',
      'Work Nature': 'Private business or industry',
      Religion: 'Does not belong to a denomination',
      'Life Stage': 'Middle Adulthood',
      'Income Bracket': 'Middle income',
      'Common Language': '1400',
      Options: 'Very important, Rather important, Not very important, Not at all important',
      data_source: 'wvs',
    });
    expect(first.prompt).toMatch(/- Gender: Female\n/);
    expect(first.prompt).toMatch(/<answer><\/answer>/);
    const last = rows.at(-1)!;
    expect(last).toMatchObject({ Occupation: 'Other (write in):', 'Work Nature': 'Not Answered', 'Life Stage': 'Not Answered', Options: 'Low, Medium, High' });
  });

  it('takes labels from a codebook first', () => {
    expect(profileValue('Common Language', 'Q272', 1400, new Map([['Q272', new Map([[1400, 'English']])]]))).toBe('English');
    expect(profileValue('Common Language', 'Q272', 1400, EMPTY_CODEBOOK)).toBe('1400');
    expect(profileValue('Gender', 'Q260', -2, EMPTY_CODEBOOK)).toBe('Not Answered');
    expect(profileValue('Gender', 'Q260', undefined, EMPTY_CODEBOOK)).toBe('Not Answered');
  });

  it('CSV export round-trips through a CSV parser (prompts hold commas and line breaks)', () => {
    const { rows } = buildConsensusCorpus({ data, questions, codebook: EMPTY_CODEBOOK });
    const parsed = Papa.parse<Record<string, string>>(corpusRowsToCsv(rows), { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual([...DVMAP_CORPUS_COLUMNS]);
    expect(parsed.data).toHaveLength(rows.length);
    parsed.data.forEach((r, i) => {
      expect(r.prompt).toBe(rows[i]!.prompt);
      expect(Number(r.frequency)).toBe(rows[i]!.frequency);
    });
  });

  it('builds a corpus for any country straight from the WVS file', async () => {
    for (const country of ['SGP', 'Malaysia']) {
      const r = await dvmapCorpusFromFile({ file: fixtureFile(), country, questions: 'Q1,Q6,Q46,Q49' });
      expect(r.questions).toEqual(['Q1', 'Q6', 'Q46', 'Q49']);
      expect(r.absentVariables).toEqual([]);
      expect(r.stats.samples).toBe(r.stats.perQuestion.reduce((a, q) => a + q.samples, 0));
      expect(r.rows.length).toBe(r.stats.keptPairs);
      expect(r.stats.shareRemoved!).toBeGreaterThan(0);
      expect(r.stats.shareRemoved!).toBeLessThan(r.stats.shareShared!);
      for (const row of r.rows) expect(row.Options.split(', ')).toContain(row.answer);
      // Every kept pair's samples over all rows of a question add up to the non-removed samples.
      for (const q of r.stats.perQuestion) {
        const total = r.rows.filter((row) => row.Q_id === q.question).reduce((a, row) => a + row.frequency, 0);
        expect(total).toBeCloseTo((q.samples - q.removedSamples) / q.samples, 12);
      }
    }
  });
});
