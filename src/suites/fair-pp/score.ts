/**
 * FAIR-SP metrics, from per-item results alone (so `pluralscope score` can recompute them).
 *
 * OFFICIAL SCORE (release notebook 4_metrics, reproduced exactly): over all scored items, the
 * model's answers and each segment's answers are pooled into a distribution over the options
 * (A, B, N/A): with a distribution per item (likelihood, or n samples) the model's pool is the
 * MEAN of its per-item distributions; one answer per item makes that the answer counts. The
 * similarity is 1 - SciPy's jensenshannon(p, q) with the natural logarithm (range
 * [1 - sqrt(ln 2), 1]). It is "official" only for a generation run with the release's
 * evaluation prompt on the release's questions; every other number here is our breakdown.
 *
 * A segment that answered only some questions (a partial anchor pack) is compared with the
 * model's answers to those questions only: each pool is over the same questions.
 *
 * OURS: the same pooled similarity within each dimension, theme, category, topic, social group
 * and phrasing; the mean per-question similarity; the agreement rate (argmax equal, ties to
 * the first option); percentile-bootstrap intervals over items; the uniform baseline and each
 * segment's sampling-noise ceiling; for role-play runs the persona x segment fidelity matrix.
 */
import {
  argmax,
  bootstrapResamples,
  quantileSorted,
  jsSimilarity,
  jsSimilarityFast,
  noiseCeiling,
  positionBias,
} from '../../core/metrics/index.ts';
import type { ItemResult } from '../../core/record/schema.ts';
import type { Headline, MetricsOptions, SuiteMetrics } from '../suite.ts';
import type { FairPpRefs } from './release.ts';
import { OFFICIAL_TEMPLATE_IDS } from './prompts.ts';
import { protocolDeviations, type ReleaseProtocol } from '../release-protocol.ts';

/** The release's evaluation (its llm_inference.py and parse rule): one answer of up to 256 new tokens per question. */
const FAIR_PP_PROTOCOL: ReleaseProtocol = { name: 'the release', parser: 'fair-pp-release', maxNewTokens: 256 };
import { breakdownSums, groupColumnSums } from './breakdown-sums.ts';

/** Group names in natural order ("group 2" before "group 10"); one collator, not one a comparison. */
const NATURAL_ORDER = new Intl.Collator('en', { numeric: true });

export const BREAKDOWN_KEYS = ['dimension', 'theme', 'category', 'topic', 'group', 'groupType', 'phrasing'] as const;

export interface SegmentScore {
  segment: string;
  similarity: number;
  low: number | null;
  high: number | null;
  /** Mean per-question similarity and agreement rate (ours), over the questions the segment answered. */
  perQuestion: number;
  agreement: number;
  /** The uniform distribution's similarity to this segment: the floor a model should beat. */
  uniform: number;
  /** The similarity a resample of the segment's own answers reaches: the ceiling. */
  noiseCeiling: number | null;
  segmentPool: number[];
}

export interface FairPpDetails {
  official: boolean;
  officialReason: string;
  mode: string;
  scored: number;
  /** Items with no readable answer (excluded and counted). */
  unanswered: number;
  /** Generation: samples that fell back under the parse rule, or could not be read. */
  invalidAnswers: number;
  optionLabels: string[];
  modelPool: number[];
  segments: SegmentScore[];
  nearest: string | null;
  breakdowns: Record<string, Array<{ value: string; n: number; modelPool: number[]; similarity: Record<string, number> }>>;
  positionBias: number | null;
  /** Segment x segment pooled similarity (the landscape's anchor-to-anchor distances). */
  segmentMatrix: number[][];
  roleplay: null | { personas: string[]; segments: string[]; matrix: number[][]; fidelity: number; diagonal: Record<string, number> };
}

function pool(rows: readonly number[][], k: number, indices?: ArrayLike<number>): number[] {
  const out = new Array<number>(k).fill(0);
  const n = indices ? indices.length : rows.length;
  for (let j = 0; j < n; j++) {
    const row = rows[indices ? indices[j]! : j]!;
    for (let c = 0; c < k; c++) out[c]! += row[c]!;
  }
  const total = out.reduce((a, b) => a + b, 0);
  return total > 0 ? out.map((x) => x / total) : out;
}

/** A pooled sum as a distribution (all zeros stay zeros: no answers in the group). */
function normalised(sum: ArrayLike<number>): number[] {
  let total = 0;
  for (let c = 0; c < sum.length; c++) total += sum[c]!;
  return Array.from(sum, (x) => (total > 0 ? x / total : x));
}

/**
 * Percentile-bootstrap intervals of every segment's pooled similarity at once: each resample of
 * the items (the project's seeded index stream, `bootstrapResamples`) pools the model's and every
 * segment's answers (one pass over the resampled rows of the item x column array) and scores
 * them, so all segments see the same resamples. 95% intervals, NumPy's linear percentile.
 */
function jointBootstrap(rows: Float64Array, layout: RowLayout, resamples: number, seed: string): Array<{ low: number; high: number }> {
  const { w, k, modelAt } = layout;
  const segmentCount = modelAt.length;
  const n = rows.length / w;
  const values = Array.from({ length: segmentCount }, () => new Float64Array(resamples));
  const acc = new Float64Array(w);
  let b = 0;
  for (const idx of bootstrapResamples(n, resamples, seed)) {
    acc.fill(0);
    for (let j = 0; j < n; j++) {
      const from = idx[j]! * w;
      for (let c = 0; c < w; c++) acc[c]! += rows[from + c]!;
    }
    for (let s = 0; s < segmentCount; s++) values[s]![b] = safeSimilarity(acc, acc, modelAt[s]!, (s + 1) * k, k);
    b++;
  }
  // A resample that draws none of the questions a segment answered has no similarity for it
  // (NaN): it is left out, not counted as 0, so the interval is conditional on the segment
  // having answers, as the estimate is. (Counting it as 0 put the lower end at 0 whenever a
  // segment answered few questions.)
  return values.map((v) => {
    const sorted = Array.from(v)
      .filter(Number.isFinite)
      .sort((x, y) => x - y);
    return sorted.length > 0 ? { low: quantileSorted(sorted, 0.025), high: quantileSorted(sorted, 0.975) } : { low: NaN, high: NaN };
  });
}

/**
 * 1 - JS distance (natural log); NaN when either side has no mass (no answers in the group).
 * Always called on Float64Arrays (plain arrays are copied first), so the engine compiles one
 * monomorphic version of the hot loop.
 */
function safeSimilarity(p: Float64Array | readonly number[], q: Float64Array | readonly number[], pAt = 0, qAt = 0, k?: number): number {
  const pp = p instanceof Float64Array ? p : Float64Array.from(p);
  const qq = q instanceof Float64Array ? q : Float64Array.from(q);
  return jsSimilarityFast(pp, qq, pAt, qAt, k ?? pp.length - pAt);
}

/**
 * Where things are in a row of the item x column array: block 0 the model's distribution, block
 * j + 1 segment j's (zeros where it has no answer). When every segment answered every question
 * that is all (w = (S + 1) x k) and each segment is compared with block 0. When some did not,
 * block S + 1 + j holds the model's distribution on the questions segment j answered (zeros
 * elsewhere), so each pool is over the same questions; the full model pool stays block 0.
 */
interface RowLayout {
  /** Whether the rows carry a model block per segment (some segment did not answer every question). */
  partial: boolean;
  k: number;
  w: number;
  /** Offset of the model block that segment j is compared with. */
  modelAt: Int32Array;
}

function rowLayout(S: number, k: number, partial: boolean): RowLayout {
  return {
    partial,
    k,
    w: (partial ? 2 * S + 1 : S + 1) * k,
    modelAt: Int32Array.from({ length: S }, (_, j) => (partial ? (S + 1 + j) * k : 0)),
  };
}

/**
 * Every item as one row of an n x w array (RowLayout). Every pool is a pass over it. (The hot
 * loops live in small functions of their own, so that V8 optimises each on its own and a
 * profile names the loop that costs.)
 */
function itemRows(scored: ItemResult[], segments: string[], layout: RowLayout): Float64Array {
  const { partial, k, w, modelAt } = layout;
  const S = segments.length;
  const n = scored.length;
  const rows = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    const dist = scored[i]!.distribution!;
    const anchors = anchorsOf(scored[i]!);
    const at = i * w;
    if (dist.length !== k) throw optionCountError(scored[i]!, dist.length, k);
    for (let c = 0; c < k; c++) rows[at + c] = dist[c]!;
    for (let j = 0; j < S; j++) {
      const row = anchors[segments[j]!];
      if (!row) continue;
      if (row.length !== k) throw optionCountError(scored[i]!, row.length, k);
      const to = at + (j + 1) * k;
      for (let c = 0; c < k; c++) rows[to + c] = row[c]!;
      if (partial && answered(row)) for (let c = 0; c < k; c++) rows[at + modelAt[j]! + c] = dist[c]!;
    }
  }
  return rows;
}

/**
 * The pools add answers option by option over questions (A with A, N/A with N/A), which means
 * nothing when questions differ in their options: such a set is refused (the release and our bank
 * give every question A, B and N/A).
 */
function optionCountError(item: ItemResult, width: number, k: number): Error {
  return new Error(
    `FAIR-SP pools answers option by option over questions, so every question needs the same options: item "${item.id}" has ${width} where earlier items have ${k}`,
  );
}

/** The number of options of every answered item and its segment answers (see optionCountError). */
function optionCount(items: readonly ItemResult[]): number | null {
  let k: number | null = null;
  for (const item of items) {
    if (!item.distribution) continue;
    for (const width of [item.distribution.length, ...Object.values(anchorsOf(item)).map((row) => row.length)]) {
      if (k === null) k = width;
      else if (width !== k) throw optionCountError(item, width, k);
    }
  }
  return k;
}

const anchorsOf = (result: ItemResult) => (result.refs as unknown as FairPpRefs).anchors ?? {};

/** A segment answered a question when its row has mass (an all-zero row is no answer). */
function answered(row: readonly number[] | undefined): row is number[] {
  if (row === undefined) return false;
  for (let c = 0; c < row.length; c++) if (row[c]! > 0) return true;
  return false;
}

/**
 * Per-question similarity and agreement (the most likely options equal; ties to the first),
 * summed per segment. A segment's answer to a question is often one option (a one-hot row, or
 * a count on one option): the similarity to it depends only on that option, so it is computed
 * once per item and option, by the same function on the same normalised numbers (the same
 * result).
 */
function perQuestionScores(
  rows: Float64Array,
  layout: RowLayout,
  S: number,
): { perItemSum: Float64Array; perItemCount: Int32Array; agree: Int32Array; anchored: Int32Array } {
  const { k, w } = layout;
  const n = rows.length / w;
  const perItemSum = new Float64Array(S);
  const perItemCount = new Int32Array(S);
  const agree = new Int32Array(S);
  /** Items where the segment has an answer: a question it did not answer counts neither way. */
  const anchored = new Int32Array(S);
  const unit = new Float64Array(k);
  const simToOption = new Float64Array(k);
  const simItem = new Int32Array(k).fill(-1);
  for (let i = 0; i < n; i++) {
    const at = i * w;
    let am = 0;
    for (let c = 1; c < k; c++) if (rows[at + c]! > rows[at + am]!) am = c;
    for (let j = 0; j < S; j++) {
      const to = at + (j + 1) * k;
      let aa = 0;
      let only = -1;
      for (let c = 0; c < k; c++) {
        if (rows[to + c]! > rows[to + aa]!) aa = c;
        if (rows[to + c]! !== 0) only = only === -1 ? c : k;
      }
      if (only === -1) continue; // no anchor for this segment here: no similarity, no agreement
      anchored[j]!++;
      if (am === aa) agree[j]!++;
      let x: number;
      if (only >= 0 && only < k) {
        if (simItem[only] !== i) {
          unit.fill(0);
          unit[only] = 1;
          simToOption[only] = safeSimilarity(rows, unit, at, 0, k);
          simItem[only] = i;
        }
        x = simToOption[only]!;
      } else {
        x = safeSimilarity(rows, rows, at, to, k);
      }
      if (Number.isFinite(x)) {
        perItemSum[j]! += x;
        perItemCount[j]!++;
      }
    }
  }
  return { perItemSum, perItemCount, agree, anchored };
}

/**
 * Each item's group id under one breakdown key (-1: the item lacks the key). Items of a group
 * tend to come together, so the previous item's value is tried before the map.
 */
function groupIdsOf(scored: ItemResult[], key: string): { ids: Map<string, number>; groupOf: Int32Array } {
  const n = scored.length;
  const ids = new Map<string, number>();
  const groupOf = new Int32Array(n);
  let previous: string | null = null;
  let previousId = -1;
  for (let i = 0; i < n; i++) {
    const v = scored[i]!.meta[key];
    if (v === undefined || v === null || v === '') {
      groupOf[i] = -1;
      continue;
    }
    const name = typeof v === 'string' ? v : String(v);
    if (name !== previous) {
      let g = ids.get(name);
      if (g === undefined) ids.set(name, (g = ids.size));
      previous = name;
      previousId = g;
    }
    groupOf[i] = previousId;
  }
  return { ids, groupOf };
}

export function scoreFairPp(items: ItemResult[], metrics: MetricsOptions, options: { roleplay: boolean; officialQuestions: boolean }): SuiteMetrics {
  // The answered items (no per-item objects: at 30,000 items their allocation alone was visible).
  const scored: ItemResult[] = [];
  let invalidAnswers = 0;
  for (const result of items) {
    invalidAnswers += result.invalid ?? 0;
    if (result.distribution) scored.push(result);
  }
  const k = scored[0]?.distribution!.length ?? 3;
  const segmentSet = new Set<string>();
  for (const result of scored) for (const key in anchorsOf(result)) segmentSet.add(key);
  const segments = [...segmentSet].sort();
  const deviations = protocolDeviations(metrics.run, FAIR_PP_PROTOCOL);
  const official =
    metrics.run.mode === 'generate' &&
    OFFICIAL_TEMPLATE_IDS.has(metrics.run.templateId) &&
    options.officialQuestions &&
    !options.roleplay &&
    deviations.length === 0;
  const officialReason = official
    ? 'generation with the release\'s evaluation prompt and parse rule, on the release\'s questions'
    : !options.officialQuestions
      ? 'not official: the product\'s own question bank'
      : options.roleplay
        ? 'not official: a role-play run'
        : metrics.run.mode !== 'generate'
          ? 'not official: likelihood scoring (ours); the release scores generated answers'
          : !OFFICIAL_TEMPLATE_IDS.has(metrics.run.templateId)
            ? 'not official: another prompt template than the release\'s evaluation prompt'
            : `not official: ${deviations.join('; ')}`;

  const n = scored.length;
  const S = segments.length;
  // Every segment answered every question (the release) unless the per-question pass says not;
  // then the rows are made again with the model's answers to each segment's questions.
  let layout = rowLayout(S, k, false);
  let rows = itemRows(scored, segments, layout);
  const { perItemSum, perItemCount, agree, anchored } = perQuestionScores(rows, layout, S);
  if (anchored.some((count) => count < n)) {
    layout = rowLayout(S, k, true);
    rows = itemRows(scored, segments, layout);
  }
  const { w, modelAt } = layout;
  /** Column block b (0: the model, j + 1: segment j) of a row of sums, as a distribution. */
  const block = (sums: Float64Array, at: number, b: number) => normalised(sums.subarray(at + b * k, at + (b + 1) * k));
  const totals = groupColumnSums(rows, w, null, 1);
  const modelPool = block(totals, 0, 0);
  const seed = metrics.seed;
  const intervals = metrics.resamples > 0 && n > 1 ? jointBootstrap(rows, layout, metrics.resamples, `${seed}:fair-pp`) : null;

  const segmentScores: SegmentScore[] = segments.map((segment, j) => {
    const segmentPool = block(totals, 0, j + 1);
    const similarity = safeSimilarity(totals, totals, modelAt[j]!, (j + 1) * k, k);
    const interval = intervals && Number.isFinite(similarity) && Number.isFinite(intervals[j]!.low) ? intervals[j]! : null;
    // The noise ceiling is a resampling reference like the intervals: computed with them, at
    // the number of questions the segment answered.
    const ceiling =
      metrics.resamples > 0 && anchored[j]! > 0 && segmentPool.some((x) => x > 0)
        ? noiseCeiling(segmentPool, anchored[j]!, { seed: `${seed}:ceiling:${segment}`, resamples: Math.min(200, metrics.resamples) })
        : null;
    return {
      segment,
      similarity,
      low: interval ? interval.low : null,
      high: interval ? interval.high : null,
      perQuestion: perItemCount[j]! > 0 ? perItemSum[j]! / perItemCount[j]! : NaN,
      agreement: anchored[j]! > 0 ? agree[j]! / anchored[j]! : NaN,
      uniform: segmentPool.some((x) => x > 0) ? jsSimilarity(new Array<number>(k).fill(1 / k), segmentPool) : NaN,
      noiseCeiling: ceiling,
      segmentPool,
    };
  });
  const finite = segmentScores.filter((s) => Number.isFinite(s.similarity));
  const nearest = finite.length > 0 ? finite[argmax(finite.map((s) => s.similarity))]!.segment : null;

  // Breakdowns: each item's group id per key, then every key's group sums from a few passes
  // over the item array (breakdown-sums.ts).
  const breakdowns: FairPpDetails['breakdowns'] = {};
  const keyIds = BREAKDOWN_KEYS.map((key) => groupIdsOf(scored, key));
  const keySums = breakdownSums(rows, w, Object.fromEntries(BREAKDOWN_KEYS.map((key, kk) => [key, keyIds[kk]!])));
  for (const [kk, key] of BREAKDOWN_KEYS.entries()) {
    const { ids, groupOf } = keyIds[kk]!;
    if (ids.size === 0) continue;
    const counts = new Int32Array(ids.size);
    for (let i = 0; i < n; i++) if (groupOf[i]! >= 0) counts[groupOf[i]!]!++;
    const sums = keySums[key]!;
    breakdowns[key] = [...ids.entries()]
      .sort(([x], [y]) => NATURAL_ORDER.compare(x, y))
      .map(([value, g]) => {
        const mp = block(sums, g * w, 0);
        const similarity: Record<string, number> = {};
        segments.forEach((seg, j) => (similarity[seg] = safeSimilarity(sums, sums, g * w + modelAt[j]!, g * w + (j + 1) * k, k)));
        return { value, n: counts[g]!, modelPool: mp, similarity };
      });
  }

  const rotations = scored.filter((s) => s.rotations && s.rotations.length > 1).map((s) => s.rotations!);
  const bias = rotations.length > 0 ? positionBias(rotations).index : null;

  let roleplay: FairPpDetails['roleplay'] = null;
  if (options.roleplay) {
    const personas = [...new Set(scored.map((s) => String(s.meta.persona ?? '')))].filter(Boolean).sort();
    const personaId = new Map(personas.map((p, g) => [p, g]));
    const personaOf = Int32Array.from(scored, (s) => personaId.get(String(s.meta.persona ?? '')) ?? -1);
    const sums = groupColumnSums(rows, w, personaOf, personas.length);
    const matrix = personas.map((_, g) => segments.map((_, j) => safeSimilarity(sums, sums, g * w + modelAt[j]!, g * w + (j + 1) * k, k)));
    const own = personas.filter((p, i) => {
      const row = matrix[i]!;
      const j = segments.indexOf(p);
      return j >= 0 && argmax(row.map((x) => (Number.isFinite(x) ? x : -Infinity))) === j;
    });
    roleplay = {
      personas,
      segments,
      matrix,
      fidelity: personas.length > 0 ? own.length / personas.length : NaN,
      diagonal: Object.fromEntries(personas.map((p, i) => [p, matrix[i]![segments.indexOf(p)] ?? NaN])),
    };
  }

  const headline: Headline[] = segmentScores.map((s) => ({
    key: `similarity.${s.segment}`,
    label: `Similarity to ${s.segment}`,
    value: Number.isFinite(s.similarity) ? s.similarity : null,
    ...(s.low !== null && s.high !== null ? { low: s.low, high: s.high } : {}),
    official,
    note: `uniform ${fmt(s.uniform)}, ceiling ${s.noiseCeiling === null ? 'N/A' : fmt(s.noiseCeiling)}`,
  }));
  if (segmentScores.length === 0) {
    // Nothing to compare with: say so where the numbers would be (results page, widget, CLI).
    headline.push({
      key: 'similarity',
      label: 'Similarity to the segments',
      value: null,
      note: n === 0 ? 'no question was answered' : 'these questions carry no segment answers: load an anchor pack (made by role-play or imported) to compare',
    });
  }
  if (roleplay) headline.push({ key: 'roleplay.fidelity', label: 'Role-play fidelity (own segment nearest)', value: Number.isFinite(roleplay.fidelity) ? roleplay.fidelity : null });
  if (bias !== null) headline.push({ key: 'positionBias', label: 'Position-bias index (ours)', value: bias });

  const segmentMatrix = segmentScores.map((a) => segmentScores.map((b) => safeSimilarity(a.segmentPool, b.segmentPool)));
  const nearestScore = segmentScores.find((s) => s.segment === nearest);
  if (nearestScore) {
    headline.unshift({
      key: 'nearest',
      label: `Nearest segment: ${nearest}`,
      value: nearestScore.similarity,
      official,
      note: official ? 'official score' : officialReason,
    });
  }

  const details: FairPpDetails = {
    official,
    officialReason,
    mode: metrics.run.mode,
    scored: scored.length,
    unanswered: items.length - scored.length,
    invalidAnswers,
    optionLabels: scored[0]?.options ?? [],
    modelPool,
    segments: segmentScores,
    nearest,
    breakdowns,
    positionBias: bias,
    segmentMatrix,
    roleplay,
  };
  return { suite: 'fair-pp', headline, details: details as unknown as Record<string, unknown> };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'N/A');

/**
 * The headline similarities as functions of item indices (for paired comparisons): the pooled
 * 1 - JSD between the model and each segment over the chosen items. Items without an answer
 * count as contributing nothing to either pool.
 */
export function fairPpStatistics(items: ItemResult[]): Record<string, { label: string; of: (indices: ArrayLike<number>) => number }> {
  const k = optionCount(items) ?? 3;
  const zero = new Array<number>(k).fill(0);
  const segments = [...new Set(items.flatMap((i) => Object.keys(anchorsOf(i))))].sort();
  const out: Record<string, { label: string; of: (indices: ArrayLike<number>) => number }> = {};
  for (const segment of segments) {
    // Both pools over the questions the model and the segment both answered (as scoreFairPp).
    const both = items.map((i) => Boolean(i.distribution && answered(anchorsOf(i)[segment])));
    const model = items.map((i, x) => (both[x] ? i.distribution! : zero));
    const anchor = items.map((i, x) => (both[x] ? anchorsOf(i)[segment]! : zero));
    out[`similarity.${segment}`] = {
      label: `Similarity to ${segment}`,
      // NaN when the indices hold none of the questions the segment answered (see jointBootstrap).
      of: (indices) => safeSimilarity(pool(model, k, indices), pool(anchor, k, indices)),
    };
  }
  return out;
}
