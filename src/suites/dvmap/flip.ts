/**
 * Counterfactual income pairs for DVMap's value flip rate (SPEC section 3): two items whose
 * question and every profile attribute are identical except the income bracket, one High and
 * one Low. Income values are read ignoring case, with an optional " income" suffix ("High",
 * "high income"); Middle and missing incomes form no pairs.
 *
 * Pairing: items are grouped by (question id, the 10 other attributes); within a group the
 * k-th High item is paired with the k-th Low item in the order given (a group normally holds
 * one of each), so the pairs are fixed by the item list alone.
 */
import type { MetaValue } from '../../core/items/item.ts';
import { ATTRIBUTE_KEYS } from './release.ts';

export type IncomeSide = 'high' | 'low' | null;

export function incomeSide(value: MetaValue | undefined): IncomeSide {
  const v = String(value ?? '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
  if (v === 'high' || v === 'high income') return 'high';
  if (v === 'low' || v === 'low income') return 'low';
  return null;
}

/** The pairing key of an item: question id and every attribute but income. */
export function counterfactualKey(meta: Record<string, MetaValue>): string {
  return JSON.stringify([meta.qid ?? null, ...ATTRIBUTE_KEYS.filter((k) => k !== 'income').map((k) => meta[k] ?? null)]);
}

/** Index pairs [high, low] into `metas`, in the order of each pair's first member. */
export function incomePairs(metas: ReadonlyArray<Record<string, MetaValue>>): Array<[number, number]> {
  const groups = new Map<string, { high: number[]; low: number[]; first: number }>();
  metas.forEach((meta, i) => {
    const side = incomeSide(meta.income);
    if (side === null) return;
    const key = counterfactualKey(meta);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { high: [], low: [], first: i }));
    g[side].push(i);
  });
  const pairs: Array<[number, number, number]> = [];
  for (const g of groups.values()) {
    const n = Math.min(g.high.length, g.low.length);
    for (let j = 0; j < n; j++) pairs.push([g.high[j]!, g.low[j]!, Math.min(g.high[j]!, g.low[j]!)]);
  }
  return pairs.sort((a, b) => a[2] - b[2]).map(([h, l]) => [h, l]);
}
