/**
 * Subgroups, their answer distributions and modal answers, and the Modal Diversity Score: seed
 * 002's method (SPEC section 2) on any country's WVS-7 microdata. Pure: it works on in-memory
 * typed arrays (`WvsMicrodata` + `EncodedAttributes`), so it runs the same in the page, a Worker
 * and Node, and tests feed it small hand-made tables.
 *
 * EXACT DEFINITIONS (our choices where the paper is silent are marked "ours"):
 *  - Respondents are unweighted (W_WEIGHT is ignored, as in the paper's counts). Ours.
 *  - A subgroup of a stratum is a combination of its attributes' categories that some respondent
 *    has; a respondent missing any of them is in no subgroup of that stratum. Subgroups are
 *    ordered by id, the labels joined with " | " in the stratum's attribute order
 *    ("Chinese | No religion"), compared by UTF-16 code units.
 *  - A subgroup is KEPT when it has >= minCount respondents (default 30).
 *  - A valid answer to a K-option question is a code 1..K; negative codes (missing) and any
 *    other code (out of range, counted per question) are excluded. Ours: out-of-range codes.
 *  - A (kept subgroup, question) pair is scored when it has >= minCount valid answers; else it
 *    is DROPPED (listed). Ours.
 *  - Mode = the code with the most valid answers; ties go to the LOWEST code and are counted
 *    (`modalAnswer` in the metrics core). Ours.
 *  - MDS of a question in a stratum = modalDiversityScore over the modes of its scored pairs,
 *    |S| = their number, |C| = K (SPEC section 2); null when no pair is scored.
 *  - Wasserstein cross-check (ordinal questions only; null otherwise): meanPairwiseWasserstein
 *    over the scored pairs' answer distributions, raw (in [0, K-1]) and divided by K - 1.
 *  - The population row of a question: every respondent of the data with a valid answer (the
 *    country's majority, `baseline:majority`), with the same mode rule.
 */
import { meanPairwiseWasserstein, modalAnswer, modalDiversityScore } from '../../core/metrics/index.ts';
import { column, type WvsMicrodata } from '../../sources/wvs/microdata.ts';
import type { Codebook } from '../../sources/wvs/codebook.ts';
import { ATTRIBUTES, type AttributeId, type EncodedAttributes } from './attributes.ts';
import type { SplitName, StratumDef } from './strata.ts';

export interface QuestionInput {
  code: string;
  /** Number of options: valid answers are codes 1..k. */
  k: number;
  ordinal: boolean;
}

export interface BuildInput {
  data: WvsMicrodata;
  attributes: EncodedAttributes;
  codebook: Codebook;
  strata: readonly StratumDef[];
  questions: readonly QuestionInput[];
  minCount: number;
}

export interface Subgroup {
  /** Labels joined with " | " in the stratum's attribute order. */
  id: string;
  stratum: string;
  split: SplitName;
  /** Category key per attribute of the stratum. */
  categories: Partial<Record<AttributeId, number>>;
  /** Display label per attribute of the stratum. */
  labels: Partial<Record<AttributeId, string>>;
  /** Row indices of its respondents, ascending. */
  members: Int32Array;
  respondents: number;
  kept: boolean;
}

/** Answers of one group (a subgroup, or the whole population) to one question. */
export interface AnswerCell {
  /** Valid answers (codes 1..k). */
  n: number;
  /** counts[c] = answers with code c + 1. */
  counts: number[];
  /** 0-based index of the modal code (code = mode + 1); -1 when n = 0. */
  mode: number;
  tie: boolean;
  /** 0-based indices of every code with the top count (length > 1 on a tie). */
  ties: number[];
}

export interface ScoredPair extends AnswerCell {
  subgroup: string;
}

export interface StratumQuestion {
  question: string;
  k: number;
  ordinal: boolean;
  /** Kept subgroups with >= minCount valid answers, in subgroup order. */
  pairs: ScoredPair[];
  /** Kept subgroups with fewer valid answers (dropped for this question). */
  dropped: string[];
  /** Pairs whose mode was a tie. */
  ties: number;
  /** Modal Diversity Score; null when no pair is scored. */
  mds: number | null;
  /** Mean pairwise Wasserstein distance (ordinal questions with a pair; else null), raw and / (k - 1). */
  meanWasserstein: number | null;
  normalizedWasserstein: number | null;
}

export interface StratumResult {
  def: StratumDef;
  subgroups: Subgroup[];
  keptSubgroups: number;
  questions: StratumQuestion[];
}

export interface BuildResult {
  strata: StratumResult[];
  /** Per question, over every respondent. */
  population: Map<string, AnswerCell>;
  /** Per question: answers with a non-negative code outside 1..k. */
  outOfRange: Map<string, number>;
  respondents: number;
}

/** Counts, mode and ties of the valid answers among `members` (all rows when null). */
export function answerCell(answers: Int32Array, members: Int32Array | null, k: number): { cell: AnswerCell; outOfRange: number } {
  const counts = new Array<number>(k).fill(0);
  let outOfRange = 0;
  const n = members ? members.length : answers.length;
  for (let j = 0; j < n; j++) {
    const v = answers[members ? members[j]! : j]!;
    if (v >= 1 && v <= k) counts[v - 1]!++;
    else if (v >= 0) outOfRange++;
  }
  const valid = counts.reduce((a, b) => a + b, 0);
  if (valid === 0) return { cell: { n: 0, counts, mode: -1, tie: false, ties: [] }, outOfRange };
  const { answer, tie } = modalAnswer(counts);
  const top = counts[answer]!;
  const ties = counts.flatMap((c, i) => (c === top ? [i] : []));
  return { cell: { n: valid, counts, mode: answer, tie, ties }, outOfRange };
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The subgroups of one stratum (every combination some respondent has). */
export function stratumSubgroups(def: StratumDef, attributes: EncodedAttributes, codebook: Codebook, rows: number, minCount: number): Subgroup[] {
  const columns = def.attributes.map((id) => {
    const keys = attributes.keys.get(id);
    if (!keys) throw new RangeError(`stratum ${def.name}: attribute ${id} was not encoded`);
    return keys;
  });
  // Group index per respondent (-1 = in no subgroup), then members as typed arrays. Keys of up to
  // two attributes below 2^26 combine into one exact number; others fall back to a string key.
  const groupIndex = new Map<number | string, number>();
  const groupKeys: number[][] = [];
  const sizes: number[] = [];
  const groupOf = new Int32Array(rows).fill(-1);
  for (let i = 0; i < rows; i++) {
    let combo: number | string = 0;
    let complete = true;
    for (const col of columns) {
      const key = col[i]!;
      if (key < 0) {
        complete = false;
        break;
      }
      combo = typeof combo === 'number' && key < 2 ** 26 && columns.length <= 2 ? combo * 2 ** 26 + key : `${combo},${key}`;
    }
    if (!complete) continue;
    let g = groupIndex.get(combo);
    if (g === undefined) {
      g = groupKeys.length;
      groupIndex.set(combo, g);
      groupKeys.push(columns.map((col) => col[i]!));
      sizes.push(0);
    }
    groupOf[i] = g;
    sizes[g]!++;
  }
  const memberArrays = sizes.map((n) => new Int32Array(n));
  const fill = new Int32Array(sizes.length);
  for (let i = 0; i < rows; i++) {
    const g = groupOf[i]!;
    if (g >= 0) memberArrays[g]![fill[g]!++] = i;
  }
  const groups = groupKeys.map((keys, g) => ({ keys, members: memberArrays[g]! }));
  const out: Subgroup[] = [];
  for (const { keys, members } of groups) {
    const categories: Partial<Record<AttributeId, number>> = {};
    const labels: Partial<Record<AttributeId, string>> = {};
    def.attributes.forEach((id, j) => {
      categories[id] = keys[j]!;
      labels[id] = ATTRIBUTES[id].label(keys[j]!, codebook);
    });
    out.push({
      id: def.attributes.map((id) => labels[id]!).join(' | '),
      stratum: def.name,
      split: def.split,
      categories,
      labels,
      members,
      respondents: members.length,
      kept: members.length >= minCount,
    });
  }
  out.sort((a, b) => byCodeUnits(a.id, b.id));
  // Two codes with one label would merge silently in the charts: refuse.
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.id === out[i - 1]!.id) throw new RangeError(`stratum ${def.name}: two subgroups are both labelled "${out[i]!.id}" (the codebook gives two codes one label)`);
  }
  return out;
}

/** MDS and the Wasserstein cross-check of one question over scored pairs. */
export function diversity(pairs: readonly AnswerCell[], k: number, ordinal: boolean): Pick<StratumQuestion, 'mds' | 'meanWasserstein' | 'normalizedWasserstein'> {
  if (pairs.length === 0) return { mds: null, meanWasserstein: null, normalizedWasserstein: null };
  const mds = modalDiversityScore(
    pairs.map((p) => p.mode),
    k,
  );
  if (!ordinal || k < 2) return { mds, meanWasserstein: null, normalizedWasserstein: null };
  const w = meanPairwiseWasserstein(pairs.map((p) => p.counts));
  return { mds, meanWasserstein: w, normalizedWasserstein: w / (k - 1) };
}

/** Builds every stratum's subgroups and per-question cells, MDS, and the population rows. */
export function buildSubgroups(input: BuildInput): BuildResult {
  const { data, attributes, codebook, strata, questions, minCount } = input;
  if (!Number.isInteger(minCount) || minCount < 1) throw new RangeError(`minCount must be a positive integer, got ${minCount}`);
  const answers = new Map<string, Int32Array>();
  for (const q of questions) {
    const col = column(data, q.code);
    if (!col) throw new RangeError(`question ${q.code} was not read from the file`);
    if (!Number.isInteger(q.k) || q.k < 2) throw new RangeError(`question ${q.code}: needs at least 2 options, has ${q.k}`);
    answers.set(q.code, col);
  }
  const population = new Map<string, AnswerCell>();
  const outOfRange = new Map<string, number>();
  for (const q of questions) {
    const { cell, outOfRange: bad } = answerCell(answers.get(q.code)!, null, q.k);
    population.set(q.code, cell);
    outOfRange.set(q.code, bad);
  }
  const results: StratumResult[] = strata.map((def) => {
    const subgroups = stratumSubgroups(def, attributes, codebook, data.rows, minCount);
    const kept = subgroups.filter((s) => s.kept);
    const perQuestion: StratumQuestion[] = questions.map((q) => {
      const col = answers.get(q.code)!;
      const pairs: ScoredPair[] = [];
      const dropped: string[] = [];
      for (const s of kept) {
        const { cell } = answerCell(col, s.members, q.k);
        if (cell.n >= minCount) pairs.push({ subgroup: s.id, ...cell });
        else dropped.push(s.id);
      }
      return {
        question: q.code,
        k: q.k,
        ordinal: q.ordinal,
        pairs,
        dropped,
        ties: pairs.filter((p) => p.tie).length,
        ...diversity(pairs, q.k, q.ordinal),
      };
    });
    return { def, subgroups, keptSubgroups: kept.length, questions: perQuestion };
  });
  return { strata: results, population, outOfRange, respondents: data.rows };
}

/** One row of the MDS chart: a question in a stratum. */
export interface MdsRow {
  question: string;
  stratum: string;
  split: SplitName;
  subgroups: number;
  mds: number | null;
  meanWasserstein: number | null;
  normalizedWasserstein: number | null;
  ties: number;
}

/** The MDS table (question x stratum) of a build, for the app's chart. */
export function mdsTable(result: BuildResult): MdsRow[] {
  return result.strata.flatMap((s) =>
    s.questions.map((q) => ({
      question: q.question,
      stratum: s.def.name,
      split: s.def.split,
      subgroups: q.pairs.length,
      mds: q.mds,
      meanWasserstein: q.meanWasserstein,
      normalizedWasserstein: q.normalizedWasserstein,
      ties: q.ties,
    })),
  );
}
