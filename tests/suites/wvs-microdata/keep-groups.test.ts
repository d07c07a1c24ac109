import { describe, expect, it } from 'vitest';
import { EMPTY_CODEBOOK } from '../../../src/sources/wvs/codebook.ts';
import { microdataFromRows } from '../../../src/sources/wvs/microdata.ts';
import type { DataSourceContext } from '../../../src/sources/source.ts';
import { resolveSuiteOptions } from '../../../src/suites/suite.ts';
import { encodeAttributes } from '../../../src/suites/wvs-microdata/attributes.ts';
import { loadWvsMicrodata, wvsMicrodataSuite } from '../../../src/suites/wvs-microdata/definition.ts';
import { keepGroups, parseKeepOption } from '../../../src/suites/wvs-microdata/keep-groups.ts';
import { codebookFile, EXPECTED, fixtureFile, metadataFile } from './fixture.ts';

const context = (): DataSourceContext => ({
  fetchBytes: () => Promise.reject(new Error('no network in this test')),
  hubHost: 'http://127.0.0.1:1',
  githubRawHost: 'http://127.0.0.1:1',
  userFile: fixtureFile(),
  extraFiles: { codebook: codebookFile(), metadata: metadataFile() },
});
const options = (given: Record<string, string | number>) => resolveSuiteOptions(wvsMicrodataSuite, { split: 'all', ...given });

/** The Python reference's subgroups of a stratum (id -> respondents), less those `drop` rejects. */
function expectedSubgroups(stratum: string, drop: (id: string) => boolean = () => false): Record<string, number> {
  return Object.fromEntries(EXPECTED.strata[stratum]!.subgroups.filter((s) => !drop(s.id)).map((s) => [s.id, s.respondents]));
}

describe('parseKeepOption', () => {
  it('reads attribute=group|group pairs separated by ";", with the strata option\'s aliases', () => {
    expect(parseKeepOption('')).toEqual(new Map());
    expect(parseKeepOption(' ethnicity = Chinese | Malay|Indian ; Age=18-34 ')).toEqual(
      new Map([
        ['ethnicity', ['Chinese', 'Malay', 'Indian']],
        ['age_group', ['18-34']],
      ]),
    );
  });
  it('refuses what it cannot read, saying what it expected', () => {
    expect(() => parseKeepOption('ethnicity')).toThrow(/"ethnicity" is not attribute=group\|group/);
    expect(() => parseKeepOption('ethnicity=|')).toThrow(/names no group of ethnicity/);
    expect(() => parseKeepOption('caste=A')).toThrow(/unknown strata attribute "caste"/);
    expect(() => parseKeepOption('ethnicity=Malay;ethnicity=Chinese')).toThrow(/ethnicity is given twice/);
  });
});

describe('keepGroups on a hand-made table', () => {
  const data = microdataFromRows(
    [
      { Q260: 1, Q262: 20, Q290: 1, Q289: 0 },
      { Q260: 2, Q262: 60, Q290: 2, Q289: 5 },
      { Q260: 2, Q262: 40, Q290: 3, Q289: 5 },
      { Q260: 1, Q262: 40, Q290: -2, Q289: 5 },
    ],
    ['Q260', 'Q262', 'Q290', 'Q289'],
  );
  const encoded = encodeAttributes(data, ['sex', 'age_group', 'ethnicity']);

  it('sets the other groups to -1 and leaves missing values and other attributes alone', () => {
    const { attributes, report } = keepGroups(encoded, parseKeepOption('ethnicity=1|3'), EMPTY_CODEBOOK);
    expect([...attributes.keys.get('ethnicity')!]).toEqual([1, -1, 3, -1]);
    expect(attributes.keys.get('sex')).toBe(encoded.keys.get('sex'));
    expect(report).toEqual([{ attribute: 'ethnicity', kept: ['ethnic group 1', 'ethnic group 3'], excluded: 1 }]);
  });
  it('names binned groups by label only (age 35-54 is bin 1, not code 1)', () => {
    const { attributes } = keepGroups(encoded, parseKeepOption('age_group=35-54'), EMPTY_CODEBOOK);
    expect([...attributes.keys.get('age_group')!]).toEqual([-1, -1, 1, 1]);
    expect(() => keepGroups(encoded, parseKeepOption('age_group=1'), EMPTY_CODEBOOK)).toThrow(/age_group has no group "1" among these respondents; its groups: 18-34, 35-54, 55\+$/);
  });
  it('an unknown group lists the groups there are, with their codes', () => {
    expect(() => keepGroups(encoded, parseKeepOption('ethnicity=Chinese'), EMPTY_CODEBOOK)).toThrow(
      'keep: ethnicity has no group "Chinese" among these respondents; its groups: ethnic group 1 (1), ethnic group 2 (2), ethnic group 3 (3). Q290 codes differ by country and no codebook names them: give their codes, or a codebook file (variable, code, label; --file codebook=<file> on the command line) to use names',
    );
    // With a codebook for Q290, no such hint.
    const codebook = new Map([['Q290', new Map([[1, 'Malay']])]]);
    expect(() => keepGroups(encoded, parseKeepOption('ethnicity=Chinese'), codebook)).toThrow(/its groups: Malay \(1\), ethnic group 2 \(2\), ethnic group 3 \(3\)$/);
  });
  it('an attribute outside the strata is refused', () => {
    expect(() => keepGroups(encoded, parseKeepOption('religion=Muslim'), EMPTY_CODEBOOK)).toThrow(/religion is not among the strata \(sex, age_group, ethnicity\)/);
  });
});

describe('the keep option on the WVS-7 fixture (against the Python reference)', () => {
  it('ethnicity=Chinese|Malay|Indian (the paper\'s three): the "Other" subgroups go, every other subgroup is unchanged', async () => {
    const load = await loadWvsMicrodata(options({ keep: 'ethnicity=chinese|Malay|INDIAN', minCount: 5 }), context());
    const subgroups = (name: string) => Object.fromEntries(load.build.strata.find((s) => s.def.name === name)!.subgroups.map((s) => [s.id, s.respondents]));
    // Religion also has a group called "Other"; only ethnicity's goes.
    expect(subgroups('ethnicity')).toEqual(expectedSubgroups('ethnicity', (id) => id === 'Other'));
    expect(subgroups('ethnicity x religion')).toEqual(expectedSubgroups('ethnicity x religion', (id) => id.startsWith('Other |')));
    expect(subgroups('age_group x ethnicity')).toEqual(expectedSubgroups('age_group x ethnicity', (id) => id.endsWith('| Other')));
    expect(subgroups('sex')).toEqual(expectedSubgroups('sex'));
    expect(subgroups('religion')).toEqual(expectedSubgroups('religion'));
    expect(Object.keys(subgroups('religion'))).toContain('Other');
    expect(load.kept).toEqual([{ attribute: 'ethnicity', kept: ['Chinese', 'Malay', 'Indian'], excluded: EXPECTED.strata.ethnicity!.subgroups.find((s) => s.id === 'Other')!.respondents }]);
    // With minCount 5, "Other" subgroups are scored without the option, and none with it.
    const without = await loadWvsMicrodata(options({ minCount: 5 }), context());
    const otherItems = (items: typeof load.items) => items.filter((i) => i.meta?.ethnicity === 'Other').length;
    expect(otherItems(without.items)).toBeGreaterThan(0);
    expect(otherItems(load.items)).toBe(0);
    expect(load.items.length).toBe(without.items.length - otherItems(without.items));
  });

  it('a code keeps that group alone, and the run notes say what was left out', async () => {
    const loaded = await wvsMicrodataSuite.load(options({ keep: 'ethnicity=702002', minCount: 5 }), context());
    const others = EXPECTED.strata.ethnicity!.subgroups.filter((s) => s.id !== 'Malay').reduce((a, s) => a + s.respondents, 0);
    expect(others).toBe(1103 + 163 + 26);
    expect(loaded.notes).toContain(`ethnicity: only Malay kept (keep option); ${others} respondents of other groups are in no ethnicity subgroup`);
    const ethnicities = new Set(loaded.items.filter((i) => String(i.meta?.stratum).includes('ethnicity')).map((i) => i.meta?.ethnicity));
    expect([...ethnicities]).toEqual(['Malay']);
  });

  it('refuses an attribute outside the strata before reading the file', async () => {
    const ctx = context();
    let read = false;
    const file = ctx.userFile!;
    ctx.userFile = { ...file, stream: () => ((read = true), file.stream()) };
    await expect(loadWvsMicrodata(options({ keep: 'income=High', strata: 'sex,age_group,ethnicity' }), ctx)).rejects.toThrow(
      'keep: income is not among the strata (sex, age_group, ethnicity)',
    );
    expect(read).toBe(false);
  });
});
