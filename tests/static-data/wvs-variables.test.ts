/** Integrity of static-data/wvs/variables.json (through its validating loader). */
import { describe, expect, test } from 'vitest';
import variablesJson from '../../static-data/wvs/variables.json';
import { DVMAP_ATTRIBUTES, WVS_DERIVED, WVS_VARIABLES, parseWvsVariableFile, wvsVariable } from '../../src/sources/wvs/variables.ts';

const labels = (code: string): string[] => (wvsVariable(code).codes ?? []).map((c) => c.label);
const labelsAndAliases = (code: string): string[] => (wvsVariable(code).codes ?? []).flatMap((c) => [c.label, ...(c.aliases ?? [])]);

describe('variables.json', () => {
  test('has every respondent variable SPEC 3b names', () => {
    const codes = WVS_VARIABLES.map((v) => v.code);
    expect(codes).toEqual(['B_COUNTRY_ALPHA', 'Q260', 'Q262', 'Q263', 'Q272', 'Q273', 'Q274', 'Q275', 'Q279', 'Q284', 'Q288', 'Q289', 'Q290']);
  });

  test('codes and labels of the coded variables', () => {
    expect(wvsVariable('Q260').codes).toEqual([
      { code: 1, label: 'Male' },
      { code: 2, label: 'Female' },
    ]);
    expect(wvsVariable('Q262').type).toBe('numeric');
    expect(wvsVariable('Q274').type).toBe('count');
    expect(wvsVariable('Q288').codes?.map((c) => c.code)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(wvsVariable('Q289').codes?.map((c) => c.code)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(wvsVariable('Q273').codes?.map((c) => c.code)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(wvsVariable('Q279').codes?.map((c) => c.code)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(wvsVariable('Q284').codes?.map((c) => c.code)).toEqual([1, 2, 3]);
  });

  test('education codes are the ISCED levels', () => {
    const codes = wvsVariable('Q275').codes ?? [];
    expect(codes.map((c) => c.code)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const c of codes) expect(c.label).toContain(`(ISCED ${c.code})`);
    expect(wvsVariable('Q275').type).toBe('ordinal');
  });

  test('country-specific variables say so and carry no code list', () => {
    for (const code of ['Q272', 'Q290']) {
      expect(wvsVariable(code).type).toBe('country-specific');
      expect(wvsVariable(code).codes).toBeUndefined();
      expect(wvsVariable(code).notes).toBeTruthy();
    }
    expect(wvsVariable('B_COUNTRY_ALPHA').type).toBe('country');
  });

  test("labels cover the values DVMap's release shows for its attributes", () => {
    expect(labels('Q273')).toEqual(['Married', 'Living together as married', 'Divorced', 'Separated', 'Widowed', 'Single']);
    expect(labels('Q275')).toEqual([
      'Early childhood education (ISCED 0) / no education',
      'Primary education (ISCED 1)',
      'Lower secondary education (ISCED 2)',
      'Upper secondary education (ISCED 3)',
      'Post-secondary non-tertiary education (ISCED 4)',
      'Short-cycle tertiary education (ISCED 5)',
      'Bachelor or equivalent (ISCED 6)',
      'Master or equivalent (ISCED 7)',
      'Doctoral or equivalent (ISCED 8)',
    ]);
    for (const value of [
      'Full time employee (30 hours a week or more)',
      'Part time employee (less than 30 hours a week)',
      'Self employed',
      'Retired/pensioned',
      'Housewife not otherwise employed',
      'Student',
      'Unemployed',
      'Other (write in):',
    ]) {
      expect(labelsAndAliases('Q279')).toContain(value);
    }
    expect(labels('Q284')).toEqual(['Government or public institution', 'Private business or industry', 'Private non-profit organization']);
  });

  test("derived attributes follow DVMap's appendix A and SPEC section 2", () => {
    expect(WVS_DERIVED.lifeStage.bins).toEqual([
      { label: 'Adolescence', max: 18 },
      { label: 'Young Adulthood', min: 18, max: 35 },
      { label: 'Middle Adulthood', min: 35, max: 51 },
      { label: 'Late Adulthood', min: 51, max: 65 },
      { label: 'Older Adulthood', min: 65 },
    ]);
    expect(WVS_DERIVED.incomeBracket.bins.map((b) => [b.label, b.min, b.max])).toEqual([
      ['Low income', 1, 4],
      ['Middle income', 4, 8],
      ['High income', 8, 11],
    ]);
    expect(WVS_DERIVED.ageGroup.bins.map((b) => b.label)).toEqual(['18-34', '35-54', '55+']);
    expect(WVS_DERIVED.parenthood.labels).toEqual({ yes: 'has at least one child', no: 'has no children' });
  });

  test("maps DVMap's 11 profile attributes to WVS variables", () => {
    expect(DVMAP_ATTRIBUTES.map((a) => a.attribute)).toEqual([
      'Country',
      'Gender',
      'Marital Status',
      'Has Children',
      'Education Level',
      'Occupation',
      'Work Nature',
      'Religion',
      'Life Stage',
      'Income Bracket',
      'Common Language',
    ]);
  });
});

describe('the loader rejects inconsistent metadata', () => {
  type Doc = { variables: { code: string; codes?: { code: number }[] }[]; derived: { lifeStage: { bins: { min?: number }[] } } };
  test('codes out of order', () => {
    const doc = structuredClone(variablesJson) as unknown as Doc;
    doc.variables.find((v) => v.code === 'Q260')!.codes!.reverse();
    expect(() => parseWvsVariableFile(doc)).toThrow(/increasing order/);
  });
  test('bins that do not meet', () => {
    const doc = structuredClone(variablesJson) as unknown as Doc;
    doc.derived.lifeStage.bins[2]!.min = 36;
    expect(() => parseWvsVariableFile(doc)).toThrow(/must start where/);
  });
});
