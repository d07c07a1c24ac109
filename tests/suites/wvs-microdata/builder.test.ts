import { beforeAll, describe, expect, it } from 'vitest';
import { microdataFromRows } from '../../../src/sources/wvs/microdata.ts';
import { EMPTY_CODEBOOK } from '../../../src/sources/wvs/codebook.ts';
import { encodeAttributes } from '../../../src/suites/wvs-microdata/attributes.ts';
import { buildSubgroups, diversity, mdsTable, type BuildResult } from '../../../src/suites/wvs-microdata/builder.ts';
import { ingestWvsFile, type Ingested } from '../../../src/suites/wvs-microdata/ingest.ts';
import { compositionalStrata, PAPER_ATTRIBUTES } from '../../../src/suites/wvs-microdata/strata.ts';
import { codebookFile, EXPECTED, fixtureFile, metadataFile } from './fixture.ts';

const TOL = 1e-12;

describe('subgroups, modes and MDS on the WVS-7 fixture = the independent Python reference (expected.json)', () => {
  let ingested: Ingested;
  let build: BuildResult;
  beforeAll(async () => {
    ingested = await ingestWvsFile({
      file: fixtureFile(),
      country: 'SGP',
      attributes: PAPER_ATTRIBUTES,
      questions: [],
      codebookFile: codebookFile(),
      metadataFile: metadataFile(),
    });
    build = buildSubgroups({
      data: ingested.read.data,
      attributes: encodeAttributes(ingested.read.data, PAPER_ATTRIBUTES),
      codebook: ingested.codebook,
      strata: compositionalStrata(PAPER_ATTRIBUTES),
      questions: ingested.questions.map((q) => ({ code: q.code, k: q.options.length, ordinal: q.ordinal })),
      minCount: EXPECTED.min_count,
    });
  });

  it('reads the country and the questions', () => {
    expect(ingested.read.data.rows).toBe(EXPECTED.respondents);
    expect(ingested.read.rowsInFile).toBe(EXPECTED.rows_in_file);
    expect(Object.fromEntries(ingested.questions.map((q) => [q.code, q.options.length]))).toEqual(EXPECTED.options);
    expect(ingested.questions.find((q) => q.code === 'Q57')?.source).toBe('user');
  });

  it('has the ten strata of the compositional split, with the paper\'s train/OOD assignment', () => {
    expect(Object.fromEntries(build.strata.map((s) => [s.def.name, s.def.split]))).toEqual(
      Object.fromEntries(Object.entries(EXPECTED.strata).map(([name, s]) => [name, s.split])),
    );
    for (const s of build.strata) expect([...s.def.attributes]).toEqual(EXPECTED.strata[s.def.name]!.variables);
  });

  it('keeps and drops the same subgroups (>= 30 respondents), with the same sizes', () => {
    for (const s of build.strata) {
      const expected = EXPECTED.strata[s.def.name]!;
      expect(
        s.subgroups.map((g) => ({ id: g.id, respondents: g.respondents, kept: g.kept })),
        s.def.name,
      ).toEqual(expected.subgroups);
      expect(s.keptSubgroups).toBe(expected.kept_subgroups);
    }
  });

  it('has the same scored pairs, counts, modal answers, ties, dropped pairs and MDS (tolerance 1e-12)', () => {
    let pairs = 0;
    for (const s of build.strata) {
      const expected = EXPECTED.strata[s.def.name]!;
      expect(s.questions.map((q) => q.question).sort()).toEqual(Object.keys(expected.questions).sort());
      for (const q of s.questions) {
        const e = expected.questions[q.question]!;
        const where = `${s.def.name} / ${q.question}`;
        expect(q.pairs.map((p) => p.subgroup), where).toEqual(Object.keys(e.subgroups));
        for (const p of q.pairs) {
          const cell = e.subgroups[p.subgroup]!;
          expect({ n: p.n, counts: p.counts, mode: p.mode + 1, tie: p.tie }, `${where} / ${p.subgroup}`).toEqual({
            n: cell.n_valid,
            counts: cell.counts,
            mode: cell.mode,
            tie: cell.tie,
          });
          pairs++;
        }
        expect(q.dropped, where).toEqual(e.dropped_under_min_valid);
        expect(q.ties, where).toBe(e.ties);
        expect(q.pairs.length, where).toBe(e.n_subgroups);
        expect(q.mds, where).not.toBeNull();
        expect(Math.abs(q.mds! - e.mds), `${where}: MDS ${q.mds} vs ${e.mds}`).toBeLessThanOrEqual(TOL);
      }
    }
    expect(pairs).toBeGreaterThan(1000);
  });

  it('finds the planted structure: the Q57 tie among Indian respondents, Q29 by sex, consensus on Q46 and Q60', () => {
    const ethnicity = build.strata.find((s) => s.def.name === 'ethnicity')!;
    const q57 = ethnicity.questions.find((q) => q.question === 'Q57')!.pairs.find((p) => p.subgroup === 'Indian')!;
    expect(q57).toMatchObject({ counts: [81, 81], mode: 0, tie: true, ties: [0, 1] });
    const sex = build.strata.find((s) => s.def.name === 'sex')!;
    expect(sex.questions.find((q) => q.question === 'Q29')!.mds).toBe(1);
    for (const name of ['sex', 'age_group', 'ethnicity', 'religion']) {
      const s = build.strata.find((x) => x.def.name === name)!;
      for (const code of ['Q46', 'Q60']) expect(s.questions.find((q) => q.question === code)!.mds, `${name} ${code}`).toBe(0);
    }
  });

  it('cross-checks ordinal questions with the mean pairwise Wasserstein distance, and skips nominal ones', () => {
    const sex = build.strata.find((s) => s.def.name === 'sex')!;
    const q29 = sex.questions.find((q) => q.question === 'Q29')!;
    // female [47,201,363,135]/746, male [87,321,223,74]/705: sum over k of |CDF_f - CDF_m|.
    const f = [47, 201, 363, 135].map((x) => x / 746);
    const m = [87, 321, 223, 74].map((x) => x / 705);
    let cf = 0;
    let cm = 0;
    let w = 0;
    for (let k = 0; k < 3; k++) {
      cf += f[k]!;
      cm += m[k]!;
      w += Math.abs(cf - cm);
    }
    expect(q29.meanWasserstein).toBeCloseTo(w, 12);
    expect(q29.normalizedWasserstein).toBeCloseTo(w / 3, 12);
    const q57 = sex.questions.find((q) => q.question === 'Q57')!;
    expect(q57.meanWasserstein).toBeNull();
    const rows = mdsTable(build);
    expect(rows).toHaveLength(10 * 15);
    expect(rows.find((r) => r.stratum === 'sex' && r.question === 'Q29')).toMatchObject({ split: 'train', subgroups: 2, mds: 1 });
  });

  it('computes the population modal answer over every respondent (baseline:majority)', () => {
    const q6 = build.population.get('Q6')!;
    expect(q6.n).toBe(q6.counts.reduce((a, b) => a + b, 0));
    expect(q6.mode).toBe(q6.counts.indexOf(Math.max(...q6.counts)));
  });
});

describe('MDS edge cases', () => {
  const cell = (mode: number, counts: number[]) => ({ n: counts.reduce((a, b) => a + b, 0), counts, mode, tie: false, ties: [mode] });

  it('no scored subgroup: MDS and Wasserstein are null', () => {
    expect(diversity([], 4, true)).toEqual({ mds: null, meanWasserstein: null, normalizedWasserstein: null });
  });
  it('one subgroup: MDS 0 (min(|S|, |C|) = 1) and no pairwise distance (0)', () => {
    expect(diversity([cell(1, [1, 5, 1, 0])], 4, true)).toEqual({ mds: 0, meanWasserstein: 0, normalizedWasserstein: 0 });
  });
  it('SPEC test vectors through the builder: modes [1,1,2,3] of 4 options = 0.75; all different = 1; all equal = 0', () => {
    const modes = (ms: number[]) => ms.map((m) => cell(m, [1, 1, 1, 1]));
    expect(diversity(modes([0, 0, 1, 2]), 4, false).mds).toBeCloseTo(0.75, 15);
    expect(diversity(modes([0, 1, 2, 3]), 4, false).mds).toBe(1);
    expect(diversity(modes([2, 2, 2, 2]), 4, false).mds).toBe(0);
  });
  it('more subgroups than options: normalised by log2 |C|; two subgroups on a 5-point scale: by log2 2', () => {
    const ms = [0, 1, 0, 1, 0, 1].map((m) => cell(m, [1, 1]));
    expect(diversity(ms, 2, false).mds).toBe(1);
    expect(diversity([cell(0, [3, 1, 0, 0, 0]), cell(4, [0, 0, 0, 1, 3])], 5, true).mds).toBe(1);
  });
  it('identical distributions have Wasserstein 0; opposite ends of a K-scale have K - 1', () => {
    expect(diversity([cell(0, [2, 0, 0]), cell(0, [4, 0, 0])], 3, true).meanWasserstein).toBe(0);
    expect(diversity([cell(0, [1, 0, 0]), cell(2, [0, 0, 1])], 3, true)).toMatchObject({ meanWasserstein: 2, normalizedWasserstein: 1 });
  });
});

describe('the builder on a hand-made table', () => {
  // 4 respondents; one lacks an age (in no age stratum), one has an out-of-range answer.
  const rows = [
    { Q260: 1, Q262: 20, Q290: 1, Q289: 0, Q1: 1 },
    { Q260: 1, Q262: 60, Q290: 1, Q289: 5, Q1: 2 },
    { Q260: 2, Q262: -2, Q290: 2, Q289: 5, Q1: 2 },
    { Q260: 2, Q262: 40, Q290: 2, Q289: 5, Q1: 9 },
  ];
  const data = microdataFromRows(rows, ['Q260', 'Q262', 'Q290', 'Q289', 'Q1']);
  const build = buildSubgroups({
    data,
    attributes: encodeAttributes(data, PAPER_ATTRIBUTES),
    codebook: EMPTY_CODEBOOK,
    strata: compositionalStrata(PAPER_ATTRIBUTES),
    questions: [{ code: 'Q1', k: 4, ordinal: true }],
    minCount: 1,
  });

  it('labels without a codebook: shipped labels, short religion names, ethnicity as codes', () => {
    const ids = (name: string) => build.strata.find((s) => s.def.name === name)!.subgroups.map((s) => s.id);
    expect(ids('sex')).toEqual(['Female', 'Male']);
    expect(ids('religion')).toEqual(['Muslim', 'No religion']);
    expect(ids('ethnicity')).toEqual(['ethnic group 1', 'ethnic group 2']);
    expect(ids('age_group')).toEqual(['18-34', '35-54', '55+']);
  });
  it('a respondent missing an attribute is in no subgroup of a stratum that uses it', () => {
    const sexAge = build.strata.find((s) => s.def.name === 'sex x age_group')!;
    expect(sexAge.subgroups.reduce((a, s) => a + s.respondents, 0)).toBe(3);
  });
  it('counts out-of-range answers and leaves them out; a subgroup with none valid is dropped', () => {
    expect(build.outOfRange.get('Q1')).toBe(1);
    const sex = build.strata.find((s) => s.def.name === 'sex')!.questions[0]!;
    expect(sex.pairs.find((p) => p.subgroup === 'Female')).toMatchObject({ n: 1, counts: [0, 1, 0, 0], mode: 1 });
    const age = build.strata.find((s) => s.def.name === 'age_group')!.questions[0]!;
    expect(age.dropped).toEqual(['35-54']);
  });
  it('refuses a bad minCount', () => {
    expect(() =>
      buildSubgroups({ data, attributes: encodeAttributes(data, ['sex']), codebook: EMPTY_CODEBOOK, strata: compositionalStrata(['sex']), questions: [], minCount: 0 }),
    ).toThrow(/minCount/);
  });
});
