import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/core/items/item.ts';
import type { ItemResult } from '../../../src/core/record/schema.ts';
import { readArrowTable } from '../../../src/sources/formats/arrow.ts';
import { readTable } from '../../../src/sources/formats/table.ts';
import { incomePairs, incomeSide } from '../../../src/suites/dvmap/flip.ts';
import { buildMajorityTable, majorityPrediction } from '../../../src/suites/dvmap/majority.ts';
import { releaseItems, type DvmapRefs } from '../../../src/suites/dvmap/release.ts';
import { scoreDvmap, type DvmapDetails } from '../../../src/suites/dvmap/score.ts';
import type { MetricsOptions } from '../../../src/suites/suite.ts';
import { FIXTURES } from '../../helpers/fixture-hosts.ts';
import { meanAt, reference95 } from '../../helpers/reference-bootstrap.ts';

const CORPUS = `${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus`;
const BENCHMARK = `${FIXTURES}/dvmap/Triple-Generalization_Evaluation_Benchmark`;
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));

const direct: MetricsOptions = { seed: 0, resamples: 0, run: { mode: 'likelihood', templateId: 'dvmap/direct', modelKind: 'hub' } };
const details = (m: ReturnType<typeof scoreDvmap>) => m.details as unknown as DvmapDetails;

const LIKERT = ['Very important', 'Rather important', 'Not very important', 'Not at all important'];
const HAPPY = ['Very happy', 'Rather happy', 'Not very happy', 'Not at all happy'];
const LMH = ['Low', 'Medium', 'High'];
const PROFILE = {
  country: 'Japan',
  iso3: 'JPN',
  gender: 'Female',
  maritalStatus: 'Married',
  hasChildren: 'Yes',
  education: 'Bachelor or equivalent',
  occupation: 'Clerical',
  workNature: 'Private business or industry',
  religion: 'Buddhist',
  lifeStage: 'Middle Adulthood',
  language: 'Japanese',
};

function result(id: string, qid: string, options: string[], gold: number, distribution: number[] | null, income: string): ItemResult {
  const refs: DvmapRefs = { gold, k: options.length };
  return { id, meta: { qid, category: qid === 'Q1' ? 'Values' : 'Well-being', ...PROFILE, income }, refs: refs as unknown as Record<string, unknown>, options, distribution };
}

/**
 * Hand-made items. y_hat = argmax (ties lowest); |y_hat - y| / (K - 1):
 *   1 Q1  High  gold 0  [.7,.1,.1,.1]  -> 0  hit   0
 *   2 Q1  Low   gold 1  [0,.6,.4,0]    -> 1  hit   0          (pair 1-2: flips 0 -> 1; gold flips)
 *   3 Q1  Middle gold 3 [0,0,1,0]      -> 2  miss  1/3
 *   4 Q49 High  gold 2  [.2,.3,.5]     -> 2  hit   0
 *   5 Q49 Low   gold 0  [0,0,1]        -> 2  miss  2/2 = 1    (pair 4-5: no flip; gold flips)
 *   6 Q46 High  gold 0  null           -> excluded             (pair 6-7: excluded)
 *   7 Q46 Low   gold 0  [1,0,0,0]      -> 0  hit   0
 */
const ITEMS = [
  result('1', 'Q1', LIKERT, 0, [0.7, 0.1, 0.1, 0.1], 'High'),
  result('2', 'Q1', LIKERT, 1, [0, 0.6, 0.4, 0], 'Low'),
  result('3', 'Q1', LIKERT, 3, [0, 0, 1, 0], 'Middle'),
  result('4', 'Q49', LMH, 2, [0.2, 0.3, 0.5], 'High'),
  result('5', 'Q49', LMH, 0, [0, 0, 1], 'Low'),
  result('6', 'Q46', HAPPY, 0, null, 'High'),
  result('7', 'Q46', HAPPY, 0, [1, 0, 0, 0], 'Low'),
];

describe('DVMap metrics on hand-made items', () => {
  const m = scoreDvmap(ITEMS, direct);
  const d = details(m);

  it('accuracy and Likert consistency over scored items; null distributions excluded and counted', () => {
    expect(d.scored).toBe(6);
    expect(d.excluded).toBe(1);
    // 4 hits of 6
    expect(d.accuracy.value).toBe(4 / 6);
    // LC = 1 - (0 + 0 + 1/3 + 0 + 1 + 0) / 6 = 1 - 2/9 = 7/9
    expect(d.likertConsistency.value).toBeCloseTo(7 / 9, 15);
  });

  it('Wasserstein per question id, then averaged, also / (K-1)', () => {
    // Q1: pred hist [1,1,1,0], gold [1,1,0,1]: CDFs 1/3,2/3,1 vs 1/3,2/3,2/3 -> 1/3
    //   (scipy.stats.wasserstein_distance(range(4), range(4), [1,1,1,0], [1,1,0,1]) = 0.33333333333333337)
    // Q46: [1,0,0,0] vs [1,0,0,0] -> 0.  Q49: pred [0,0,2], gold [1,0,1] -> 1.0 (SciPy 1.0)
    expect(d.questions.map((q) => [q.qid, q.n, q.predicted, q.gold])).toEqual([
      ['Q1', 3, [1, 1, 1, 0], [1, 1, 0, 1]],
      ['Q46', 1, [1, 0, 0, 0], [1, 0, 0, 0]],
      ['Q49', 2, [0, 0, 2], [1, 0, 1]],
    ]);
    expect(d.questions[0]!.wasserstein).toBeCloseTo(1 / 3, 15);
    expect(d.questions[2]!.wassersteinNormalized).toBe(0.5);
    // mean (1/3 + 0 + 1) / 3 = 4/9; normalised (1/9 + 0 + 1/2) / 3 = 11/54
    expect(d.wasserstein.value).toBeCloseTo(4 / 9, 15);
    expect(d.wassersteinNormalized.value).toBeCloseTo(11 / 54, 15);
  });

  it('value flip rate over High/Low pairs whose two sides are scored', () => {
    expect(d.flip.pairs).toBe(2);
    expect(d.flip.excludedPairs).toBe(1);
    expect(d.flip.flipped).toBe(1);
    expect(d.flip.rate.value).toBe(0.5);
    expect(d.flip.goldRate).toBe(1);
    expect(d.flip.byQuestion).toEqual([
      { qid: 'Q1', pairs: 1, flipped: 1, goldFlipped: 1, rate: 1 },
      { qid: 'Q49', pairs: 1, flipped: 0, goldFlipped: 1, rate: 0 },
    ]);
  });

  it('breaks down by attribute, country, question and category', () => {
    expect(d.breakdowns.income!.map((g) => [g.value, g.n, g.accuracy])).toEqual([
      ['High', 2, 1],
      ['Low', 3, 2 / 3],
      ['Middle', 1, 0],
    ]);
    expect(d.breakdowns.country!.map((g) => [g.value, g.n])).toEqual([['Japan', 6]]);
    expect(d.breakdowns.qid!.map((g) => g.value)).toEqual(['Q1', 'Q46', 'Q49']);
    expect(Object.keys(d.breakdowns).sort()).toEqual(
      ['category', 'country', 'education', 'gender', 'hasChildren', 'income', 'language', 'lifeStage', 'maritalStatus', 'occupation', 'qid', 'religion', 'workNature'].sort(),
    );
  });

  it('headline: accuracy, LC, normalised WD, flip rate; accuracy official only for the release\'s reasoning prompt generated', () => {
    expect(m.headline.map((h) => h.key)).toEqual(['accuracy', 'likertConsistency', 'wassersteinNormalized', 'flipRate']);
    expect(m.headline[0]!.official).toBe(false);
    expect(d.officialReason).toMatch(/direct prompt/);
    const official = scoreDvmap(ITEMS, { ...direct, run: { mode: 'generate', templateId: 'dvmap/release-reasoning', modelKind: 'hub' } });
    expect(official.headline[0]!.official).toBe(true);
    expect(details(official).official).toBe(true);
    const likelihood = scoreDvmap(ITEMS, { ...direct, run: { mode: 'likelihood', templateId: 'dvmap/release-reasoning', modelKind: 'hub' } });
    expect(details(likelihood).officialReason).toMatch(/likelihood/);
    // The release's prompt with another answer rule or a shorter reply limit is not its protocol.
    const reasoning = { mode: 'generate' as const, templateId: 'dvmap/release-reasoning', modelKind: 'hub', order: 'fixed' as const, samples: 1 };
    expect(details(scoreDvmap(ITEMS, { ...direct, run: { ...reasoning, maxNewTokens: 1024, parser: 'dvmap-release: ...' } })).official).toBe(true);
    const short = details(scoreDvmap(ITEMS, { ...direct, run: { ...reasoning, maxNewTokens: 4, parser: 'dvmap-release: ...' } }));
    expect([short.official, short.officialReason]).toEqual([false, "not the paper's protocol: the release's reasoning prompt, but at most 4 new tokens (the release: 1024)"]);
    expect(details(scoreDvmap(ITEMS, { ...direct, run: { ...reasoning, maxNewTokens: 1024, parser: 'answer-tag: ...' } })).official).toBe(false);
  });

  it('a generation with no readable answer counts wrong in accuracy (as the release counts a missing tag), and is left out of LC, WD and flips', () => {
    const unreadable = (id: string, qid: string, options: string[], gold: number, income: string): ItemResult => ({
      ...result(id, qid, options, gold, null, income),
      raw: ['I think family matters a lot.'],
      parsed: [null],
      invalid: 1,
    });
    const withGaps = [...ITEMS, unreadable('8', 'Q1', LIKERT, 0, 'Middle'), unreadable('9', 'Q60', ['A great deal', 'Quite a lot', 'Not very much', 'None at all'], 1, 'High')];
    const g = details(scoreDvmap(withGaps, { ...direct, run: { mode: 'generate', templateId: 'dvmap/release-reasoning', modelKind: 'hub' } }));
    expect([g.scored, g.unanswered, g.excluded]).toEqual([6, 2, 1]);
    // 4 hits of 6 answered + 2 unanswered: 4/8 (before: 4/6, the unreadable answers silently dropped)
    expect(g.accuracy.value).toBe(0.5);
    // LC and WD over the answered items only: unchanged
    expect(g.likertConsistency.value).toBeCloseTo(7 / 9, 15);
    expect(g.wasserstein.value).toBe(d.wasserstein.value);
    // Q1: hits 1, 2 of 3 answered + 1 unanswered; Q60 only unanswered: accuracy 0, no histogram scores
    expect(g.questions.map((q) => [q.qid, q.n, q.unanswered, q.accuracy, q.likertConsistency])).toEqual([
      ['Q1', 3, 1, 0.5, d.questions[0]!.likertConsistency],
      ['Q46', 1, 0, 1, 1],
      ['Q49', 2, 0, 0.5, 0.5],
      ['Q60', 0, 1, 0, null],
    ]);
    expect(g.breakdowns.income!.map((x) => [x.value, x.n, x.unanswered, x.accuracy])).toEqual([
      ['High', 2, 1, 2 / 3],
      ['Low', 3, 0, 2 / 3],
      ['Middle', 1, 1, 0],
    ]);
    expect(g.flip.pairs).toBe(d.flip.pairs);
    expect(scoreDvmap(withGaps, direct).headline[0]!.note).toMatch(/^8 items, 2 without a readable answer \(counted wrong\), 1 without an answer \(excluded\)/);
  });

  it('argmax ties go to the lowest index', () => {
    const tie = scoreDvmap([result('t', 'Q1', LIKERT, 1, [0.25, 0.25, 0.25, 0.25], 'High')], direct);
    // y_hat = 0, gold 1: accuracy 0, LC = 1 - 1/3
    expect(details(tie).accuracy.value).toBe(0);
    expect(details(tie).likertConsistency.value).toBeCloseTo(2 / 3, 15);
  });

  it('seeded bootstrap intervals bracket the estimates and are reproducible', () => {
    const withCi = { ...direct, resamples: 300, seed: 7 };
    const a = details(scoreDvmap(ITEMS, withCi));
    const b = details(scoreDvmap(ITEMS, withCi));
    expect(a).toEqual(b);
    for (const e of [a.accuracy, a.likertConsistency, a.wasserstein, a.wassersteinNormalized, a.flip.rate]) {
      expect(e.low).not.toBeNull();
      expect(e.low!).toBeLessThanOrEqual(e.value!);
      expect(e.high!).toBeGreaterThanOrEqual(e.value!);
    }
  });

  it('95% intervals: NumPy\'s 2.5th and 97.5th percentiles over the seeded resamples; accuracy\'s width near the normal approximation', () => {
    // 300 items of a 4-point question: gold i mod 4; the model hits the even items and answers
    // gold + 1 (mod 4) on the odd ones: accuracy 1/2.
    const pred = (i: number) => (i % 2 === 0 ? i % 4 : ((i % 4) + 1) % 4);
    const many = Array.from({ length: 300 }, (_, i) => result(`m${i}`, 'Q1', LIKERT, i % 4, [0, 1, 2, 3].map((c) => (c === pred(i) ? 1 : 0)), 'Middle'));
    const d = details(scoreDvmap(many, { ...direct, resamples: 1000, seed: 11 }));
    expect(d.accuracy.value).toBe(0.5);
    const hits = many.map((_, i) => (i % 2 === 0 ? 1 : 0));
    const closeness = many.map((_, i) => 1 - Math.abs(pred(i) - (i % 4)) / 3);
    // Reference: the same index stream (seed "<seed>:dvmap:<metric>"), the mean over each
    // resample's items, np.percentile(values, [2.5, 97.5]).
    const acc = reference95(300, 1000, '11:dvmap:accuracy', (idx) => meanAt(hits, idx));
    const lc = reference95(300, 1000, '11:dvmap:lc', (idx) => meanAt(closeness, idx));
    expect(Math.abs(d.accuracy.low! - acc.low)).toBeLessThan(1e-12);
    expect(Math.abs(d.accuracy.high! - acc.high)).toBeLessThan(1e-12);
    expect(Math.abs(d.likertConsistency.low! - lc.low)).toBeLessThan(1e-12);
    expect(Math.abs(d.likertConsistency.high! - lc.high)).toBeLessThan(1e-12);
    // Normal approximation: 2 * 1.96 * sqrt(.5 * .5 / 300) = 0.11316...; an 80% interval would be
    // about 0.074 wide, a 20% one about 0.015.
    expect(Math.abs(d.accuracy.high! - d.accuracy.low! - 2 * 1.96 * Math.sqrt(0.25 / 300))).toBeLessThan(0.015);
  });

  it('gives the position-bias index over the items scored under several orders', () => {
    // By hand (mean over items of the mean total-variation distance of each rotation to their mean):
    //   1: the four one-hot answers   -> mean [.25,.25,.25,.25]; TV .5*(.75+.25*3) = .75 each -> .75
    //   2: [.5,.5,0,0], [.5,0,.5,0]   -> mean [.5,.25,.25,0];    TV .25 each -> .25
    //   3: one rotation, the rest none -> left out
    // index = (.75 + .25) / 2 = .5
    const rotated = [
      { ...ITEMS[0]!, rotations: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] },
      { ...ITEMS[1]!, rotations: [[0.5, 0.5, 0, 0], [0.5, 0, 0.5, 0]] },
      { ...ITEMS[2]!, rotations: [[0, 0, 1, 0]] },
      ...ITEMS.slice(3),
    ];
    const m = scoreDvmap(rotated, direct);
    expect(details(m).positionBias).toBeCloseTo(0.5, 14);
    expect(m.headline.find((h) => h.key === 'positionBias')!.value).toBeCloseTo(0.5, 14);
  });

  it('no scored item: every value null, nothing thrown', () => {
    const none = scoreDvmap([result('x', 'Q8', ['Mentioned', 'Not mentioned'], 0, null, 'High')], { ...direct, resamples: 100 });
    expect(none.headline.map((h) => h.value)).toEqual([null, null, null, null]);
    expect(details(none).excluded).toBe(1);
    expect(JSON.parse(JSON.stringify(none))).toEqual(none);
  });
});

describe('income pairs', () => {
  it('reads High/Low spellings and ignores Middle', () => {
    expect(['High', 'high income', ' LOW ', 'Middle', 'Not Answered', null].map((v) => incomeSide(v))).toEqual(['high', 'high', 'low', null, null, null]);
  });

  it('pairs items identical except income', () => {
    const metas = [
      { qid: 'Q1', ...PROFILE, income: 'High' },
      { qid: 'Q1', ...PROFILE, income: 'Middle' },
      { qid: 'Q1', ...PROFILE, income: 'Low' },
      { qid: 'Q2', ...PROFILE, income: 'Low' }, // another question: no partner
      { qid: 'Q1', ...PROFILE, gender: 'Male', income: 'Low' }, // another profile: no partner
    ];
    expect(incomePairs(metas)).toEqual([[0, 2]]);
  });
});

describe('DVMap metrics on the fixtures', () => {
  async function items(kind: 'test' | 'cross-demographic'): Promise<Item[]> {
    const table =
      kind === 'test'
        ? await readTable('test.parquet', bytesOf(`${CORPUS}/test.parquet`))
        : readArrowTable('cd.arrow', bytesOf(`${BENCHMARK}/Cross-Demographic/data-00000-of-00001.arrow`));
    return releaseItems(table, { split: kind, source: kind, prompt: 'direct' }).items;
  }
  const asResults = (list: Item[], predict: (item: Item) => number[] | null): ItemResult[] =>
    list.map((item) => ({ id: item.id, meta: item.meta, refs: item.refs, options: item.options, distribution: predict(item) }));
  const goldModel = (item: Item) => item.options.map((_, i) => (i === (item.refs as unknown as DvmapRefs).gold ? 1 : 0));

  it.each([
    ['test', 40, 15],
    ['cross-demographic', 32, 12],
  ] as const)('a model that predicts gold: accuracy 1, WD 0, flip rate 0.375 on %s (README: %i pairs, %i flips)', async (kind, pairs, flips) => {
    const d = details(scoreDvmap(asResults(await items(kind), goldModel), direct));
    expect(d.accuracy.value).toBe(1);
    expect(d.likertConsistency.value).toBe(1);
    expect(d.wasserstein.value).toBe(0);
    expect(d.flip.pairs).toBe(pairs);
    expect(d.flip.flipped).toBe(flips);
    expect(d.flip.rate.value).toBe(0.375);
    expect(d.flip.goldRate).toBe(0.375);
    // Q1 and Q6 never flip, Q49 always, Q46 on even-numbered pairs.
    expect(d.flip.byQuestion.map((q) => [q.qid, q.rate])).toEqual([
      ['Q1', 0],
      ['Q6', 0],
      ['Q46', 0.5],
      ['Q49', 1],
    ]);
  });

  it('the majority baseline on the corpus test split equals an independent Python/SciPy computation', async () => {
    const train = buildMajorityTable(await readTable('train.parquet', bytesOf(`${CORPUS}/train.parquet`)), 'train');
    const d = details(scoreDvmap(asResults(await items('test'), (item) => majorityPrediction(train, item)), direct));
    // Python (collections.Counter majority, scipy.stats.wasserstein_distance per Q_id) on the same rows:
    // acc 0.5692307692307692, lc 0.7897435897435898, wd 0.2924470457079153, wdn 0.10231326644370123; 0 of 40 pairs flip.
    expect(d.accuracy.value).toBeCloseTo(0.5692307692307692, 14);
    expect(d.likertConsistency.value).toBeCloseTo(0.7897435897435898, 14);
    expect(d.wasserstein.value).toBeCloseTo(0.2924470457079153, 14);
    expect(d.wassersteinNormalized.value).toBeCloseTo(0.10231326644370123, 14);
    expect(d.flip.rate.value).toBe(0);
    expect(d.flip.goldRate).toBe(0.375);
  });
});
