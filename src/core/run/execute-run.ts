/**
 * One benchmark run, the same in the CLI and the app: sample the suite's items, score them
 * with the model, keep the record current item by item, compute the metrics.
 */
import type { ItemPredictor, ModelBackend } from '../backends/backend.ts';
import type { Item } from '../items/item.ts';
import { sampleItems, type SampleStrategy } from '../items/sample.ts';
import { itemSetHash, newRunRecord, sortedItems, systemPromptTable } from '../record/build.ts';
import type { FileRef, ItemResult, RunRecord } from '../record/schema.ts';
import { assertSameFiles } from './same-files.ts';
import { scoreItems, type ScoringConfig } from '../engine/score-items.ts';
import type { Progress } from '../engine/progress.ts';
import type { LoadedSuite, MetricsOptions, Suite, SuiteOptionValues } from '../../suites/suite.ts';

export interface RunPlan {
  id: string;
  suite: Suite;
  options: SuiteOptionValues;
  loaded: LoadedSuite;
  scoring: ScoringConfig;
  sample: PlannedSample;
  producer: RunRecord['producer'];
  metrics: Omit<MetricsOptions, 'run'>;
  environment?: string;
}

/** A run's sample settings; `nested` as in items/sample.ts (default true: new runs draw nested samples). */
export interface PlannedSample {
  strategy: SampleStrategy;
  limit?: number;
  seed: number;
  nested?: boolean;
}

export function planItems(plan: Pick<RunPlan, 'loaded' | 'sample'>): Item[] {
  return sampleItems(plan.loaded.items, { ...plan.sample, stratifyBy: plan.loaded.stratifyBy });
}

/** The sample a record was drawn with, to draw it again when resuming (records without `nested` drew the older way). */
export function recordedSample(record: Pick<RunRecord, 'sample'>): PlannedSample {
  const { strategy, limit, seed, nested } = record.sample;
  return { strategy, ...(limit ? { limit } : {}), seed, nested: nested ?? false };
}

/** The sample part of a new record: `nested` is said where it applies (stratified draws). */
export function newSampleFields(sample: PlannedSample, items: readonly Item[]) {
  return {
    strategy: sample.strategy,
    ...(sample.limit ? { limit: sample.limit } : {}),
    seed: sample.seed,
    ...(sample.strategy === 'stratified' ? { nested: sample.nested ?? true } : {}),
    total: items.length,
    itemIds: items.map((i) => i.id),
  };
}

/**
 * A resumed run must score the questions it started with: the sample drawn again from the data
 * as loaded now must have the record's item-set hash (the data, its version or the sampling
 * may have changed since), or the run would mix two question sets.
 */
export function assertSameSample(record: Pick<RunRecord, 'sample'>, items: readonly Item[]): void {
  if (itemSetHash(items.map((i) => i.id)) === record.sample.itemSetHash) return;
  throw new Error(
    `this run cannot be resumed: its ${record.sample.total} questions cannot be drawn again from the data as loaded now (the data changed since, or was loaded from another file); the answers it saved are kept: export them, or start a new run`,
  );
}

/**
 * Everything a resumed run must find again before it scores anything: the files it read (same
 * SHA-256, see same-files.ts: same question ids can carry other anchors or gold answers) and the
 * questions it started with. Shared by the command line (executeRun) and the browser's run service.
 */
export function assertResumable(record: Pick<RunRecord, 'sample' | 'suite'>, loadedFiles: readonly FileRef[], items: readonly Item[]): void {
  assertSameFiles(record.suite.data.files, loadedFiles);
  assertSameSample(record, items);
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
  if (callbacks.resume) assertResumable(callbacks.resume, plan.loaded.data.files, items);
  const record =
    callbacks.resume ??
    newRunRecord({
      id: plan.id,
      producer: plan.producer,
      suite: { id: plan.suite.id, version: plan.suite.version, options: plan.options, data: plan.loaded.data },
      model: model.info,
      scoring: plan.scoring,
      sample: newSampleFields(plan.sample, items),
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
