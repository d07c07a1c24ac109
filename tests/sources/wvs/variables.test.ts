import { describe, expect, test } from 'vitest';
import { ageGroup, incomeBracket, lifeStage, parenthood, variableLabel, wvsVariable } from '../../../src/sources/wvs/variables.ts';

describe('derived attributes', () => {
  test('life stage boundaries: <18, [18,35), [35,51), [51,65), >=65', () => {
    const cases: [number, string][] = [
      [16, 'Adolescence'],
      [17, 'Adolescence'],
      [18, 'Young Adulthood'],
      [34, 'Young Adulthood'],
      [35, 'Middle Adulthood'],
      [50, 'Middle Adulthood'],
      [51, 'Late Adulthood'],
      [64, 'Late Adulthood'],
      [65, 'Older Adulthood'],
      [99, 'Older Adulthood'],
    ];
    for (const [age, stage] of cases) expect(lifeStage(age), String(age)).toBe(stage);
    expect(lifeStage(-2)).toBeUndefined();
  });

  test('income bracket: 1-3 low, 4-7 middle, 8-10 high', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(incomeBracket)).toEqual([
      'Low income', 'Low income', 'Low income',
      'Middle income', 'Middle income', 'Middle income', 'Middle income',
      'High income', 'High income', 'High income',
    ]);
    for (const v of [-1, -5, 0, 11]) expect(incomeBracket(v), String(v)).toBeUndefined();
  });

  test('seed-002 age groups: 18-34, 35-54, 55+', () => {
    expect([17, 18, 34, 35, 54, 55, 90].map(ageGroup)).toEqual([undefined, '18-34', '18-34', '35-54', '35-54', '55+', '55+']);
    expect(ageGroup(-1)).toBeUndefined();
  });

  test('parenthood: Q274 > 0', () => {
    expect(parenthood(0)).toBe('has no children');
    expect(parenthood(3)).toBe('has at least one child');
    expect(parenthood(-2)).toBeUndefined();
  });
});

describe('variable lookups', () => {
  test('labels of coded values', () => {
    expect(variableLabel('Q260', 2)).toBe('Female');
    expect(variableLabel('Q275', 6)).toBe('Bachelor or equivalent (ISCED 6)');
    expect(variableLabel('Q260', -1)).toBeUndefined();
    expect(variableLabel('Q290', 702001)).toBeUndefined();
    expect(wvsVariable('q289').code).toBe('Q289');
    expect(() => wvsVariable('Q999')).toThrow(/no WVS-7 metadata/);
  });
});
