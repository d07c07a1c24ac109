/** Results from the items a stopped run saved so far (no intervals: resamples 0, as while running). */
import type { RunRecord } from '../../core/record/schema.ts';
import type { SuiteMetrics } from '../../suites/suite.ts';

export async function partialMetrics(record: RunRecord): Promise<SuiteMetrics | null> {
  if (record.metrics || record.items.length === 0) return null;
  const { getSuite } = await import('../../suites/registry.ts');
  const { computeMetrics } = await import('../../core/run/execute-run.ts');
  return computeMetrics(getSuite(record.suite.id), record, { seed: record.scoring.seed, resamples: 0 });
}
