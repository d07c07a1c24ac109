import { describe, expect, test } from 'vitest';
import {
  codeForLabel,
  collapseTenPoint,
  dvmapOptions,
  hasWvsQuestion,
  isMissingCode,
  missingCodeLabel,
  optionLabel,
  wvsQuestion,
} from '../../../src/sources/wvs/question-metadata.ts';

describe('question lookups', () => {
  test('by code, case- and space-insensitive; unknown codes throw', () => {
    expect(wvsQuestion('Q46').concept).toBe('Feeling of happiness');
    expect(wvsQuestion(' q46 ').code).toBe('Q46');
    expect(hasWvsQuestion('Q7')).toBe(false);
    expect(() => wvsQuestion('Q7')).toThrow(/no WVS-7 metadata for question "Q7"/);
  });

  test('labels from codes and codes from labels or aliases', () => {
    const q27 = wvsQuestion('Q27');
    expect(optionLabel(q27, 1)).toBe('Strongly agree');
    expect(optionLabel(q27, -1)).toBeUndefined();
    expect(codeForLabel(q27, 'Agree strongly')).toBe(1);
    expect(codeForLabel(q27, '  strongly   DISAGREE ')).toBe(4);
    expect(codeForLabel(q27, 'Neither')).toBeUndefined();
    expect(codeForLabel(wvsQuestion('Q8'), 'Mentioned')).toBe(1);
    expect(codeForLabel(wvsQuestion('Q36'), 'Strongly agree')).toBe(1);
  });
});

describe('missing codes', () => {
  test('every negative code and every non-integer is missing', () => {
    for (const v of [-1, -2, -3, -4, -5, -99, 0.5, NaN]) expect(isMissingCode(v), String(v)).toBe(true);
    for (const v of [0, 1, 10]) expect(isMissingCode(v), String(v)).toBe(false);
    expect(missingCodeLabel(-4)).toBe('Not asked in survey');
    expect(missingCodeLabel(3)).toBeUndefined();
  });
});

describe('1-10 collapse', () => {
  test('bins 1-3 / 4-7 / 8-10', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => collapseTenPoint(v))).toEqual([
      'Low', 'Low', 'Low', 'Medium', 'Medium', 'Medium', 'Medium', 'High', 'High', 'High',
    ]);
  });
  test('missing codes collapse to undefined; off-scale values throw', () => {
    expect(collapseTenPoint(-1)).toBeUndefined();
    expect(() => collapseTenPoint(0)).toThrow(RangeError);
    expect(() => collapseTenPoint(11)).toThrow(RangeError);
  });
  test('another cut can be passed in', () => {
    const alt = {
      labels: ['Low', 'Medium', 'High'],
      bins: [
        { label: 'Low', from: 1, to: 4 },
        { label: 'Medium', from: 5, to: 6 },
        { label: 'High', from: 7, to: 10 },
      ],
    };
    expect(collapseTenPoint(4, alt)).toBe('Low');
    expect(collapseTenPoint(7, alt)).toBe('High');
  });
  test('DVMap shows the collapsed labels for 1-10 questions only', () => {
    expect(dvmapOptions(wvsQuestion('Q112'))).toEqual(['Low', 'Medium', 'High']);
    expect(dvmapOptions(wvsQuestion('Q113'))).toEqual(['None of them', 'Few of them', 'Most of them', 'All of them']);
  });
});
