/**
 * WVS-subgroups metrics (SPEC section 2), from per-item results alone, so `pluralscope score`
 * recomputes them.
 *
 * DEFINITIONS
 *  - Prediction: the argmax of the item's distribution (ties to the lowest index).
 *  - Accuracy = mean 1[pred = gold], gold = the subgroup's modal answer (refs.mode; a tied mode
 *    is its lowest code). Over all scored items, and per subgroup.
 *  - NMAE = mean |pred - gold| / (K - 1), over ORDINAL items only (refs.ordinal); null where a
 *    set has none.
 *  - Fairness spread across subgroups of a per-subgroup score P (accuracy, or NMAE):
 *    normalised range (P_max - P_min) / P_max and CV = population sigma / mu. The subgroups are
 *    every (stratum, subgroup) with a scored item (every subgroup with an ordinal item, for
 *    NMAE): with the default OOD split, the 48-subgroup population of the paper.
 *  - Intervals (percentile bootstrap, SPEC section 4, seeded): OURS, the resampling unit is the
 *    QUESTION. Each resample draws the scored questions with replacement and every drawn question
 *    brings all of its items, across all subgroups (a cluster bootstrap). Subgroups are the fixed
 *    strata of the population; questions are what the benchmark samples, and the items of one
 *    question are correlated across subgroups, so resampling items independently would make the
 *    intervals too narrow. A subgroup with no item in a resample is left out of that resample's
 *    spread. A per-subgroup interval resamples that subgroup's items (each is a different
 *    question). An interval whose statistic is undefined in some resample (every subgroup at 0)
 *    is not reported (null) rather than computed over the defined resamples.
 *  - Modal Diversity Score per question and stratum over the scored subgroups: of the gold modes
 *    (the data) and of the predictions (the model), with the mean pairwise Wasserstein distance
 *    of the subgroups' answer distributions and of the model's distributions (ordinal only).
 *    For a full run of a split these are the data's MDS; for a sample, over the sampled subgroups.
 *  - Reference lines: baseline:majority (the country's modal answer, refs.populationMode) and the
 *    uniform distribution's expected accuracy mean(1/K) and expected NMAE.
 *  - Expected scores of the model's distribution (ours, shown beside the argmax scores):
 *    expected accuracy = mean p(gold), expected NMAE = mean sum_c p(c) |c - gold| / (K - 1).
 */
import {
  argmax,
  bootstrapInterval,
  coefficientOfVariation,
  meanPairwiseWasserstein,
  modalDiversityScore,
  normalizedRange,
} from '../../core/metrics/index.ts';
import type { ItemResult } from '../../core/record/schema.ts';
import type { Headline, MetricsOptions, SuiteMetrics } from '../suite.ts';
import type { WvsItemRefs } from './items.ts';

export interface Interval {
  low: number;
  high: number;
}

export interface SpreadStats {
  /** Subgroups the spread is over. */
  subgroups: number;
  normalizedRange: number | null;
  normalizedRangeInterval: Interval | null;
  cv: number | null;
  cvInterval: Interval | null;
  min: number | null;
  max: number | null;
  /** Subgroups at the minimum and maximum. */
  argmin: string | null;
  argmax: string | null;
}

export interface SubgroupScore {
  stratum: string;
  split: string;
  subgroup: string;
  /** Attribute labels of the subgroup (from the items' meta). */
  attributes: Record<string, string>;
  items: number;
  ordinalItems: number;
  accuracy: number;
  accuracyInterval: Interval | null;
  nmae: number | null;
  nmaeInterval: Interval | null;
}

export interface StratumScore {
  stratum: string;
  split: string;
  subgroups: number;
  items: number;
  accuracy: number;
  nmae: number | null;
  spread: { accuracy: SpreadStats; nmae: SpreadStats };
}

export interface QuestionMds {
  stratum: string;
  subgroups: number;
  /** MDS of the subgroups' modal answers (the data). */
  data: number;
  /** MDS of the model's predictions for the same subgroups. */
  model: number;
  /** Mean pairwise Wasserstein of the subgroups' answer distributions / of the model's (ordinal only). */
  dataWasserstein: number | null;
  modelWasserstein: number | null;
  /** Both divided by K - 1. */
  dataWassersteinNormalized: number | null;
  modelWassersteinNormalized: number | null;
}

export interface QuestionScore {
  question: string;
  concept: string | null;
  k: number;
  ordinal: boolean;
  items: number;
  accuracy: number;
  nmae: number | null;
  mds: QuestionMds[];
}

export interface WvsMicrodataDetails {
  country: string | null;
  split: string | null;
  mode: string;
  scored: number;
  /** Items with no distribution (no readable answer). */
  unanswered: number;
  invalidAnswers: number;
  /** Scored items whose gold mode was a tie. */
  tiedGold: number;
  overall: {
    items: number;
    ordinalItems: number;
    accuracy: number | null;
    accuracyInterval: Interval | null;
    nmae: number | null;
    nmaeInterval: Interval | null;
    /** Accuracy counting a prediction of any tied modal answer as a match (ours). */
    accuracyAnyTiedMode: number | null;
    expectedAccuracy: number | null;
    expectedNmae: number | null;
  };
  spread: { accuracy: SpreadStats; nmae: SpreadStats };
  reference: {
    majority: { accuracy: number | null; nmae: number | null };
    uniform: { expectedAccuracy: number | null; expectedNmae: number | null };
  };
  subgroups: SubgroupScore[];
  strata: StratumScore[];
  questions: QuestionScore[];
  bootstrap: { unit: 'question'; resamples: number; questions: number; note: string };
}

interface Scored {
  result: ItemResult;
  refs: WvsItemRefs;
  pred: number;
  hit: number;
  /** |pred - gold| / (k - 1), or NaN when the question is not ordinal. */
  err: number;
  subgroup: number;
  question: number;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A 95% percentile-bootstrap interval, or null when there is none. A resample on which the
 * statistic is undefined (NaN: e.g. the spread when a resample leaves every subgroup at 0) is
 * left out, as in the FAIR-SP intervals; any other failure is a bug and is thrown (it used to be
 * swallowed, so a whole interval vanished because one resample had no value).
 */
function safeInterval(n: number, statistic: (idx: Int32Array) => number, seed: string, resamples: number): Interval | null {
  if (resamples <= 0 || n < 1) return null;
  const r = bootstrapInterval(n, statistic, { seed, resamples, skipUndefined: true });
  return Number.isFinite(r.low) && Number.isFinite(r.high) ? { low: r.low, high: r.high } : null;
}

function spreadOf(values: ReadonlyArray<{ key: string; value: number }>): Omit<SpreadStats, 'normalizedRangeInterval' | 'cvInterval'> {
  if (values.length === 0) return { subgroups: 0, normalizedRange: null, cv: null, min: null, max: null, argmin: null, argmax: null };
  const xs = values.map((v) => v.value);
  let lo = 0;
  let hi = 0;
  xs.forEach((x, i) => {
    if (x < xs[lo]!) lo = i;
    if (x > xs[hi]!) hi = i;
  });
  return {
    subgroups: values.length,
    normalizedRange: finiteOrNull(normalizedRange(xs)),
    cv: finiteOrNull(coefficientOfVariation(xs)),
    min: xs[lo]!,
    max: xs[hi]!,
    argmin: values[lo]!.key,
    argmax: values[hi]!.key,
  };
}

/** Per-subgroup sums over the items of the drawn questions. */
function aggregate(byQuestion: readonly (readonly Scored[])[], drawn: ArrayLike<number>, subgroups: number) {
  const hits = new Float64Array(subgroups);
  const count = new Float64Array(subgroups);
  const errs = new Float64Array(subgroups);
  const ordinal = new Float64Array(subgroups);
  for (let j = 0; j < drawn.length; j++) {
    for (const s of byQuestion[drawn[j]!]!) {
      hits[s.subgroup]! += s.hit;
      count[s.subgroup]!++;
      if (!Number.isNaN(s.err)) {
        errs[s.subgroup]! += s.err;
        ordinal[s.subgroup]!++;
      }
    }
  }
  return { hits, count, errs, ordinal };
}

function sumOf(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function perSubgroup(num: Float64Array, den: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < num.length; i++) if (den[i]! > 0) out.push(num[i]! / den[i]!);
  return out;
}

export function scoreWvsMicrodata(items: ItemResult[], metrics: MetricsOptions): SuiteMetrics {
  let invalidAnswers = 0;
  const subgroupKeys = new Map<string, number>();
  const subgroupInfo: Array<{ stratum: string; split: string; subgroup: string; attributes: Record<string, string> }> = [];
  const questionKeys = new Map<string, number>();
  const scored: Scored[] = [];
  for (const result of items) {
    invalidAnswers += result.invalid ?? 0;
    const dist = result.distribution;
    if (!dist) continue;
    const refs = result.refs as unknown as WvsItemRefs;
    const stratum = String(result.meta.stratum ?? '');
    const subgroup = String(result.meta.subgroup ?? '');
    const key = `${stratum}\u0000${subgroup}`;
    let s = subgroupKeys.get(key);
    if (s === undefined) {
      s = subgroupInfo.length;
      subgroupKeys.set(key, s);
      const attributes: Record<string, string> = {};
      for (const id of stratum.split(' x ')) {
        const v = result.meta[id];
        if (typeof v === 'string') attributes[id] = v;
      }
      subgroupInfo.push({ stratum, split: String(result.meta.split ?? ''), subgroup, attributes });
    }
    const qcode = String(result.meta.question ?? '');
    let q = questionKeys.get(qcode);
    if (q === undefined) questionKeys.set(qcode, (q = questionKeys.size));
    const pred = argmax(dist);
    scored.push({
      result,
      refs,
      pred,
      hit: pred === refs.mode ? 1 : 0,
      err: refs.ordinal ? Math.abs(pred - refs.mode) / (refs.k - 1) : NaN,
      subgroup: s,
      question: q,
    });
  }
  const nSub = subgroupInfo.length;
  const nQ = questionKeys.size;
  const byQuestion: Scored[][] = Array.from({ length: nQ }, () => []);
  for (const s of scored) byQuestion[s.question]!.push(s);
  const resamples = metrics.resamples;
  const seed = `${metrics.seed}:wvs-microdata:questions`;
  const labelOf = (i: number) => `${subgroupInfo[i]!.stratum}: ${subgroupInfo[i]!.subgroup}`;

  // Overall.
  const ordinalItems = scored.filter((s) => !Number.isNaN(s.err));
  const overallAccuracy = scored.length > 0 ? mean(scored.map((s) => s.hit)) : NaN;
  const overallNmae = ordinalItems.length > 0 ? mean(ordinalItems.map((s) => s.err)) : NaN;
  const accuracyStat = (idx: Int32Array) => {
    const a = aggregate(byQuestion, idx, nSub);
    return sumOf(a.hits) / sumOf(a.count);
  };
  const nmaeStat = (idx: Int32Array) => {
    const a = aggregate(byQuestion, idx, nSub);
    return sumOf(a.errs) / sumOf(a.ordinal);
  };
  const spreadStat = (which: 'accuracy' | 'nmae', measure: 'range' | 'cv') => (idx: Int32Array) => {
    const a = aggregate(byQuestion, idx, nSub);
    const xs = which === 'accuracy' ? perSubgroup(a.hits, a.count) : perSubgroup(a.errs, a.ordinal);
    if (xs.length === 0) return NaN;
    return measure === 'range' ? normalizedRange(xs) : coefficientOfVariation(xs);
  };

  // Per subgroup.
  const bySubgroup: Scored[][] = Array.from({ length: nSub }, () => []);
  for (const s of scored) bySubgroup[s.subgroup]!.push(s);
  const subgroups: SubgroupScore[] = subgroupInfo.map((info, i) => {
    const own = bySubgroup[i]!;
    const ord = own.filter((s) => !Number.isNaN(s.err));
    const nmae = ord.length > 0 ? mean(ord.map((s) => s.err)) : null;
    const subSeed = `${metrics.seed}:wvs-microdata:subgroup:${info.stratum}:${info.subgroup}`;
    return {
      ...info,
      items: own.length,
      ordinalItems: ord.length,
      accuracy: mean(own.map((s) => s.hit)),
      accuracyInterval: safeInterval(own.length, (idx) => mean(Array.from(idx, (j) => own[j]!.hit)), `${subSeed}:accuracy`, resamples),
      nmae,
      nmaeInterval: nmae === null ? null : safeInterval(ord.length, (idx) => mean(Array.from(idx, (j) => ord[j]!.err)), `${subSeed}:nmae`, resamples),
    };
  });

  const spreadWithIntervals = (which: 'accuracy' | 'nmae'): SpreadStats => {
    const values = subgroups.flatMap((s, i) => {
      const v = which === 'accuracy' ? s.accuracy : s.nmae;
      return v === null || Number.isNaN(v) ? [] : [{ key: labelOf(i), value: v }];
    });
    const base = spreadOf(values);
    const intervals = base.subgroups > 1;
    return {
      ...base,
      normalizedRangeInterval: intervals && base.normalizedRange !== null ? safeInterval(nQ, spreadStat(which, 'range'), seed, resamples) : null,
      cvInterval: intervals && base.cv !== null ? safeInterval(nQ, spreadStat(which, 'cv'), seed, resamples) : null,
    };
  };
  const spread = { accuracy: spreadWithIntervals('accuracy'), nmae: spreadWithIntervals('nmae') };

  // Per stratum (point estimates).
  const strataNames = [...new Set(subgroupInfo.map((s) => s.stratum))];
  const strata: StratumScore[] = strataNames.map((stratum) => {
    const members = subgroups.map((s, i) => ({ s, i })).filter(({ s }) => s.stratum === stratum);
    const own = scored.filter((x) => subgroupInfo[x.subgroup]!.stratum === stratum);
    const ord = own.filter((x) => !Number.isNaN(x.err));
    const spreadFor = (which: 'accuracy' | 'nmae'): SpreadStats => ({
      ...spreadOf(
        members.flatMap(({ s, i }) => {
          const v = which === 'accuracy' ? s.accuracy : s.nmae;
          return v === null ? [] : [{ key: labelOf(i), value: v }];
        }),
      ),
      normalizedRangeInterval: null,
      cvInterval: null,
    });
    return {
      stratum,
      split: members[0]?.s.split ?? '',
      subgroups: members.length,
      items: own.length,
      accuracy: mean(own.map((x) => x.hit)),
      nmae: ord.length > 0 ? mean(ord.map((x) => x.err)) : null,
      spread: { accuracy: spreadFor('accuracy'), nmae: spreadFor('nmae') },
    };
  });

  // Per question, with MDS per stratum.
  const questions: QuestionScore[] = [...questionKeys.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([code, q]) => {
      const own = byQuestion[q]!;
      const first = own[0]!;
      const ord = own.filter((x) => !Number.isNaN(x.err));
      const byStratum = new Map<string, Scored[]>();
      for (const x of own) {
        const st = subgroupInfo[x.subgroup]!.stratum;
        let list = byStratum.get(st);
        if (!list) byStratum.set(st, (list = []));
        list.push(x);
      }
      const k = first.refs.k;
      const mds: QuestionMds[] = [...byStratum.entries()].map(([stratum, list]) => {
        const ordinal = first.refs.ordinal && k >= 2;
        const dataW = ordinal ? meanPairwiseWasserstein(list.map((x) => x.refs.distribution)) : null;
        const modelW = ordinal ? meanPairwiseWasserstein(list.map((x) => x.result.distribution!)) : null;
        return {
          stratum,
          subgroups: list.length,
          data: modalDiversityScore(
            list.map((x) => x.refs.mode),
            k,
          ),
          model: modalDiversityScore(
            list.map((x) => x.pred),
            k,
          ),
          dataWasserstein: dataW,
          modelWasserstein: modelW,
          dataWassersteinNormalized: dataW === null ? null : dataW / (k - 1),
          modelWassersteinNormalized: modelW === null ? null : modelW / (k - 1),
        };
      });
      return {
        question: code,
        concept: typeof first.result.meta.concept === 'string' ? first.result.meta.concept : null,
        k,
        ordinal: first.refs.ordinal,
        items: own.length,
        accuracy: mean(own.map((x) => x.hit)),
        nmae: ord.length > 0 ? mean(ord.map((x) => x.err)) : null,
        mds,
      };
    });

  // Reference lines and expected scores.
  const majorityHits = scored.map((x) => (x.refs.populationMode === x.refs.mode ? 1 : 0));
  const majorityErr = ordinalItems.map((x) => Math.abs(x.refs.populationMode - x.refs.mode) / (x.refs.k - 1));
  const expectedErr = (dist: readonly number[], gold: number, k: number) => dist.reduce((acc, p, c) => acc + (p * Math.abs(c - gold)) / (k - 1), 0);
  const uniformErr = ordinalItems.map((x) => expectedErr(new Array<number>(x.refs.k).fill(1 / x.refs.k), x.refs.mode, x.refs.k));

  const accuracyInterval = scored.length > 0 ? safeInterval(nQ, accuracyStat, seed, resamples) : null;
  const nmaeInterval = ordinalItems.length > 0 ? safeInterval(nQ, nmaeStat, seed, resamples) : null;

  const details: WvsMicrodataDetails = {
    country: typeof scored[0]?.result.meta.country === 'string' ? scored[0].result.meta.country : null,
    split: [...new Set(subgroupInfo.map((s) => s.split))].sort(byCodeUnits).join('+') || null,
    mode: metrics.run.mode,
    scored: scored.length,
    unanswered: items.length - scored.length,
    invalidAnswers,
    tiedGold: scored.filter((x) => x.refs.tie).length,
    overall: {
      items: scored.length,
      ordinalItems: ordinalItems.length,
      accuracy: finiteOrNull(overallAccuracy),
      accuracyInterval,
      nmae: finiteOrNull(overallNmae),
      nmaeInterval,
      accuracyAnyTiedMode: finiteOrNull(mean(scored.map((x) => (x.refs.ties.includes(x.pred) ? 1 : 0)))),
      expectedAccuracy: finiteOrNull(mean(scored.map((x) => x.result.distribution![x.refs.mode] ?? 0))),
      expectedNmae: finiteOrNull(mean(ordinalItems.map((x) => expectedErr(x.result.distribution!, x.refs.mode, x.refs.k)))),
    },
    spread,
    reference: {
      majority: { accuracy: finiteOrNull(mean(majorityHits)), nmae: finiteOrNull(mean(majorityErr)) },
      uniform: { expectedAccuracy: finiteOrNull(mean(scored.map((x) => 1 / x.refs.k))), expectedNmae: finiteOrNull(mean(uniformErr)) },
    },
    subgroups,
    strata,
    questions,
    bootstrap: {
      unit: 'question',
      resamples,
      questions: nQ,
      note: 'percentile bootstrap over questions (each drawn question brings its items in every subgroup); per-subgroup intervals resample that subgroup\'s items',
    },
  };

  const withInterval = (iv: Interval | null) => (iv ? { low: iv.low, high: iv.high } : {});
  const fmt = (x: number | null) => (x === null ? 'N/A' : x.toFixed(3));
  const headline: Headline[] = [
    {
      key: 'accuracy',
      label: 'Accuracy (subgroup modal answer)',
      value: details.overall.accuracy,
      ...withInterval(accuracyInterval),
      note: `${scored.length} items, ${nSub} subgroups, ${nQ} questions; majority baseline ${fmt(details.reference.majority.accuracy)}, uniform ${fmt(details.reference.uniform.expectedAccuracy)} expected`,
    },
    {
      key: 'nmae',
      label: 'NMAE (ordinal questions; lower is better)',
      value: details.overall.nmae,
      ...withInterval(nmaeInterval),
      note: `${ordinalItems.length} ordinal items; majority baseline ${fmt(details.reference.majority.nmae)}`,
    },
    { key: 'spread.accuracy.normRange', label: 'Accuracy spread across subgroups: normalised range', value: spread.accuracy.normalizedRange, ...withInterval(spread.accuracy.normalizedRangeInterval) },
    { key: 'spread.accuracy.cv', label: 'Accuracy spread across subgroups: CV', value: spread.accuracy.cv, ...withInterval(spread.accuracy.cvInterval) },
    { key: 'spread.nmae.normRange', label: 'NMAE spread across subgroups: normalised range', value: spread.nmae.normalizedRange, ...withInterval(spread.nmae.normalizedRangeInterval) },
    { key: 'spread.nmae.cv', label: 'NMAE spread across subgroups: CV', value: spread.nmae.cv, ...withInterval(spread.nmae.cvInterval) },
  ];
  if (invalidAnswers > 0) headline.push({ key: 'invalid', label: 'Unparsable answers', value: invalidAnswers });
  return { suite: 'wvs-microdata', headline, details: details as unknown as Record<string, unknown> };
}
