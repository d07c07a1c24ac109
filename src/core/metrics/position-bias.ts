/**
 * Option-order bias control (SPEC section 4): each question is scored under every cyclic rotation
 * of its substantive options; each rotation's distribution, mapped back to the original option
 * order by the caller, is averaged, and how much the rotations disagree measures position bias.
 */
import { assertNonEmpty, assertSameLength } from './checks.ts';
import { normalizeAs } from './distribution.ts';

/** One item's rotations combined. */
export interface ItemPositionBias {
  /** Mean of the (normalised) rotation distributions: the item's order-controlled distribution. */
  averaged: number[];
  /** Mean total-variation distance between each rotation and `averaged`, in [0, 1). */
  bias: number;
}

/** Position bias over a set of items. */
export interface PositionBiasResult {
  /** Per item, its averaged distribution. */
  averaged: number[][];
  /** Per item, its mean total-variation distance to the average. */
  perItem: number[];
  /** Position-bias index: the mean of `perItem` over items. */
  index: number;
}

/**
 * For one item with R rotation distributions r_1..r_R over the same options (already mapped back
 * to the original option order), each normalised to sum to 1:
 *
 *   averaged = (1/R) sum_j r_j,     bias = (1/R) sum_j TV(r_j, averaged),
 *   TV(p, q) = 1/2 sum_i |p_i - q_i|.
 *
 * One rotation gives bias 0. 0 = the option order changes nothing.
 * Throws when `rotations` is empty, the lengths differ, or a rotation is invalid (empty,
 * negative, NaN, all zeros).
 */
export function itemPositionBias(rotations: readonly (readonly number[])[]): ItemPositionBias {
  return itemBiasAs('itemPositionBias', 'rotations', rotations);
}

function itemBiasAs(where: string, what: string, rotations: readonly (readonly number[])[]): ItemPositionBias {
  assertNonEmpty(where, what, rotations);
  const normalized = rotations.map((r, j) => {
    assertSameLength(where, `${what}[0]`, rotations[0]!, `${what}[${j}]`, r);
    return normalizeAs(where, `${what}[${j}]`, r);
  });
  const k = normalized[0]!.length;
  const averaged = new Array<number>(k).fill(0);
  for (const r of normalized) for (let i = 0; i < k; i++) averaged[i]! += r[i]!;
  for (let i = 0; i < k; i++) averaged[i]! /= normalized.length;
  let tvSum = 0;
  for (const r of normalized) {
    let abs = 0;
    for (let i = 0; i < k; i++) abs += Math.abs(r[i]! - averaged[i]!);
    tvSum += abs / 2;
  }
  return { averaged, bias: tvSum / normalized.length };
}

/**
 * Position-bias index over items: `items[n]` holds item n's rotation distributions (see
 * `itemPositionBias`); index = (1/N) sum_n bias_n, the mean over items of the mean
 * total-variation distance between each rotation and the item's average. Items may have different
 * option counts and rotation counts.
 * Throws when `items` is empty or any item is invalid (the message names the item).
 */
export function positionBias(items: readonly (readonly (readonly number[])[])[]): PositionBiasResult {
  const where = 'positionBias';
  assertNonEmpty(where, 'items', items);
  const results = items.map((rotations, n) => itemBiasAs(where, `items[${n}]`, rotations));
  const perItem = results.map((r) => r.bias);
  let sum = 0;
  for (const b of perItem) sum += b;
  return { averaged: results.map((r) => r.averaged), perItem, index: sum / perItem.length };
}
