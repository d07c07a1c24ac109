/**
 * One benchmark run, the same in the CLI and the app: sample the suite's items, score them
 * with the model, keep the record current item by item, compute the metrics.
 */
import type { ItemPredictor, ModelBackend } from '../backends/backend.ts';
import type { Item } from '../items/item.ts';
import { sampleItems, type SampleStrategy } from '../items/sample.ts';
import { newRunRecord, sortedItems, systemPromptTable } from '../record/build.ts';
import type { ItemResult, RunRecord } from '../record/schema.ts';
import { scoreItems, type ScoringConfig } from '../engine/score-items.ts';
import type { Progress } from '../engine/progress.ts';
import type { LoadedSuite, MetricsOptions, Suite, SuiteOptionValues } from '../../suites/suite.ts';

export interface RunPlan {
  id: string;
  suite: Suite;
  options: SuiteOptionValues;
  loaded: LoadedSuite;
  scoring: ScoringConfig;
  sample: { strategy: SampleStrategy; limit?: number; seed: number };
  producer: RunRecord['producer'];
  metrics: Omit<MetricsOptions, 'run'>;
  environment?: string;
}

export function planItems(plan: Pick<RunPlan, 'loaded' | 'sample'>): Item[] {
  return sampleItems(plan.loaded.items, { ...plan.sample, stratifyBy: plan.loaded.stratifyBy });
}

export interface ExecuteCallbacks {
  onItem?: (result: ItemResult, record: RunRecord) => void | Promise<void>;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  /** A record to continue (its items are kept and skipped). */
  resume?: RunRecord;
}

export async function executeRun(plan: RunPlan, model: ModelBackend | ItemPredictor, callbacks: ExecuteCallbacks = {}): Promise<RunRecord> {
  const items = planItems(plan);
  const record =
    callbacks.resume ??
    newRunRecord({
      id: plan.id,
      producer: plan.producer,
      suite: { id: plan.suite.id, version: plan.suite.version, options: plan.options, data: plan.loaded.data },
      model: model.info,
      scoring: plan.scoring,
      sample: { strategy: plan.sample.strategy, ...(plan.sample.limit ? { limit: plan.sample.limit } : {}), seed: plan.sample.seed, total: items.length, itemIds: items.map((i) => i.id) },
      systemPrompts: systemPromptTable(items),
      environment: plan.environment,
    });
  record.status = 'running';
  const done = new Set(record.items.map((i) => i.id));
  await scoreItems(items, model, plan.scoring, {
    skip: done,
    signal: callbacks.signal,
    onProgress: callbacks.onProgress,
    onResult: async (result) => {
      record.items.push(result);
      record.updatedAt = new Date().toISOString();
      await callbacks.onItem?.(result, record);
    },
  });
  return completeRun(record, plan.suite, plan.metrics);
}

export function runContext(record: RunRecord): MetricsOptions['run'] {
  const { mode, template, order, samples, maxNewTokens, parser } = record.scoring;
  return {
    mode,
    templateId: template.id,
    modelKind: record.model.kind,
    order,
    ...(samples !== undefined ? { samples } : {}),
    ...(maxNewTokens !== undefined ? { maxNewTokens } : {}),
    ...(parser !== undefined ? { parser } : {}),
  };
}

/**
 * Every metric of a run, from its items taken in id order: the numbers (bootstrap intervals
 * included) do not depend on the order the items were scored or saved in, so a run that was
 * interrupted and resumed gets exactly the numbers of an uninterrupted one.
 */
export function computeMetrics(suite: Suite, record: RunRecord, metrics: Omit<MetricsOptions, 'run'>) {
  return suite.score(sortedItems(record.items), record.suite.options, { ...metrics, run: runContext(record) });
}

/** Marks a record complete and (re)computes its metrics from its items. */
export function completeRun(record: RunRecord, suite: Suite, metrics: Omit<MetricsOptions, 'run'>): RunRecord {
  const now = new Date().toISOString();
  record.items = sortedItems(record.items);
  record.metrics = computeMetrics(suite, record, metrics);
  record.status = 'complete';
  record.updatedAt = now;
  record.finishedAt = now;
  return record;
}
