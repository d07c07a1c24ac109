import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../../../src/core/record/schema.ts';
import { fairPpStatistics, scoreFairPp, type FairPpDetails } from '../../../src/suites/fair-pp/score.ts';
import type { RunContext } from '../../../src/suites/suite.ts';
import { reference95, referenceSimilarity, sumAt } from '../../helpers/reference-bootstrap.ts';

const OPTIONS = ['Merit', 'Equality', 'N/A'];
const hot = (k: number) => [0, 1, 2].map((i) => (i === k ? 1 : 0));

function item(id: string, distribution: number[], s1: number, s2: number, meta: Record<string, string | number> = {}): ItemResult {
  return { id, meta, refs: { anchors: { S1: hot(s1), S2: hot(s2) } }, options: OPTIONS, distribution };
}

const ITEMS = [
  item('a', [1, 0, 0], 0, 1, { dimension: 1 }),
  item('b', [0, 1, 0], 0, 2, { dimension: 1 }),
  item('c', [0.5, 0.5, 0], 1, 1, { dimension: 2 }),
  item('d', [0, 0, 1], 2, 2, { dimension: 2 }),
];

const generateRun = { mode: 'generate' as const, templateId: 'fair-pp/official-eval', modelKind: 'hub' };

describe('FAIR-SP scoring', () => {
  it('pools answers over the split and scores 1 - JSD (natural log), as the release does', () => {
    const m = scoreFairPp(ITEMS, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: true });
    const d = m.details as unknown as FairPpDetails;
    // model pool = mean([1,0,0],[0,1,0],[.5,.5,0],[0,0,1]) = [.375,.375,.25]
    expect(d.modelPool).toEqual([0.375, 0.375, 0.25]);
    // S1 answered A, A, B, C -> [.5, .25, .25]; SciPy: 1 - jensenshannon([.375,.375,.25],[.5,.25,.25]) = 0.8962120253925823
    expect(d.segments[0]!.similarity).toBeCloseTo(0.8962120253925823, 12);
    // S2 answered B, C, B, C -> [0, .5, .5]: 0.605434325310812
    expect(d.segments[1]!.similarity).toBeCloseTo(0.605434325310812, 12);
    expect(d.nearest).toBe('S1');
    expect(d.official).toBe(true);
    expect(m.headline[0]!.official).toBe(true);
    // uniform floor for S1: 1 - jensenshannon([1/3]*3, [.5,.25,.25]) = 0.8801559698435223
    expect(d.segments[0]!.uniform).toBeCloseTo(0.8801559698435223, 12);
    // agreement with S1: argmax a=0 (S1 0) yes; b=1 (0) no; c=0 (tie -> first; S1 1) no; d=2 (2) yes -> 0.5
    expect(d.segments[0]!.agreement).toBe(0.5);
    // mean per-question similarity to S1, computed in Python (math.log): 0.6757359962049608
    expect(d.segments[0]!.perQuestion).toBeCloseTo(0.6757359962049608, 12);
  });

  it('scores each question against one-option answers, counts and spread answers alike', () => {
    // S1 answers as a count on one option (5 respondents chose B) and as a spread distribution.
    const mixed: ItemResult[] = [
      { id: 'x', meta: {}, refs: { anchors: { S1: [0, 5, 0] } }, options: OPTIONS, distribution: [0.6, 0.3, 0.1] },
      { id: 'y', meta: {}, refs: { anchors: { S1: [0.2, 0.3, 0.5] } }, options: OPTIONS, distribution: [0.2, 0.5, 0.3] },
    ];
    const d = scoreFairPp(mixed, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: true }).details as unknown as FairPpDetails;
    // Python (math.log): mean(1 - JSD([.6,.3,.1], [0,1,0]), 1 - JSD([.2,.5,.3], [.2,.3,.5])) = 0.6281117497741815
    expect(d.segments[0]!.perQuestion).toBeCloseTo(0.6281117497741815, 12);
    expect(d.segments[0]!.agreement).toBe(0);
  });

  it('counts agreement only over the questions a segment answered', () => {
    // S1 answered only question x (B); the model's top answer is A on both. Before the fix, the
    // missing anchor row (all zeros) read as "A" and y counted as agreement: 1/2 instead of 0/1.
    const partial: ItemResult[] = [
      { id: 'x', meta: {}, refs: { anchors: { S1: hot(1), S2: hot(0) } }, options: OPTIONS, distribution: [0.6, 0.4, 0] },
      { id: 'y', meta: {}, refs: { anchors: { S2: hot(0) } }, options: OPTIONS, distribution: [0.7, 0.3, 0] },
    ];
    const d = scoreFairPp(partial, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: true }).details as unknown as FairPpDetails;
    expect(d.segments.map((s) => [s.segment, s.agreement])).toEqual([
      ['S1', 0],
      ['S2', 1],
    ]);
    // The per-question mean likewise runs over x alone: 1 - JSD([.6,.4,0], [0,1,0]) (Python, math.log) = 0.47620760930473105
    expect(d.segments[0]!.perQuestion).toBeCloseTo(0.47620760930473105, 12);
  });

  it('breaks down by dimension with the same pooled score', () => {
    const m = scoreFairPp(ITEMS, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: true });
    const d = m.details as unknown as FairPpDetails;
    const dims = d.breakdowns.dimension!;
    expect(dims.map((g) => [g.value, g.n])).toEqual([
      ['1', 2],
      ['2', 2],
    ]);
    // dimension 1: model [.5,.5,0] vs S1 [1,0,0] -> 0.535498595977541; dimension 2: [.25,.25,.5] vs S2 [0,.5,.5] -> 0.671547907345047
    expect(dims[0]!.similarity.S1).toBeCloseTo(0.535498595977541, 12);
    expect(dims[1]!.similarity.S2).toBeCloseTo(0.671547907345047, 12);
  });

  it('orders groups naturally, leaves items without the attribute out, and scores each group by pooling its items', () => {
    const items = [
      item('a', [1, 0, 0], 0, 1, { group: 'group 10' }),
      item('b', [0, 1, 0], 0, 2, { group: 'group 2' }),
      item('c', [0.5, 0.5, 0], 1, 1, { group: 'group 10' }),
      item('d', [0, 0, 1], 2, 2, {}),
    ];
    const d = scoreFairPp(items, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: true }).details as unknown as FairPpDetails;
    const groups = d.breakdowns.group!;
    expect(groups.map((g) => [g.value, g.n])).toEqual([
      ['group 2', 1],
      ['group 10', 2],
    ]);
    // group 10: model mean([1,0,0],[.5,.5,0]) = [.75,.25,0]; S1 answered A, B -> [.5,.5,0];
    // 1 - jensenshannon([.75,.25,0],[.5,.5,0]) (natural log, computed in Python) = 0.8160922090595257
    expect(groups[1]!.modelPool).toEqual([0.75, 0.25, 0]);
    expect(groups[1]!.similarity.S1).toBeCloseTo(0.8160922090595257, 12);
    // group 2: model [0,1,0] vs S2 [0,0,1]: disjoint -> 1 - sqrt(ln 2)
    expect(groups[0]!.similarity.S2).toBeCloseTo(1 - Math.sqrt(Math.LN2), 12);
  });

  it('labels likelihood runs and our own bank as not official', () => {
    const likelihood = scoreFairPp(ITEMS, { seed: 0, resamples: 0, run: { ...generateRun, mode: 'likelihood' } }, { roleplay: false, officialQuestions: true });
    expect((likelihood.details as unknown as FairPpDetails).official).toBe(false);
    expect((likelihood.details as unknown as FairPpDetails).officialReason).toMatch(/likelihood/);
    const local = scoreFairPp(ITEMS, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: false });
    expect((local.details as unknown as FairPpDetails).officialReason).toMatch(/own question bank/);
  });

  it('is official only with the release\'s generation settings', () => {
    const settings: RunContext = { ...generateRun, order: 'fixed', samples: 1, maxNewTokens: 256, parser: 'fair-pp-release: ...' };
    const score = (r: RunContext) => scoreFairPp(ITEMS, { seed: 0, resamples: 0, run: r }, { roleplay: false, officialQuestions: true }).details as unknown as FairPpDetails;
    expect(score(settings).official).toBe(true);
    const short = score({ ...settings, maxNewTokens: 16 });
    expect(short.official).toBe(false);
    expect(short.officialReason).toBe('not official: at most 16 new tokens (the release: 256)');
    expect(score({ ...settings, order: 'cyclic' }).official).toBe(false);
    expect(score({ ...settings, samples: 4 }).official).toBe(false);
    expect(score({ ...settings, parser: 'label: ...' }).officialReason).toMatch(/"label" answer parser/);
  });

  // Neither segment matches the model exactly (at similarity 1 a percentile interval sits below the estimate).
  const many = Array.from({ length: 60 }, (_, i) => item(`i${i}`, hot(i % 3), i % 2, i % 5 === 0 ? 2 : 1));

  it('gives seeded bootstrap intervals that contain the estimate, the same on every call', () => {
    const a = scoreFairPp(many, { seed: 5, resamples: 300, run: generateRun }, { roleplay: false, officialQuestions: true });
    const b = scoreFairPp(many, { seed: 5, resamples: 300, run: generateRun }, { roleplay: false, officialQuestions: true });
    expect(a).toEqual(b);
    for (const s of (a.details as unknown as FairPpDetails).segments) {
      expect(s.low!).toBeLessThanOrEqual(s.similarity);
      expect(s.high!).toBeGreaterThanOrEqual(s.similarity);
      expect(s.noiseCeiling!).toBeGreaterThan(0.9);
    }
  });

  it('gives the 95% interval as NumPy\'s 2.5th and 97.5th percentiles of the pooled 1 - JSD over the seeded resamples', () => {
    const d = scoreFairPp(many, { seed: 5, resamples: 300, run: generateRun }, { roleplay: false, officialQuestions: true }).details as unknown as FairPpDetails;
    const model = many.map((i) => i.distribution!);
    expect(d.segments.map((s) => s.segment)).toEqual(['S1', 'S2']);
    for (const s of d.segments) {
      const anchor = many.map((i) => (i.refs as { anchors: Record<string, number[]> }).anchors[s.segment]!);
      // Reference: the same index stream (seed "<seed>:fair-pp"), each resample's pools summed and
      // scored by a naive 1 - JSD (natural log), then np.percentile(values, [2.5, 97.5]).
      const ref = reference95(many.length, 300, '5:fair-pp', (idx) => referenceSimilarity(sumAt(model, idx), sumAt(anchor, idx)));
      expect(ref.high - ref.low, s.segment).toBeGreaterThan(0.02);
      expect(Math.abs(s.low! - ref.low), s.segment).toBeLessThan(1e-12);
      expect(Math.abs(s.high! - ref.high), s.segment).toBeLessThan(1e-12);
    }
  });

  it('leaves out the resamples that draw none of a segment\'s questions (they have no similarity; not 0)', () => {
    // S1 answered one question of 20; the model gives [.5, .5, 0] everywhere, so every resample
    // that has S1's question scores 1 - JSD([.5,.5,0], [0,1,0]) = 0.5354985959775411 (Python,
    // math.log), and about (1 - 1/20)^20 = 36% of resamples have none of it. Counting those as 0
    // gave the interval [0, 0.535].
    const sparse: ItemResult[] = Array.from({ length: 20 }, (_, i) => ({
      id: `q${i}`,
      meta: {},
      refs: { anchors: i === 0 ? { S1: hot(1), S2: hot(0) } : { S2: hot(0) } },
      options: OPTIONS,
      distribution: [0.5, 0.5, 0],
    }));
    const d = scoreFairPp(sparse, { seed: 3, resamples: 400, run: generateRun }, { roleplay: false, officialQuestions: true }).details as unknown as FairPpDetails;
    const s1 = d.segments[0]!;
    expect(s1.similarity).toBeCloseTo(0.5354985959775411, 12);
    expect(s1.low).toBeCloseTo(0.5354985959775411, 12);
    expect(s1.high).toBeCloseTo(0.5354985959775411, 12);
  });

  it('without any segment answers, the headline says why there is no similarity', () => {
    const bare: ItemResult[] = [{ id: 'x', meta: {}, refs: {}, options: OPTIONS, distribution: [0.6, 0.3, 0.1] }];
    const m = scoreFairPp(bare, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: false });
    expect(m.headline).toEqual([
      { key: 'similarity', label: 'Similarity to the segments', value: null, note: expect.stringMatching(/carry no segment answers: load an anchor pack/) },
    ]);
    expect((m.details as unknown as FairPpDetails).nearest).toBeNull();
  });

  it('gives the position-bias index over the items scored under several orders', () => {
    // By hand (mean over items of the mean total-variation distance of each rotation to their mean):
    //   a: [1,0,0], [0,1,0], [0,0,1] -> mean [1/3,1/3,1/3]; TV 2/3 each -> 2/3
    //   b: [.6,.4,0], [.4,.6,0]      -> mean [.5,.5,0];     TV .1 each  -> .1
    //   c: one rotation, d: none     -> left out
    // index = (2/3 + .1) / 2 = 0.38333...
    const rotated = [
      { ...ITEMS[0]!, rotations: [hot(0), hot(1), hot(2)] },
      { ...ITEMS[1]!, rotations: [[0.6, 0.4, 0], [0.4, 0.6, 0]] },
      { ...ITEMS[2]!, rotations: [[0.5, 0.5, 0]] },
      ITEMS[3]!,
    ];
    const m = scoreFairPp(rotated, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: true });
    expect((m.details as unknown as FairPpDetails).positionBias).toBeCloseTo(23 / 60, 14);
    expect(m.headline.find((h) => h.key === 'positionBias')!.value).toBeCloseTo(23 / 60, 14);
  });

  it('counts unanswered items and excludes them', () => {
    const withGap = [...ITEMS, { ...item('e', [1, 0, 0], 0, 0), distribution: null, invalid: 1 }];
    const d = scoreFairPp(withGap, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: true }).details as unknown as FairPpDetails;
    expect(d.scored).toBe(4);
    expect(d.unanswered).toBe(1);
    expect(d.invalidAnswers).toBe(1);
  });

  /** Two questions answered by personas S1 and S2 (option per persona); segment S1 answers A, S2 B. */
  const rolePlay = (answers: { S1: number; S2: number }) =>
    (['S1', 'S2'] as const).flatMap((p) => ['q1', 'q2'].map((q) => item(`${q}~${p}`, hot(answers[p]), 0, 1, { persona: p })));

  it('builds the role-play fidelity matrix: persona rows, segment columns', () => {
    // Persona S1 answers like segment S1 (A), persona S2 like S2 (B).
    const rp = rolePlay({ S1: 0, S2: 1 });
    const d = scoreFairPp(rp, { seed: 0, resamples: 0, run: generateRun }, { roleplay: true, officialQuestions: true }).details as unknown as FairPpDetails;
    expect(d.official).toBe(false);
    expect(d.roleplay!.personas).toEqual(['S1', 'S2']);
    expect(d.roleplay!.matrix[0]![0]).toBeCloseTo(1, 12);
    expect(d.roleplay!.matrix[1]![1]).toBeCloseTo(1, 12);
    // Off the diagonal: disjoint pools, the similarity's floor 1 - sqrt(ln 2).
    expect(d.roleplay!.matrix[0]![1]).toBeCloseTo(1 - Math.sqrt(Math.LN2), 12);
    expect(d.roleplay!.matrix[1]![0]).toBeCloseTo(1 - Math.sqrt(Math.LN2), 12);
    expect(d.roleplay!.fidelity).toBe(1);
  });

  it('role-play fidelity is the share of personas whose own segment is the nearest', () => {
    // Segment S1 answers A, S2 answers B; both personas answer A. Persona S1 is nearest S1
    // (similarity 1 vs the floor 1 - sqrt(ln 2)); persona S2 is nearest S1 too, not its own: 1 of 2.
    const m = scoreFairPp(rolePlay({ S1: 0, S2: 0 }), { seed: 0, resamples: 0, run: generateRun }, { roleplay: true, officialQuestions: true });
    const d = m.details as unknown as FairPpDetails;
    expect(d.roleplay!.fidelity).toBe(0.5);
    expect(m.headline.find((h) => h.key === 'roleplay.fidelity')!.value).toBe(0.5);
    // Diagonal: persona S1 vs S1 = 1; persona S2 vs S2 = 1 - sqrt(ln 2) = 0.16744 (disjoint pools).
    expect(d.roleplay!.diagonal.S1).toBeCloseTo(1, 12);
    expect(d.roleplay!.diagonal.S2).toBeCloseTo(1 - Math.sqrt(Math.LN2), 12);
  });

  describe('a segment that answered only some questions (a partial anchor pack)', () => {
    // 40 questions; the model answers question i with option i mod 3. S1 answered every question
    // (A on even, B on odd); S2 only questions 0 (A) and 1 (N/A).
    const partial: ItemResult[] = Array.from({ length: 40 }, (_, i) => ({
      id: `q${i}`,
      meta: { dimension: 1 + (i % 2) },
      refs: { anchors: { S1: hot(i % 2), ...(i === 0 ? { S2: hot(0) } : i === 1 ? { S2: hot(2) } : {}) } },
      options: OPTIONS,
      distribution: hot(i % 3),
    }));
    const d = scoreFairPp(partial, { seed: 3, resamples: 1000, run: generateRun }, { roleplay: false, officialQuestions: true }).details as unknown as FairPpDetails;
    const [s1, s2] = d.segments;

    it('is compared with the model\'s answers to the same questions', () => {
      // SciPy: 1 - jensenshannon([.35,.325,.325], [.5,.5,0]) = 0.6413357718696787 (all 40 questions)
      expect(s1!.similarity).toBeCloseTo(0.6413357718696787, 12);
      // S2: the model's answers to questions 0 and 1 are A and B: 1 - jensenshannon([.5,.5,0], [.5,0,.5])
      // = 0.41129498874226267 (over all 40 of the model's answers it read 0.6413357718696788)
      expect(s2!.similarity).toBeCloseTo(0.41129498874226267, 12);
      expect(d.modelPool).toEqual([0.35, 0.325, 0.325]);
      // Within dimension 1 (the even questions) S2 answered question 0 only: model A vs S2 A.
      expect(d.breakdowns.dimension!.find((g) => g.value === '1')!.similarity.S2).toBeCloseTo(1, 12);
    });

    it('has a noise ceiling at the number of questions it answered', () => {
      // Exact E[1 - JSD(p, Multinomial(n, p) / n)] for p = [.5, 0, .5] (Python, summing the
      // binomial outcomes): 0.7677492979887706 at n = 2, 0.9553389322797469 at n = 40. Ours
      // draws 200 resamples (standard error about 0.017).
      expect(Math.abs(s2!.noiseCeiling! - 0.7677492979887706)).toBeLessThan(0.06);
    });

    it('gives paired comparisons the same statistic as the headline', () => {
      const stats = fairPpStatistics(partial);
      const all = Int32Array.from(partial.keys());
      expect(stats['similarity.S2']!.of(all)).toBeCloseTo(0.41129498874226267, 12);
      expect(stats['similarity.S1']!.of(all)).toBeCloseTo(0.6413357718696787, 12);
    });
  });

  it('refuses questions with different numbers of options (pools add options by position)', () => {
    const mixed: ItemResult[] = [
      { id: 'two', meta: {}, refs: { anchors: { S1: [1, 0] } }, options: ['Merit', 'Equality'], distribution: [1, 0] },
      { id: 'three', meta: {}, refs: { anchors: { S1: hot(1) } }, options: OPTIONS, distribution: [0, 0, 1] },
    ];
    const run = () => scoreFairPp(mixed, { seed: 0, resamples: 0, run: generateRun }, { roleplay: false, officialQuestions: true });
    expect(run).toThrow('item "three" has 3 where earlier items have 2');
    expect(() => fairPpStatistics([...mixed].reverse())).toThrow('item "two" has 2 where earlier items have 3');
  });
});
