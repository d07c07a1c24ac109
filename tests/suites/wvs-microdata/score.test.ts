import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random/prng.ts';
import type { ItemResult } from '../../../src/core/record/schema.ts';
import type { WvsItemRefs } from '../../../src/suites/wvs-microdata/items.ts';
import { scoreWvsMicrodata, type WvsMicrodataDetails } from '../../../src/suites/wvs-microdata/score.ts';
import { reference95 } from '../../helpers/reference-bootstrap.ts';

const run = { mode: 'likelihood' as const, templateId: 'wvs-microdata/persona', modelKind: 'synthetic' };
const hot = (k: number, i: number) => Array.from({ length: k }, (_, j) => (j === i ? 1 : 0));

function item(stratum: string, subgroup: string, question: string, k: number, ordinal: boolean, gold: number, distribution: number[] | null, populationMode = 0, ties = [gold]): ItemResult {
  const refs: WvsItemRefs = { mode: gold, modeCode: gold + 1, k, ordinal, distribution: hot(k, gold), n: 40, tie: ties.length > 1, ties, populationMode };
  const meta: Record<string, string> = { country: 'SGP', stratum, split: 'ood', subgroup, question };
  stratum.split(' x ').forEach((attr, i) => (meta[attr] = subgroup.split(' | ')[i]!));
  return { id: `${subgroup}/${question}`, meta, refs: refs as unknown as Record<string, unknown>, options: hot(k, 0).map((_, i) => `o${i}`), distribution };
}

// Three subgroups (two strata) x three questions: q1 ordinal K=4, q2 nominal K=2, q3 ordinal K=5.
//            q1 gold/pred   q2 gold/pred      q3 gold/pred
//   A        0 / 0 hit      1 / 0 (tie .5/.5)  2 / 4 err 2/4
//   B        1 / 3 err 2/3  0 / 0 hit          2 / 2 hit
//   C        3 / 3 hit      1 / 1 hit          0 / 1 err 1/4
const ITEMS: ItemResult[] = [
  item('sex x religion', 'female | Muslim', 'Q1', 4, true, 0, hot(4, 0), 0),
  item('sex x religion', 'female | Muslim', 'Q57', 2, false, 1, [0.5, 0.5], 1, [1]),
  item('sex x religion', 'female | Muslim', 'Q36', 5, true, 2, hot(5, 4), 2),
  item('sex x religion', 'male | Muslim', 'Q1', 4, true, 1, [0.1, 0.2, 0.3, 0.4], 0),
  item('sex x religion', 'male | Muslim', 'Q57', 2, false, 0, hot(2, 0), 1, [0, 1]),
  item('sex x religion', 'male | Muslim', 'Q36', 5, true, 2, hot(5, 2), 2),
  item('age_group', '55+', 'Q1', 4, true, 3, hot(4, 3), 0),
  item('age_group', '55+', 'Q57', 2, false, 1, hot(2, 1), 1),
  item('age_group', '55+', 'Q36', 5, true, 0, hot(5, 1), 2),
];

const details = (items: ItemResult[], resamples = 0, seed = 0) => scoreWvsMicrodata(items, { seed, resamples, run }).details as unknown as WvsMicrodataDetails;
const popCv = (xs: number[]) => {
  const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mu) ** 2, 0) / xs.length) / mu;
};

describe('WVS-subgroups metrics', () => {
  it('accuracy against the modal answer (argmax, ties to the lowest option) and NMAE on ordinal questions only', () => {
    const d = details(ITEMS);
    expect(d.overall.accuracy).toBeCloseTo(5 / 9, 15);
    expect(d.overall.ordinalItems).toBe(6);
    expect(d.overall.nmae).toBeCloseTo((0 + 0.5 + 2 / 3 + 0 + 0 + 0.25) / 6, 15);
    const bySubgroup = Object.fromEntries(d.subgroups.map((s) => [s.subgroup, s]));
    expect(bySubgroup['female | Muslim']).toMatchObject({ stratum: 'sex x religion', items: 3, ordinalItems: 2, attributes: { sex: 'female', religion: 'Muslim' } });
    expect(bySubgroup['female | Muslim']!.accuracy).toBeCloseTo(1 / 3, 15);
    expect(bySubgroup['male | Muslim']!.accuracy).toBeCloseTo(2 / 3, 15);
    expect(bySubgroup['55+']!.nmae).toBeCloseTo(0.125, 15);
    expect(bySubgroup['male | Muslim']!.nmae).toBeCloseTo(1 / 3, 15);
  });

  it('fairness spread across subgroups: normalised range and population CV, for accuracy and NMAE', () => {
    const d = details(ITEMS);
    expect(d.spread.accuracy.subgroups).toBe(3);
    expect(d.spread.accuracy.normalizedRange).toBeCloseTo(0.5, 15);
    expect(d.spread.accuracy.cv).toBeCloseTo(Math.SQRT2 / 5, 14);
    expect(d.spread.accuracy.argmin).toBe('sex x religion: female | Muslim');
    expect(d.spread.nmae.normalizedRange).toBeCloseTo((1 / 3 - 0.125) / (1 / 3), 14);
    expect(d.spread.nmae.cv).toBeCloseTo(popCv([0.25, 1 / 3, 0.125]), 14);
    expect(d.spread.nmae.argmax).toBe('sex x religion: male | Muslim');
    const stratum = d.strata.find((s) => s.stratum === 'sex x religion')!;
    expect(stratum.spread.accuracy.normalizedRange).toBeCloseTo(0.5, 15);
    expect(stratum.items).toBe(6);
  });

  it('SPEC test vector: per-subgroup scores [0.5, 0.6, 0.8] give normalised range 0.375 and CV 0.19692933614599692', () => {
    // Three subgroups with 10 items each on one nominal question bank, hitting 5, 6 and 8 times.
    const items: ItemResult[] = [];
    [5, 6, 8].forEach((hits, s) => {
      for (let q = 0; q < 10; q++) items.push(item('religion', `R${s}`, `Q${q + 1}`, 2, false, 0, hot(2, q < hits ? 0 : 1)));
    });
    const d = details(items);
    expect(d.spread.accuracy.normalizedRange).toBeCloseTo(0.375, 15);
    expect(d.spread.accuracy.cv).toBeCloseTo(0.19692933614599692, 14);
    expect(d.spread.nmae.normalizedRange).toBeNull();
  });

  it('MDS per question and stratum for the data (gold modes) and the model (predictions)', () => {
    const d = details(ITEMS);
    const q1 = d.questions.find((q) => q.question === 'Q1')!;
    const sexRel = q1.mds.find((m) => m.stratum === 'sex x religion')!;
    // Gold modes 0 and 1 (two subgroups, 4 options): MDS 1; predictions 0 and 3: also 1.
    expect(sexRel).toMatchObject({ subgroups: 2, data: 1, model: 1 });
    // Wasserstein of the one-hot gold distributions at 0 and 1: 1; of the model's: [1,0,0,0] vs [.1,.2,.3,.4] = .9+.7+.4 = 2.
    expect(sexRel.dataWasserstein).toBeCloseTo(1, 15);
    expect(sexRel.modelWasserstein).toBeCloseTo(2, 14);
    expect(sexRel.modelWassersteinNormalized).toBeCloseTo(2 / 3, 14);
    const q57 = d.questions.find((q) => q.question === 'Q57')!;
    expect(q57.nmae).toBeNull();
    expect(q57.mds.find((m) => m.stratum === 'sex x religion')).toMatchObject({ data: 1, model: 0, dataWasserstein: null });
    expect(q1.mds.find((m) => m.stratum === 'age_group')).toMatchObject({ subgroups: 1, data: 0, model: 0 });
  });

  it('reference lines, expected scores, ties and unanswered items', () => {
    const d = details([...ITEMS, { ...ITEMS[0]!, id: 'none', distribution: null }]);
    expect(d.unanswered).toBe(1);
    expect(d.scored).toBe(9);
    expect(d.tiedGold).toBe(1);
    // Majority baseline: populationMode === gold on A-q1, A-q57, A-q36, B-q36, C-q57 = 5 of 9.
    expect(d.reference.majority.accuracy).toBeCloseTo(5 / 9, 15);
    expect(d.reference.uniform.expectedAccuracy).toBeCloseTo((3 / 4 + 3 / 2 + 3 / 5) / 9, 15);
    // B-q57 gold 0 with ties [0, 1]: predicting 0 matches either way; no other tie.
    expect(d.overall.accuracyAnyTiedMode).toBeCloseTo(5 / 9, 15);
    // Expected accuracy: mean p(gold) = (1 + .5 + 0 + .2 + 1 + 1 + 1 + 1 + 0) / 9.
    expect(d.overall.expectedAccuracy).toBeCloseTo(5.7 / 9, 14);
    // Majority baseline NMAE, |populationMode - gold| / (K - 1) on the six ordinal items:
    // A-q1 0, A-q36 0, B-q1 1/3, B-q36 0, C-q1 3/3, C-q36 2/4 -> (11/6) / 6 = 11/36.
    expect(d.reference.majority.nmae).toBeCloseTo(11 / 36, 15);
    // Uniform answer's expected NMAE, sum_c |c - gold| / (K (K - 1)): K=4 gold 0 or 3: 6/12,
    // gold 1: 4/12; K=5 gold 2: 6/20, gold 0: 10/20. A-q1 .5, A-q36 .3, B-q1 1/3, B-q36 .3,
    // C-q1 .5, C-q36 .5 -> 73/180.
    expect(d.reference.uniform.expectedNmae).toBeCloseTo(73 / 180, 15);
    // The model's expected NMAE, sum_c p_c |c - gold| / (K - 1): A-q36 2/4, B-q1 (.1 + .3 + .8) / 3,
    // C-q36 1/4, the rest 0 -> 1.15 / 6 = 23/120.
    expect(d.overall.expectedNmae).toBeCloseTo(23 / 120, 15);
  });

  it('seeded bootstrap over questions: intervals reproducible, seed-dependent, around the estimate', () => {
    const items: ItemResult[] = [];
    const rng = createRng('wvs-score-test');
    for (let s = 0; s < 6; s++) {
      for (let q = 0; q < 25; q++) {
        const gold = rng.int(4);
        items.push(item('religion', `R${s}`, `Q${q + 1}`, 4, true, gold, hot(4, rng.int(3) === 0 ? rng.int(4) : gold)));
      }
    }
    const a = details(items, 200, 1);
    const b = details(items, 200, 1);
    const c = details(items, 200, 2);
    expect(a).toEqual(b);
    expect(a.overall.accuracyInterval).not.toEqual(c.overall.accuracyInterval);
    expect(a.bootstrap).toMatchObject({ unit: 'question', resamples: 200, questions: 25 });
    for (const [value, iv] of [
      [a.overall.accuracy, a.overall.accuracyInterval],
      [a.overall.nmae, a.overall.nmaeInterval],
      [a.spread.accuracy.cv, a.spread.accuracy.cvInterval],
      [a.spread.nmae.normalizedRange, a.spread.nmae.normalizedRangeInterval],
    ] as const) {
      expect(iv).not.toBeNull();
      expect(iv!.low).toBeLessThanOrEqual(iv!.high);
      expect(value!).toBeGreaterThanOrEqual(iv!.low - 0.05);
      expect(value!).toBeLessThanOrEqual(iv!.high + 0.05);
    }
    for (const s of a.subgroups) expect(s.accuracyInterval).not.toBeNull();
  });

  it('undefined spreads (every subgroup at 0) are null, never a crash', () => {
    const items = [item('sex', 'female', 'Q1', 4, true, 0, hot(4, 1)), item('sex', 'male', 'Q1', 4, true, 0, hot(4, 2))];
    const d = details(items, 100);
    expect(d.overall.accuracy).toBe(0);
    expect(d.spread.accuracy.normalizedRange).toBeNull();
    expect(d.spread.accuracy.normalizedRangeInterval).toBeNull();
    expect(d.spread.nmae.normalizedRange).toBeCloseTo(0.5, 15);
    expect(details([], 100).overall.accuracy).toBeNull();
  });

  it('headline: accuracy, NMAE and the four spread numbers', () => {
    const m = scoreWvsMicrodata(ITEMS, { seed: 0, resamples: 50, run });
    expect(m.suite).toBe('wvs-microdata');
    expect(m.headline.map((h) => h.key)).toEqual(['accuracy', 'nmae', 'spread.accuracy.normRange', 'spread.accuracy.cv', 'spread.nmae.normRange', 'spread.nmae.cv']);
  });

  it('leaves out the question resamples on which the spread is undefined instead of dropping the interval', () => {
    // Two subgroups x three nominal questions: A is right on Q1 only, B on Q3 only. A resample of
    // the questions that draws Q2 three times leaves both at 0 (CV undefined): 1 in 27 resamples.
    const few = [
      item('age_group', 'A', 'Q1', 2, false, 0, hot(2, 0)),
      item('age_group', 'A', 'Q2', 2, false, 0, hot(2, 1)),
      item('age_group', 'A', 'Q3', 2, false, 0, hot(2, 1)),
      item('age_group', 'B', 'Q1', 2, false, 0, hot(2, 1)),
      item('age_group', 'B', 'Q2', 2, false, 0, hot(2, 1)),
      item('age_group', 'B', 'Q3', 2, false, 0, hot(2, 0)),
    ];
    const d = details(few, 300, 4);
    // Accuracies 1/3 and 1/3: the CV is 0.
    expect(d.spread.accuracy.cv).toBe(0);
    // Reference: the same question resamples; A's accuracy is the share of Q1 draws, B's of Q3
    // draws; the population CV of two values a, b is |a - b| / (a + b), undefined at a = b = 0.
    const ref = reference95(3, 300, '4:wvs-microdata:questions', (idx) => {
      const a = Array.from(idx).filter((q) => q === 0).length;
      const b = Array.from(idx).filter((q) => q === 2).length;
      return a + b === 0 ? NaN : Math.abs(a - b) / (a + b);
    });
    expect(d.spread.accuracy.cvInterval).not.toBeNull();
    expect(Math.abs(d.spread.accuracy.cvInterval!.low - ref.low)).toBeLessThan(1e-12);
    expect(Math.abs(d.spread.accuracy.cvInterval!.high - ref.high)).toBeLessThan(1e-12);
    expect(ref.high).toBe(1);
  });
});
