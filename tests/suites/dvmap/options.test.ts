import { describe, expect, it } from 'vitest';
import { answerIndex, matchKnownOptions, OptionsError, parseOptions, splitOptions } from '../../../src/suites/dvmap/options.ts';

describe('DVMap Options strings', () => {
  it('prefers the known WVS option list when it matches exactly', () => {
    expect(parseOptions('Q1', 'Very important, Rather important, Not very important, Not at all important')).toEqual({
      options: ['Very important', 'Rather important', 'Not very important', 'Not at all important'],
      via: 'metadata',
    });
    // The 1-10 items are collapsed to Low/Medium/High.
    expect(parseOptions('Q49', 'Low, Medium, High')).toEqual({ options: ['Low', 'Medium', 'High'], via: 'metadata' });
    // Aliases count: Q8's "Mentioned" is an alias of "Important"; the release's spelling is kept.
    expect(parseOptions('Q8', 'Mentioned, Not mentioned')).toEqual({ options: ['Mentioned', 'Not mentioned'], via: 'metadata' });
    // Q36 writes "Agree strongly" where Q27 writes "Strongly agree": both spellings fit.
    expect(parseOptions('Q27', 'Agree strongly, Agree, Disagree, Disagree strongly').via).toBe('metadata');
  });

  it('matches longest spellings first and needs the whole string', () => {
    expect(matchKnownOptions('Agree strongly, Agree', [['Agree', 'Agree strongly'], ['Agree']])).toEqual(['Agree strongly', 'Agree']);
    expect(matchKnownOptions('Low, Medium, High, Extra', [['Low'], ['Medium'], ['High']])).toBeNull();
    expect(matchKnownOptions('Low, Medium', [['Low'], ['Medium'], ['High']])).toBeNull();
  });

  it('falls back to splitting at ", " for an unknown question or an unknown wording', () => {
    expect(parseOptions('Q999', 'Yes, No, Maybe')).toEqual({ options: ['Yes', 'No', 'Maybe'], via: 'split' });
    // Reversed order is not the known list: split, keeping the release's order.
    expect(parseOptions('Q1', 'Not at all important, Not very important, Rather important, Very important')).toEqual({
      options: ['Not at all important', 'Not very important', 'Rather important', 'Very important'],
      via: 'split',
    });
    // A comma without a space stays inside its option.
    expect(splitOptions('1,000 or more, fewer')).toEqual(['1,000 or more', 'fewer']);
  });

  it('joins back an answer that itself holds ", "', () => {
    expect(splitOptions('Yes, definitely, Probably, No', ['Yes, definitely'])).toEqual(['Yes, definitely', 'Probably', 'No']);
    expect(splitOptions('A, b, c, D', ['A, b, c', 'b, c'])).toEqual(['A, b, c', 'D']);
  });

  it('errors clearly when the string cannot be split unambiguously', () => {
    expect(() => splitOptions('Only one')).toThrow(OptionsError);
    expect(() => splitOptions('Only one')).toThrow(/fewer than two options/);
    expect(() => splitOptions('Yes, , No')).toThrow(/empty option/);
    expect(() => splitOptions('Yes, No, Yes')).toThrow(/"Yes" occurs twice/);
  });

  it('finds the answer exactly, else ignoring case and spacing', () => {
    const options = ['Very happy', 'Rather happy', 'Not very happy'];
    expect(answerIndex('Rather happy', options)).toBe(1);
    expect(answerIndex('  not  VERY happy ', options)).toBe(2);
    expect(answerIndex('Unhappy', options)).toBe(-1);
  });
});
