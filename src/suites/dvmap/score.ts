/**
 * DVMap metrics (SPEC section 3), from per-item results alone (so `pluralscope score` can
 * recompute them). Each item carries refs { gold, k }; the model's answer is y_hat = argmax of
 * its distribution, ties to the LOWEST option index. An item the model was asked but gave no
 * readable answer to (every generated sample unparsable) counts as WRONG in Accuracy, as the
 * release's evaluation counts a missing <answer> tag, and is left out of the metrics that need a
 * prediction (LC, WD, flip rate), counted. Items with no distribution for another reason (a
 * baseline that is N/A there) are excluded from every metric and counted.
 *
 *   Accuracy          = (1/n) sum_i 1[y_hat_i = y_i], n counting the unanswered items.
 *                       OFFICIAL (the release's own evaluation computes exactly this) only for a
 *                       generation run with the release's reasoning prompt (and, through the
 *                       suite's defaults, its answer rule); otherwise ours.
 *   Likert Consistency LC = 1 - (1/n) sum_i |y_hat_i - y_i| / (k_i - 1)          (ours)
 *   Wasserstein       for each question id q: WD_q = sum_k |CDF_pred(k) - CDF_gold(k)| between
 *                     the histogram of y_hat and the histogram of y over q's items; reported
 *                     as the mean over question ids of WD_q, and the mean of WD_q / (k_q - 1)
 *                     so 3-, 4- and 5-point scales compare                            (ours)
 *   Value flip rate   over counterfactual pairs (same question and attributes, income High vs
 *                     Low; see flip.ts) whose two items are both scored: the share whose
 *                     y_hat differs; with the gold answers' own flip rate beside it     (ours)
 *
 * Intervals: percentile bootstrap with the product's seeded PRNG, resampling items (pairs for
 * the flip rate); in a resample a question's WD uses the items drawn for it and the mean runs
 * over the questions drawn. Breakdowns: the same point estimates per country, question id,
 * category and each profile attribute, and per question the two answer histograms.
 */
import {
  argmax,
  bootstrapInterval,
  likertConsistency,
  positionBias,
  wassersteinDistance,
  wassersteinFromAnswers,
} from '../../core/metrics/index.ts';
import type { MetaValue } from '../../core/items/item.ts';
import type { ItemResult } from '../../core/record/schema.ts';
import type { Headline, MetricsOptions, SuiteMetrics } from '../suite.ts';
import { incomePairs } from './flip.ts';
import { REASONING_TEMPLATE } from './prompts.ts';
import { REASONING_MAX_NEW_TOKENS } from './meta.ts';
import { protocolDeviations, type ReleaseProtocol } from '../release-protocol.ts';
import { ATTRIBUTE_KEYS, byQid, type DvmapRefs } from './release.ts';

/** Breakdown keys: country, question id, category, then the other 10 attributes. */
export const BREAKDOWN_KEYS = ['country', 'qid', 'category', ...ATTRIBUTE_KEYS.filter((k) => k !== 'country')] as const;

/** A point estimate with its bootstrap interval (null bounds when there is none). */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

export interface QuestionScore {
  qid: string;
  category: string;
  k: number;
  /** Items with a prediction; `unanswered` more had none (counted wrong in `accuracy`). */
  n: number;
  unanswered: number;
  /** Option texts of the question (from its first item). */
  options: string[];
  /** How many items the model answered with each option (argmax), and the gold histogram. */
  predicted: number[];
  gold: number[];
  /** Hits / (n + unanswered). LC and WD run over the n items with a prediction (null when none). */
  accuracy: number;
  likertConsistency: number | null;
  wasserstein: number | null;
  wassersteinNormalized: number | null;
}

export interface GroupScore {
  value: string;
  /** As in QuestionScore: n with a prediction, `unanswered` counted wrong in accuracy. */
  n: number;
  unanswered: number;
  accuracy: number;
  likertConsistency: number | null;
  /** Mean over the question ids present in the group. */
  wasserstein: number | null;
  wassersteinNormalized: number | null;
}

export interface FlipScore {
  /** Pairs whose two items are both scored. */
  pairs: number;
  /** Pairs left out because one side has no distribution. */
  excludedPairs: number;
  flipped: number;
  rate: Estimate;
  /** How many of the scored pairs have different gold answers, and that share. */
  goldFlipped: number;
  goldRate: number | null;
  byQuestion: Array<{ qid: string; pairs: number; flipped: number; goldFlipped: number; rate: number }>;
}

export interface DvmapDetails {
  official: boolean;
  officialReason: string;
  mode: 'likelihood' | 'generate';
  /**
   * Items in the record; scored (with a prediction); unanswered (generation without a readable
   * answer: wrong in Accuracy, out of LC/WD/flip); excluded (no distribution otherwise, e.g. a
   * baseline's N/A); malformed (refs do not fit).
   */
  items: number;
  scored: number;
  unanswered: number;
  excluded: number;
  malformed: number;
  /** Generation: samples the parser could not read. */
  invalidAnswers: number;
  accuracy: Estimate;
  likertConsistency: Estimate;
  wasserstein: Estimate;
  wassersteinNormalized: Estimate;
  questions: QuestionScore[];
  breakdowns: Record<string, GroupScore[]>;
  flip: FlipScore;
  positionBias: number | null;
}

/** An item the model gave no readable answer to: wrong in Accuracy, no prediction otherwise. */
interface Unanswered {
  gold: number;
  k: number;
  q: string;
  meta: Record<string, MetaValue>;
  options: string[];
}

interface Scored {
  pred: number;
  gold: number;
  k: number;
  /** Question group: qid and scale size. */
  q: string;
  meta: Record<string, MetaValue>;
  options: string[];
}

function readRefs(result: ItemResult): DvmapRefs | null {
  const { gold, k } = result.refs as Partial<DvmapRefs>;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 2) return null;
  if (typeof gold !== 'number' || !Number.isInteger(gold) || gold < 0 || gold >= k) return null;
  return { gold, k };
}

const questionKey = (qid: string, k: number) => `${qid}\u0000${k}`;

/**
 * The question groups of the scored items (qid and k), numbered in question-id order, so a
 * resample's histograms are flat counts indexed by group.
 */
interface QuestionGroups {
  /** group[i] = the group number of scored item i. */
  group: Int32Array;
  k: number[];
  /** Offset of each group's histogram in a flat array of length `size`. */
  offset: number[];
  size: number;
}

function questionGroups(items: readonly Scored[]): QuestionGroups {
  const keys = [...new Set(items.map((s) => s.q))].sort(byQid);
  const index = new Map(keys.map((key, g) => [key, g]));
  const k = keys.map((key) => items.find((s) => s.q === key)!.k);
  const offset: number[] = [];
  let size = 0;
  for (const kk of k) {
    offset.push(size);
    size += kk;
  }
  return { group: Int32Array.from(items, (s) => index.get(s.q)!), k, offset, size };
}

/** Mean over the questions present of WD_q and of WD_q / (k_q - 1), over the items at `idx`. */
function meanWasserstein(items: readonly Scored[], groups: QuestionGroups, idx: ArrayLike<number>): { raw: number; normalized: number } {
  const pred = new Float64Array(groups.size);
  const gold = new Float64Array(groups.size);
  const present = new Uint8Array(groups.k.length);
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j]!;
    const g = groups.group[i]!;
    const s = items[i]!;
    present[g] = 1;
    pred[groups.offset[g]! + s.pred]!++;
    gold[groups.offset[g]! + s.gold]!++;
  }
  let raw = 0;
  let normalized = 0;
  let n = 0;
  for (let g = 0; g < groups.k.length; g++) {
    if (!present[g]) continue;
    const from = groups.offset[g]!;
    const k = groups.k[g]!;
    const d = wassersteinDistance(Array.from(pred.subarray(from, from + k)), Array.from(gold.subarray(from, from + k)));
    raw += d;
    normalized += d / (k - 1);
    n++;
  }
  return { raw: raw / n, normalized: normalized / n };
}

function meanOver(values: ArrayLike<number>, idx: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < idx.length; j++) sum += values[idx[j]!]!;
  return sum / idx.length;
}

const allIndices = (n: number) => Array.from({ length: n }, (_, i) => i);

function interval(n: number, value: number | null, statistic: (idx: Int32Array) => number, metrics: MetricsOptions, name: string): Estimate {
  if (value === null || n < 1 || metrics.resamples < 1) return { value, low: null, high: null };
  const b = bootstrapInterval(n, statistic, { seed: `${metrics.seed}:dvmap:${name}`, resamples: metrics.resamples });
  return { value, low: b.low, high: b.high };
}

/** Hits over the items with a prediction plus those without (each a miss); a group has at least one item. */
function accuracyWithUnanswered(subset: readonly Scored[], unanswered: number): number {
  let hits = 0;
  for (const s of subset) if (s.pred === s.gold) hits++;
  return hits / (subset.length + unanswered);
}

function groupScore(items: readonly Scored[], groups: QuestionGroups, idx: number[], unanswered: number, value: string): GroupScore {
  const subset = idx.map((i) => items[i]!);
  const wd = idx.length > 0 ? meanWasserstein(items, groups, idx) : { raw: null, normalized: null };
  return {
    value,
    n: idx.length,
    unanswered,
    accuracy: accuracyWithUnanswered(subset, unanswered),
    likertConsistency: subset.length > 0 ? likertConsistency(subset) : null,
    wasserstein: wd.raw,
    wassersteinNormalized: wd.normalized,
  };
}

/** How many of `items` fall in each value of `key` (the values of the unanswered items, counted). */
function countBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

const metaValue = (meta: Record<string, MetaValue>, key: string): string | null => {
  const v = meta[key];
  return v === undefined || v === null || v === '' ? null : String(v);
};

/** The release's evaluation (eval_api_parallel.py): one reply of up to 1,024 tokens per item, read by its answer rule. */
const DVMAP_PROTOCOL: ReleaseProtocol = { name: 'the release', parser: 'dvmap-release', maxNewTokens: REASONING_MAX_NEW_TOKENS };

function officialStatus(run: MetricsOptions['run']): { official: boolean; reason: string } {
  const deviations = protocolDeviations(run, DVMAP_PROTOCOL);
  if (run.mode === 'generate' && run.templateId === REASONING_TEMPLATE.id && deviations.length > 0) {
    return { official: false, reason: `not the paper's protocol: the release's reasoning prompt, but ${deviations.join('; ')}` };
  }
  if (run.mode === 'generate' && run.templateId === REASONING_TEMPLATE.id) {
    return { official: true, reason: 'generation with the release\'s structured-reasoning prompt and answer rule: the paper\'s protocol (accuracy is the release\'s own metric; its script samples at temperature 0.7)' };
  }
  if (run.modelKind === 'baseline') return { official: false, reason: 'a baseline, not a model' };
  if (run.templateId !== REASONING_TEMPLATE.id) return { official: false, reason: 'not the paper\'s protocol: our direct prompt (the paper generates with the release\'s reasoning prompt)' };
  return { official: false, reason: 'not the paper\'s protocol: likelihood scoring of the release\'s reasoning prompt (the paper generates)' };
}

export function scoreDvmap(results: ItemResult[], metrics: MetricsOptions): SuiteMetrics {
  const scored: Scored[] = [];
  const unanswered: Unanswered[] = [];
  let excluded = 0;
  let malformed = 0;
  let invalidAnswers = 0;
  // Pairing uses every item (scored or not), so excluded pairs can be counted.
  const scoredIndex = new Array<number>(results.length).fill(-1);
  results.forEach((result, i) => {
    invalidAnswers += result.invalid ?? 0;
    const refs = readRefs(result);
    if (!refs) {
      malformed++;
      return;
    }
    const qid = String(result.meta.qid ?? '');
    if (!result.distribution) {
      // Asked, but no sample was readable (generation): a wrong answer, as the release counts it.
      if ((result.invalid ?? 0) > 0) unanswered.push({ gold: refs.gold, k: refs.k, q: questionKey(qid, refs.k), meta: result.meta, options: result.options });
      else excluded++;
      return;
    }
    if (result.distribution.length !== refs.k) {
      malformed++;
      return;
    }
    scoredIndex[i] = scored.length;
    scored.push({ pred: argmax(result.distribution), gold: refs.gold, k: refs.k, q: questionKey(qid, refs.k), meta: result.meta, options: result.options });
  });

  const n = scored.length;
  const hits = scored.map((s) => (s.pred === s.gold ? 1 : 0));
  // Accuracy's items: the scored ones, then one miss per unanswered item.
  const accuracyHits = [...hits, ...new Array<number>(unanswered.length).fill(0)];
  const nAccuracy = accuracyHits.length;
  const closeness = scored.map((s) => 1 - Math.abs(s.pred - s.gold) / (s.k - 1));
  const all = allIndices(n);
  const groups = questionGroups(scored);
  const wdAll = n > 0 ? meanWasserstein(scored, groups, all) : null;

  const acc = interval(
    nAccuracy,
    nAccuracy > 0 ? meanOver(accuracyHits, allIndices(nAccuracy)) : null,
    (idx) => meanOver(accuracyHits, idx),
    metrics,
    'accuracy',
  );
  const lc = interval(n, n > 0 ? likertConsistency(scored) : null, (idx) => meanOver(closeness, idx), metrics, 'lc');
  const wd = interval(n, wdAll?.raw ?? null, (idx) => meanWasserstein(scored, groups, idx).raw, metrics, 'wd');
  const wdn = interval(n, wdAll?.normalized ?? null, (idx) => meanWasserstein(scored, groups, idx).normalized, metrics, 'wd');

  // Per question: histograms and scores (a question whose items all went unanswered is listed
  // too, with accuracy 0 and no histogram-based scores).
  const byQuestion = new Map<string, number[]>();
  scored.forEach((s, i) => {
    let list = byQuestion.get(s.q);
    if (!list) byQuestion.set(s.q, (list = []));
    list.push(i);
  });
  const unansweredByQuestion = countBy(unanswered, (u) => u.q);
  for (const q of unansweredByQuestion.keys()) if (!byQuestion.has(q)) byQuestion.set(q, []);
  const questions: QuestionScore[] = [...byQuestion.entries()]
    .sort(([a], [b]) => byQid(a, b))
    .map(([key, idx]) => {
      const first: Scored | Unanswered = idx.length > 0 ? scored[idx[0]!]! : unanswered.find((u) => u.q === key)!;
      const subset = idx.map((i) => scored[i]!);
      const w =
        subset.length > 0
          ? wassersteinFromAnswers(
              subset.map((s) => s.pred),
              subset.map((s) => s.gold),
              first.k,
            )
          : { distance: null, normalized: null };
      const predicted = new Array<number>(first.k).fill(0);
      const gold = new Array<number>(first.k).fill(0);
      for (const s of subset) {
        predicted[s.pred]!++;
        gold[s.gold]!++;
      }
      const missing = unansweredByQuestion.get(key) ?? 0;
      return {
        qid: String(first.meta.qid ?? ''),
        category: String(first.meta.category ?? ''),
        k: first.k,
        n: idx.length,
        unanswered: missing,
        options: first.options,
        predicted,
        gold,
        accuracy: accuracyWithUnanswered(subset, missing),
        likertConsistency: subset.length > 0 ? likertConsistency(subset) : null,
        wasserstein: w.distance,
        wassersteinNormalized: w.normalized,
      };
    });

  const breakdowns: Record<string, GroupScore[]> = {};
  for (const key of BREAKDOWN_KEYS) {
    const byValue = new Map<string, number[]>();
    scored.forEach((s, i) => {
      const v = metaValue(s.meta, key);
      if (v === null) return;
      let g = byValue.get(v);
      if (!g) byValue.set(v, (g = []));
      g.push(i);
    });
    const missing = countBy(unanswered, (u) => metaValue(u.meta, key));
    for (const v of missing.keys()) if (!byValue.has(v)) byValue.set(v, []);
    if (byValue.size === 0) continue;
    breakdowns[key] = [...byValue.entries()]
      .sort(([a], [b]) => (key === 'qid' ? byQid(a, b) : a.localeCompare(b, 'en', { numeric: true })))
      .map(([value, idx]) => groupScore(scored, groups, idx, missing.get(value) ?? 0, value));
  }

  // Value flip rate over income pairs.
  const pairs = incomePairs(results.map((r) => r.meta));
  const usable: Array<[Scored, Scored]> = [];
  let excludedPairs = 0;
  for (const [h, l] of pairs) {
    const a = scoredIndex[h]!;
    const b = scoredIndex[l]!;
    if (a < 0 || b < 0) excludedPairs++;
    else usable.push([scored[a]!, scored[b]!]);
  }
  const flips = usable.map(([a, b]) => (a.pred !== b.pred ? 1 : 0));
  const flipped = flips.reduce<number>((s, x) => s + x, 0);
  const goldFlipped = usable.filter(([a, b]) => a.gold !== b.gold).length;
  const flipByQ = new Map<string, { pairs: number; flipped: number; goldFlipped: number }>();
  usable.forEach(([a, b], i) => {
    const qid = String(a.meta.qid ?? '');
    let e = flipByQ.get(qid);
    if (!e) flipByQ.set(qid, (e = { pairs: 0, flipped: 0, goldFlipped: 0 }));
    e.pairs++;
    e.flipped += flips[i]!;
    if (a.gold !== b.gold) e.goldFlipped++;
  });
  const flip: FlipScore = {
    pairs: usable.length,
    excludedPairs,
    flipped,
    rate: interval(usable.length, usable.length > 0 ? flipped / usable.length : null, (idx) => meanOver(flips, idx), metrics, 'flip'),
    goldFlipped,
    goldRate: usable.length > 0 ? goldFlipped / usable.length : null,
    byQuestion: [...flipByQ.entries()].sort(([a], [b]) => byQid(a, b)).map(([qid, e]) => ({ qid, ...e, rate: e.flipped / e.pairs })),
  };

  const rotations = results.filter((r) => r.rotations && r.rotations.length > 1).map((r) => r.rotations!);
  const bias = rotations.length > 0 ? positionBias(rotations).index : null;
  const { official, reason } = officialStatus(metrics.run);

  const withInterval = (e: Estimate) => (e.low !== null && e.high !== null ? { low: e.low, high: e.high } : {});
  const headline: Headline[] = [
    {
      key: 'accuracy',
      label: 'Accuracy',
      value: acc.value,
      ...withInterval(acc),
      official,
      note: `${nAccuracy} items${unanswered.length > 0 ? `, ${unanswered.length} without a readable answer (counted wrong)` : ''}${excluded > 0 ? `, ${excluded} without an answer (excluded)` : ''}${official ? '' : `; ${reason}`}`,
    },
    { key: 'likertConsistency', label: 'Likert consistency (ours)', value: lc.value, ...withInterval(lc) },
    {
      key: 'wassersteinNormalized',
      label: 'Wasserstein distance / (K-1) (ours)',
      value: wdn.value,
      ...withInterval(wdn),
      note: `mean over ${questions.length} question ids; unnormalised ${fmt(wd.value)}`,
    },
    {
      key: 'flipRate',
      label: 'Value flip rate, income High/Low (ours)',
      value: flip.rate.value,
      ...withInterval(flip.rate),
      note:
        flip.pairs > 0
          ? `${flip.pairs} pairs${excludedPairs > 0 ? ` (${excludedPairs} more without an answer)` : ''}; gold answers flip in ${fmt(flip.goldRate)}`
          : 'no income-flip pairs among the scored items',
    },
  ];
  if (bias !== null) headline.push({ key: 'positionBias', label: 'Position-bias index (ours)', value: bias });

  const details: DvmapDetails = {
    official,
    officialReason: reason,
    mode: metrics.run.mode,
    items: results.length,
    scored: n,
    unanswered: unanswered.length,
    excluded,
    malformed,
    invalidAnswers,
    accuracy: acc,
    likertConsistency: lc,
    wasserstein: wd,
    wassersteinNormalized: wdn,
    questions,
    breakdowns,
    flip,
    positionBias: bias,
  };
  return { suite: 'dvmap', headline, details: details as unknown as Record<string, unknown> };
}

const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? 'N/A' : x.toFixed(3));
