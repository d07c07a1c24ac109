/** The FAIR-SP lean heatmap: how far the model leans to the first option, per social group and topic. */
import type { ItemResult } from '../../core/record/schema.ts';

export interface LeanCell {
  group: string;
  topic: string;
  /** Mean over the cell's items of P(first option) - P(second option), in [-1, 1]. */
  lean: number;
  /** Items in the cell. */
  n: number;
}

/**
 * One cell per (meta.group, meta.topic) pair, in the order the pairs first appear: the mean of
 * distribution[0] - distribution[1] (the source's order: first pole minus second) over the
 * cell's items. Items without a distribution (no readable answer) or without a group or topic
 * are left out.
 */
export function leanByGroupAndTopic(items: ReadonlyArray<Pick<ItemResult, 'meta' | 'distribution'>>): LeanCell[] {
  const cells = new Map<string, { group: string; topic: string; sum: number; n: number }>();
  for (const item of items) {
    if (!item.distribution) continue;
    const group = String(item.meta.group ?? '');
    const topic = String(item.meta.topic ?? '');
    if (!group || !topic) continue;
    const key = `${group}\u0000${topic}`;
    const cell = cells.get(key) ?? { group, topic, sum: 0, n: 0 };
    cell.sum += (item.distribution[0] ?? 0) - (item.distribution[1] ?? 0);
    cell.n++;
    cells.set(key, cell);
  }
  return [...cells.values()].map((c) => ({ group: c.group, topic: c.topic, lean: c.sum / c.n, n: c.n }));
}
