import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../../../src/core/record/schema.ts';
import { readTable } from '../../../src/sources/formats/table.ts';
import { releaseItems, type GlobalOpinionsRefs } from '../../../src/suites/global-opinions/release.ts';
import { scoreGlobalOpinions, type GlobalOpinionsDetails } from '../../../src/suites/global-opinions/score.ts';
import type { MetricsOptions } from '../../../src/suites/suite.ts';
import { FIXTURES } from '../../helpers/fixture-hosts.ts';
import { meanAt, reference95, referenceSimilarity } from '../../helpers/reference-bootstrap.ts';

const metrics: MetricsOptions = { seed: 0, resamples: 0, run: { mode: 'likelihood', templateId: 'global-opinions/letters', modelKind: 'hub' } };
const details = (m: ReturnType<typeof scoreGlobalOpinions>) => m.details as unknown as GlobalOpinionsDetails;

function result(id: string, options: string[], distribution: number[] | null, countries: Record<string, number[]>, skipped: string[] = []): ItemResult {
  const refs: GlobalOpinionsRefs = { countries, skipped };
  return { id, meta: { source: 'GAS', row: Number(id) }, refs: refs as unknown as Record<string, unknown>, options, distribution };
}

/**
 * Hand-made: "Britain" and "Great Britain" are different surveys that both resolve to GBR.
 * SciPy 1.17, 1 - scipy.spatial.distance.jensenshannon(p, q) (natural log):
 *   p = [.5,.3,.2] vs [.2,.5,.3] -> 0.7744459875338097
 *   p = [.5,.3,.2] vs [.6,.3,.1] -> 0.8962174389139603
 *   p = [.5,.3,.2] vs [.4,.2,.4] -> 0.8424966544787322   ([.36,.18,.36] renormalised at load)
 *   uniform vs [.2,.5,.3] -> 0.8686570094725481; vs [.6,.3,.1] -> 0.7700172183433689; vs [.4,.2,.4] -> 0.8929632049171855
 */
const ITEMS = [
  result('1', ['Yes', 'No', 'DK/Refused'], [0.5, 0.3, 0.2], { Britain: [0.2, 0.5, 0.3], 'Great Britain': [0.6, 0.3, 0.1] }),
  result('2', ['A lot', 'Some', 'None'], [0.5, 0.3, 0.2], { Britain: [0.4, 0.2, 0.4] }, ['Germany']),
  result('3', ['Yes', 'No', 'DK/Refused'], null, { Britain: [0.5, 0.5, 0] }),
];

describe('GlobalOpinionQA similarity per country', () => {
  const d = details(scoreGlobalOpinions(ITEMS, metrics, null));

  it('mean over each country\'s questions of 1 - JSD (natural log), keyed by the raw label', () => {
    expect(d.countries.map((c) => [c.country, c.iso3, c.questions, c.rank])).toEqual([
      ['Great Britain', 'GBR', 1, 1],
      ['Britain', 'GBR', 2, 2],
    ]);
    expect(d.countries[0]!.similarity).toBeCloseTo(0.8962174389139603, 14);
    expect(d.countries[1]!.similarity).toBeCloseTo((0.7744459875338097 + 0.8424966544787322) / 2, 14);
    expect(d.countries[0]!.uniform).toBeCloseTo(0.7700172183433689, 14);
    expect(d.countries[1]!.uniform).toBeCloseTo((0.8686570094725481 + 0.8929632049171855) / 2, 14);
  });

  it('counts excluded items (no distribution) and skipped entries; a label only ever skipped is listed apart', () => {
    expect(d.scored).toBe(2);
    expect(d.excluded).toBe(1);
    expect(d.unscored).toEqual(['Germany']);
    expect(d.countries.every((c) => c.skipped === 0)).toBe(true);
  });

  it('headline: the most similar country and the mean over countries', () => {
    const m = scoreGlobalOpinions(ITEMS, metrics, null);
    expect(m.headline.map((h) => h.key)).toEqual(['mostSimilar', 'meanOverCountries']);
    expect(m.headline[0]!.label).toBe('Most similar country: Great Britain');
    expect(d.mostSimilar).toBe('Great Britain');
    expect(d.meanOverCountries).toBeCloseTo((0.8962174389139603 + (0.7744459875338097 + 0.8424966544787322) / 2) / 2, 14);
    // The uniform answer's mean over the two countries, SciPy (1 - jensenshannon([1/3]*3, q)):
    // (0.7700172183433687 + (0.8686570094725481 + 0.8929632049171855) / 2) / 2 = 0.8254136627691178
    expect(d.uniformMeanOverCountries).toBeCloseTo(0.8254136627691178, 14);
    expect(m.headline[1]!.note).toMatch(/; uniform 0\.825;/);
  });

  it('a persona run reports its country\'s rank (best label when several resolve to it)', () => {
    const m = scoreGlobalOpinions(ITEMS, metrics, 'GBR');
    expect(details(m).persona).toMatchObject({ iso3: 'GBR', name: 'United Kingdom', labels: ['Great Britain', 'Britain'], rank: 1, of: 2 });
    expect(m.headline.at(-1)).toMatchObject({ key: 'persona.rank', value: 1 });
  });

  it('bootstrap intervals over each country\'s questions, seeded and reproducible', () => {
    const a = details(scoreGlobalOpinions(ITEMS, { ...metrics, resamples: 200, seed: 3 }, null));
    expect(a).toEqual(details(scoreGlobalOpinions(ITEMS, { ...metrics, resamples: 200, seed: 3 }, null)));
    const britain = a.countries.find((c) => c.country === 'Britain')!;
    // Two questions: every resample's mean is one of s1, s2 or their mean.
    expect(britain.low!).toBeGreaterThanOrEqual(0.7744459875338097 - 1e-12);
    expect(britain.high!).toBeLessThanOrEqual(0.8424966544787322 + 1e-12);
    expect(a.countries[0]!.low).toBeCloseTo(a.countries[0]!.similarity, 14); // one question: no spread
  });

  it('95% intervals: NumPy\'s 2.5th and 97.5th percentiles of the mean similarity over the seeded resamples', () => {
    // 40 questions; the model answers [.5,.3,.2] throughout, Spain's shares vary by question.
    const shares = (i: number) => [1 + (i % 5), 1 + (i % 3), 1 + (i % 7)].map((x, _, a) => x / (a[0]! + a[1]! + a[2]!));
    const many = Array.from({ length: 40 }, (_, i) => result(String(i), ['Yes', 'No', 'DK/Refused'], [0.5, 0.3, 0.2], { Spain: shares(i) }));
    const spain = details(scoreGlobalOpinions(many, { ...metrics, resamples: 500, seed: 9 }, null)).countries[0]!;
    // Reference: the same index stream (seed "<seed>:global-opinions:<label>"), the mean of a naive
    // 1 - JSD (natural log) per question over each resample, np.percentile(values, [2.5, 97.5]).
    const sims = many.map((_, i) => referenceSimilarity([0.5, 0.3, 0.2], shares(i)));
    const ref = reference95(40, 500, '9:global-opinions:Spain', (idx) => meanAt(sims, idx));
    expect(ref.high - ref.low).toBeGreaterThan(0.01);
    expect(Math.abs(spain.low! - ref.low)).toBeLessThan(1e-12);
    expect(Math.abs(spain.high! - ref.high)).toBeLessThan(1e-12);
  });

  it('gives the position-bias index over the items scored under several orders', () => {
    // By hand (mean over items of the mean total-variation distance of each rotation to their mean):
    //   1: [.5,.3,.2], [.2,.5,.3], [.3,.2,.5] -> mean [1/3,1/3,1/3]; TV .5*(1/6+1/30+2/15) = 1/6 each -> 1/6
    //   2: [.5,.3,.2], [.5,.3,.2]             -> 0
    // index = (1/6 + 0) / 2 = 1/12
    const rotated = [
      { ...ITEMS[0]!, rotations: [[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.3, 0.2, 0.5]] },
      { ...ITEMS[1]!, rotations: [[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]] },
      ITEMS[2]!,
    ];
    const m = scoreGlobalOpinions(rotated, metrics, null);
    expect(details(m).positionBias).toBeCloseTo(1 / 12, 14);
    expect(m.headline.find((h) => h.key === 'positionBias')!.value).toBeCloseTo(1 / 12, 14);
  });

  it('nothing scored: nulls, not NaN', () => {
    const m = scoreGlobalOpinions([ITEMS[2]!], { ...metrics, resamples: 50 }, null);
    expect(m.headline.map((h) => h.value)).toEqual([null, null]);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe('GlobalOpinionQA on the fixture', () => {
  it('the uniform model scores exactly each country\'s uniform floor; the world table is sorted', async () => {
    const { items } = releaseItems(await readTable('g.csv', new Uint8Array(readFileSync(`${FIXTURES}/global-opinions/data/global_opinions.csv`))), 'g.csv');
    const results: ItemResult[] = items.map((i) => ({ id: i.id, meta: i.meta, refs: i.refs, options: i.options, distribution: i.options.map(() => 1 / i.options.length) }));
    const d = details(scoreGlobalOpinions(results, metrics, null));
    expect(d.countries).toHaveLength(12);
    for (const c of d.countries) expect(c.similarity).toBe(c.uniform);
    for (let i = 1; i < d.countries.length; i++) expect(d.countries[i - 1]!.similarity).toBeGreaterThanOrEqual(d.countries[i]!.similarity);
    expect(d.countries.find((c) => c.country === 'Germany')!.skipped).toBe(1);
    expect(d.countries.find((c) => c.country === "Côte d'Ivoire")!.iso3).toBe('CIV');
    // Spot check, "Do you expect prices": 1 - jensenshannon([.2]*5, [1/3, 1/3, 1/3, 0, 0]) = 0.5951585618621043 (SciPy)
    const prices = items.findIndex((i) => i.question.startsWith('Do you expect prices'));
    const one = details(scoreGlobalOpinions([results[prices]!], metrics, null));
    expect(one.countries.find((c) => c.country === "Côte d'Ivoire")!.similarity).toBeCloseTo(0.5951585618621043, 14);
  });
});

describe('GlobalOpinionQA scoring of an edited record', () => {
  it('an entry with the wrong length or all zeros is skipped and counted, not a crash', () => {
    const m = scoreGlobalOpinions(
      [result('1', ['Yes', 'No'], [0.5, 0.5], { Kenya: [0.5, 0.5], Peru: [0, 0], Chile: [0.2, 0.3, 0.5] })],
      metrics,
      null,
    );
    const d = details(m);
    expect(d.countries.map((c) => c.country)).toEqual(['Kenya']);
    expect(d.unscored).toEqual(['Chile', 'Peru']);
  });
});
