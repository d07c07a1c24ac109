/**
 * Comparing two runs: they are matched item by item (by id); every headline statistic is
 * computed on the matched items for both runs and its difference gets a PAIRED bootstrap
 * interval (the same resampled items for both runs, so item difficulty cancels). Differences
 * in how the runs were made (prompt template, scoring mode, option order, item set, model
 * number format) are reported as warnings: they change the numbers independently of the model.
 */
import { pairedBootstrapDifference } from '../metrics/index.ts';
import type { ItemResult, RunRecord } from './schema.ts';

export type StatisticsOf = (items: ItemResult[]) => Record<string, { label: string; of: (indices: ArrayLike<number>) => number }>;

export interface Difference {
  key: string;
  label: string;
  a: number;
  b: number;
  difference: number;
  low: number | null;
  high: number | null;
}

export interface Comparison {
  matched: number;
  onlyA: number;
  onlyB: number;
  warnings: string[];
  differences: Difference[];
}

const shown = (v: unknown) => (v === undefined ? '(not set)' : v === '' ? '(empty)' : String(v));

/** The options that differ, one "key: A's value vs B's value" each, in key order. */
export function optionDifferences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .sort()
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k}: ${shown(a[k])} vs ${shown(b[k])}`);
}

export function comparisonWarnings(a: RunRecord, b: RunRecord): string[] {
  const w: string[] = [];
  if (a.suite.id !== b.suite.id) w.push(`different suites (${a.suite.id} vs ${b.suite.id}): the numbers are not comparable`);
  const options = optionDifferences(a.suite.options, b.suite.options);
  if (options.length > 0) w.push(`different suite options (${options.join('; ')})`);
  if (a.scoring.template.hash !== b.scoring.template.hash) w.push(`different prompt templates (${a.scoring.template.id} vs ${b.scoring.template.id})`);
  if (a.scoring.mode !== b.scoring.mode) w.push(`different scoring modes (${a.scoring.mode} vs ${b.scoring.mode})`);
  if (a.scoring.order !== b.scoring.order) w.push(`different option order (${a.scoring.order} vs ${b.scoring.order})`);
  if (a.sample.itemSetHash !== b.sample.itemSetHash) w.push('different question sets: only the questions both runs share are compared');
  if (a.suite.data.files.map((f) => f.sha256).join() !== b.suite.data.files.map((f) => f.sha256).join()) w.push('the data files differ (another revision, or another anchor pack)');
  return w;
}

export function compareRuns(a: RunRecord, b: RunRecord, statistics: StatisticsOf | null, options: { seed: number; resamples: number }): Comparison {
  const byIdB = new Map(b.items.map((i) => [i.id, i]));
  const matchedA: ItemResult[] = [];
  const matchedB: ItemResult[] = [];
  for (const item of a.items) {
    const other = byIdB.get(item.id);
    if (other) {
      matchedA.push(item);
      matchedB.push(other);
    }
  }
  const warnings = comparisonWarnings(a, b);
  const differences: Difference[] = [];
  if (statistics && matchedA.length > 0) {
    const statsA = statistics(matchedA);
    const statsB = statistics(matchedB);
    const n = matchedA.length;
    const all = Array.from({ length: n }, (_, i) => i);
    for (const [key, stat] of Object.entries(statsA)) {
      const other = statsB[key];
      if (!other) continue;
      const valueA = stat.of(all);
      const valueB = other.of(all);
      // Undefined on the shared questions (e.g. a segment that answered none of them): no difference to show.
      if (!Number.isFinite(valueA) || !Number.isFinite(valueB)) continue;
      let low: number | null = null;
      let high: number | null = null;
      if (options.resamples > 0 && n > 1) {
        const interval = pairedBootstrapDifference(n, (idx) => stat.of(idx), (idx) => other.of(idx), {
          seed: `${options.seed}:compare:${key}`,
          resamples: options.resamples,
          skipUndefined: true,
        });
        if (interval.resamples > 0) {
          low = interval.low;
          high = interval.high;
        }
      }
      differences.push({ key, label: stat.label, a: valueA, b: valueB, difference: valueA - valueB, low, high });
    }
  }
  return { matched: matchedA.length, onlyA: a.items.length - matchedA.length, onlyB: b.items.length - matchedB.length, warnings, differences };
}
