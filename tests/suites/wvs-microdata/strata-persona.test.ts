import { describe, expect, it } from 'vitest';
import { EMPTY_CODEBOOK } from '../../../src/sources/wvs/codebook.ts';
import { ATTRIBUTES } from '../../../src/suites/wvs-microdata/attributes.ts';
import { parseQuestionsOption, parseStrataOption, resolveCountryOption } from '../../../src/suites/wvs-microdata/ingest.ts';
import { personaPrompt } from '../../../src/suites/wvs-microdata/persona.ts';
import { compositionalStrata, PAPER_ATTRIBUTES, strataForSplit } from '../../../src/suites/wvs-microdata/strata.ts';

describe('the compositional split', () => {
  it('is the paper\'s by default: 7 train strata (singles, sex x each), 3 OOD strata (the other pairs)', () => {
    const strata = compositionalStrata(PAPER_ATTRIBUTES);
    expect(strataForSplit(strata, 'train').map((s) => s.name)).toEqual([
      'sex',
      'age_group',
      'ethnicity',
      'religion',
      'sex x age_group',
      'sex x ethnicity',
      'sex x religion',
    ]);
    expect(strataForSplit(strata, 'ood').map((s) => s.name)).toEqual(['age_group x ethnicity', 'age_group x religion', 'ethnicity x religion']);
    expect(strataForSplit(strata, 'all')).toHaveLength(10);
  });

  it('never puts an OOD attribute pair in training: every OOD pair is unseen, every one of its attributes is seen alone', () => {
    const strata = compositionalStrata(['religion', 'income', 'sex', 'education']);
    const train = strataForSplit(strata, 'train');
    const trainPairs = new Set(train.filter((s) => s.attributes.length === 2).map((s) => [...s.attributes].sort().join('+')));
    for (const s of strataForSplit(strata, 'ood')) {
      expect(trainPairs.has([...s.attributes].sort().join('+'))).toBe(false);
      for (const a of s.attributes) expect(train.some((t) => t.name === a)).toBe(true);
    }
    // The first attribute listed is the one crossed in training.
    expect(train.filter((s) => s.attributes.length === 2).every((s) => s.attributes[0] === 'religion')).toBe(true);
  });

  it('two attributes give no OOD strata; repeats are refused', () => {
    expect(strataForSplit(compositionalStrata(['sex', 'religion']), 'ood')).toEqual([]);
    expect(() => compositionalStrata(['sex', 'sex'])).toThrow(/repeat/);
  });
});

describe('options', () => {
  it('strata: ids in order, with age/gender accepted as synonyms; unknown ones named', () => {
    expect(parseStrataOption('sex, age, ethnicity,religion')).toEqual(PAPER_ATTRIBUTES);
    expect(parseStrataOption('gender,income')).toEqual(['sex', 'income']);
    expect(() => parseStrataOption('sex,caste')).toThrow(/unknown strata attribute "caste"; known: sex, age_group/);
    expect(() => parseStrataOption('sex,sex')).toThrow(/repeats/);
  });
  it('questions: codes, upper-cased, deduplicated; non-codes refused', () => {
    expect(parseQuestionsOption('q1, Q6 Q6,Q57')).toEqual(['Q1', 'Q6', 'Q57']);
    expect(parseQuestionsOption('')).toEqual([]);
    expect(() => parseQuestionsOption('Q1,religion')).toThrow(/not WVS question codes: RELIGION/);
  });
  it('country: codes and names resolve to ISO alpha-3; NIR is the WVS\'s own code', () => {
    expect(resolveCountryOption('sgp')).toBe('SGP');
    expect(resolveCountryOption('Singapore')).toBe('SGP');
    expect(resolveCountryOption('NIR')).toBe('NIR');
    expect(() => resolveCountryOption('Singapur')).toThrow(/Singapore/);
  });
});

describe('persona prompts', () => {
  const codebook = new Map([['Q290', new Map([[702002, 'Malay']])]]);
  it('names every attribute of the subgroup, and only those', () => {
    expect(personaPrompt({ sex: 2, age_group: 1, ethnicity: 702002, religion: 5 }, 'Singapore', codebook)).toBe(
      'You are a woman aged 35-54, of Malay ethnicity, Muslim, living in Singapore.',
    );
    expect(personaPrompt({ age_group: 2, religion: 0 }, 'Singapore', codebook)).toBe('You are a person aged 55 or older, with no religious denomination, living in Singapore.');
    expect(personaPrompt({ sex: 1 }, 'Malaysia', EMPTY_CODEBOOK)).toBe('You are a man, living in Malaysia.');
  });
  it('says when an ethnic group is only a code (no codebook)', () => {
    expect(personaPrompt({ ethnicity: 702002 }, 'Singapore', EMPTY_CODEBOOK)).toBe('You are a person, of ethnic group 702002 (a WVS survey code), living in Singapore.');
  });
  it('uses the code, not a relabelled codebook entry, for the cross-national religion coding', () => {
    const relabelled = new Map([['Q289', new Map([[5, 'Islam']])]]);
    expect(ATTRIBUTES.religion.label(5, relabelled)).toBe('Islam');
    expect(ATTRIBUTES.religion.phrase(5, relabelled)).toBe('Muslim');
    expect(ATTRIBUTES.religion.phrase(42, relabelled)).toBe('whose religious denomination is religion code 42');
  });
  it('other attributes read naturally', () => {
    expect(ATTRIBUTES.income.phrase(0, EMPTY_CODEBOOK)).toBe('with low income');
    expect(ATTRIBUTES.education.phrase(6, EMPTY_CODEBOOK)).toBe('whose highest education is bachelor or equivalent');
    expect(ATTRIBUTES.marital.phrase(6, EMPTY_CODEBOOK)).toBe('single');
    expect(ATTRIBUTES.age_group.categorize(17)).toBe(-1);
    expect(ATTRIBUTES.age_group.categorize(-1)).toBe(-1);
    expect(ATTRIBUTES.income.categorize(11)).toBe(-1);
  });
});
