/**
 * Scores of predicted answers against gold answers on ordinal scales (WVS subgroups, DVMap).
 *
 * Answers are 0-based option codes (0..k-1 on a k-point scale). With a distribution per item, the
 * predicted answer is its `argmax` (ties to the lowest index). Every function takes either
 * parallel arrays with one scale size k for all items, or an array of `{ pred, gold, k }` items
 * for benchmarks whose questions have different scale sizes.
 */
import { assertAnswerCode, assertInteger, assertNonEmpty, assertSameLength } from './checks.ts';

/** One scored item: predicted and gold answer codes on a k-point scale. */
export interface OrdinalItem {
  pred: number;
  gold: number;
  /** Number of options of this item's scale (>= 2 for NMAE and LC). */
  k: number;
}

type Args = [items: readonly OrdinalItem[]] | [pred: readonly number[], gold: readonly number[], k: number];

/**
 * Validated items from either calling form; `minK` is the smallest allowed scale size. In the
 * parallel-array form, k = null (accuracy without a scale) only checks that answers are integers
 * >= 0, and the items get k = Infinity.
 */
function toItems(
  where: string,
  args: [items: readonly OrdinalItem[]] | [pred: readonly number[], gold: readonly number[], k: number | null],
  minK: number,
): OrdinalItem[] {
  if (args.length === 1) {
    const items = [...args[0]];
    assertNonEmpty(where, 'items', items);
    items.forEach(({ pred, gold, k }, i) => {
      assertInteger(where, `items[${i}].k`, k, minK);
      assertAnswerCode(where, `items[${i}].pred`, pred, k);
      assertAnswerCode(where, `items[${i}].gold`, gold, k);
    });
    return items;
  }
  const [pred, gold, scale] = args;
  assertSameLength(where, 'pred', pred, 'gold', gold);
  assertNonEmpty(where, 'pred', pred);
  if (scale !== null) assertInteger(where, 'k', scale, minK);
  const k = scale ?? Infinity;
  return pred.map((p, i) => {
    const g = gold[i]!;
    assertAnswerCode(where, `pred[${i}]`, p, k);
    assertAnswerCode(where, `gold[${i}]`, g, k);
    return { pred: p, gold: g, k };
  });
}

/**
 * Accuracy = (1/n) sum_i 1[pred_i = gold_i]: the share of exact matches (with the modal answer in
 * the WVS-subgroup benchmark, with the respondent's answer in DVMap).
 * Form 1: `accuracy(pred, gold)` (answers must be integer codes >= 0); form 2: `accuracy(items)`
 * (answers must also lie in 0..k-1).
 * Throws on empty input, a length mismatch, a k that is not a positive integer, or a bad answer code.
 */
export function accuracy(items: readonly OrdinalItem[]): number;
export function accuracy(pred: readonly number[], gold: readonly number[]): number;
export function accuracy(...args: [items: readonly OrdinalItem[]] | [pred: readonly number[], gold: readonly number[]]): number {
  const items = toItems('accuracy', args.length === 1 ? args : [args[0], args[1], null], 1);
  let hits = 0;
  for (const { pred, gold } of items) if (pred === gold) hits++;
  return hits / items.length;
}

/**
 * Normalised mean absolute error NMAE = (1/n) sum_i |pred_i - gold_i| / (k_i - 1), in [0, 1]:
 * 0 = every answer exact, 1 = every answer at the opposite end of its scale. Each item is scaled
 * by its own k, so 3-, 4- and 5-point questions can be pooled.
 * Form 1: `nmae(pred, gold, k)`; form 2: `nmae(items)`.
 * Throws on empty input, a length mismatch, k < 2 (no ordinal distance on one option) or an answer
 * outside 0..k-1.
 */
export function nmae(items: readonly OrdinalItem[]): number;
export function nmae(pred: readonly number[], gold: readonly number[], k: number): number;
export function nmae(...args: Args): number {
  return meanScaledError('nmae', args);
}

/**
 * DVMap's Likert Consistency LC = 1 - NMAE = 1 - (1/n) sum_i |pred_i - gold_i| / (k_i - 1), in [0, 1].
 * Same forms and errors as `nmae`.
 */
export function likertConsistency(items: readonly OrdinalItem[]): number;
export function likertConsistency(pred: readonly number[], gold: readonly number[], k: number): number;
export function likertConsistency(...args: Args): number {
  return 1 - meanScaledError('likertConsistency', args);
}

function meanScaledError(where: string, args: Args): number {
  const items = toItems(where, args, 2);
  let sum = 0;
  for (const { pred, gold, k } of items) sum += Math.abs(pred - gold) / (k - 1);
  return sum / items.length;
}
