/** Creating, completing and checking run records. */
import { sha256Hex } from '../hash/sha256.ts';
import { systemKey, type ScoringConfig } from '../engine/score-items.ts';
import { PARSER_DESCRIPTIONS } from '../engine/parse-answer.ts';
import { templateHash } from '../prompts/template.ts';
import type { BackendInfo } from '../backends/backend.ts';
import { RUN_RECORD_FORMAT, RUN_RECORD_VERSION, RunRecordSchema, type ItemResult, type RunRecord } from './schema.ts';
import { describeIssues, MISSING_IS_MISSING } from './schema-issues.ts';

export const PLURALSCOPE_VERSION = '0.1.0';

export function itemSetHash(ids: Iterable<string>): string {
  return sha256Hex([...ids].sort().join('\n')).slice(0, 16);
}

/** The record-level table of the system prompts of these items (personas stored once). */
export function systemPromptTable(items: Iterable<{ system?: string }>): Record<string, string> {
  const table: Record<string, string> = {};
  for (const item of items) if (item.system) table[systemKey(item.system)] = item.system;
  return table;
}

export interface NewRecordInput {
  id: string;
  producer: RunRecord['producer'];
  suite: RunRecord['suite'];
  model: BackendInfo;
  scoring: ScoringConfig;
  sample: Omit<RunRecord['sample'], 'itemSetHash'> & { itemIds: string[] };
  /** System prompts of the items in the run (stored once, by key). */
  systemPrompts?: Record<string, string>;
  environment?: string;
  now?: Date;
}

export function newRunRecord(input: NewRecordInput): RunRecord {
  const now = (input.now ?? new Date()).toISOString();
  const { itemIds, ...sample } = input.sample;
  const m = input.model;
  const generate = input.scoring.mode === 'generate';
  return {
    format: RUN_RECORD_FORMAT,
    version: RUN_RECORD_VERSION,
    id: input.id,
    status: 'running',
    createdAt: now,
    updatedAt: now,
    producer: input.producer,
    suite: input.suite,
    model: {
      ref: m.ref,
      kind: m.kind,
      id: m.id,
      ...(m.revision ? { revision: m.revision } : {}),
      ...(m.dtype ? { dtype: m.dtype } : {}),
      systemRole: m.systemRole,
    },
    runtime: {
      device: m.device,
      ...(m.deviceReason ? { deviceReason: m.deviceReason } : {}),
      ...(m.adapter ? { adapter: m.adapter } : {}),
      ...(m.logits ? { logits: m.logits } : {}),
      libraries: m.libraries,
      ...(input.environment ? { environment: input.environment } : {}),
    },
    scoring: {
      mode: input.scoring.mode,
      order: input.scoring.order,
      seed: input.scoring.seed,
      template: { ...input.scoring.template, hash: templateHash(input.scoring.template) },
      ...(generate
        ? {
            samples: input.scoring.samples,
            temperature: input.scoring.temperature,
            maxNewTokens: input.scoring.maxNewTokens,
            parser: `${input.scoring.parser}: ${PARSER_DESCRIPTIONS[input.scoring.parser]}`,
          }
        : {}),
      prefixReuse: input.scoring.prefixReuse,
      batchSize: input.scoring.batchSize,
    },
    sample: { ...sample, itemSetHash: itemSetHash(itemIds) },
    ...(input.systemPrompts && Object.keys(input.systemPrompts).length > 0 ? { systemPrompts: input.systemPrompts } : {}),
    items: [],
    events: [],
  };
}

export class RunRecordError extends Error {
  override name = 'RunRecordError';
}

/** A value for a message: strings quoted and cut short, containers named, a missing one said so. */
function preview(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Deepest nesting a record may have. The format's own structure is about 6 levels deep;
 * `refs` and `metrics` hold suite data a few levels more. A value nested thousands deep passes
 * the schema (those fields are free-form) but cannot be stored (structuredClone), sent to the
 * Worker or written back (JSON.stringify): all overflow the stack.
 */
const MAX_DEPTH = 64;

/** The path of a value nested deeper than `max`, or null; iterative, so any depth is safe. */
function pathDeeperThan(root: unknown, max: number): string | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: root, depth: 0, path: '(root)' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) return path;
    for (const [key, child] of Object.entries(value)) stack.push({ value: child, depth: depth + 1, path: depth === 0 ? key : `${path}.${key}` });
  }
  return null;
}

/** Parses and validates a run record, with a specific message naming the first problems. */
export function validateRunRecord(value: unknown): RunRecord {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new RunRecordError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new RunRecordError('a run record must be a JSON object');
  const v = value as Record<string, unknown>;
  if (v.format !== RUN_RECORD_FORMAT) throw new RunRecordError(`not a Pluralscope run record (its "format" is ${preview(v.format)}, expected "${RUN_RECORD_FORMAT}")`);
  if (v.version !== RUN_RECORD_VERSION) {
    throw new RunRecordError(`run record version ${preview(v.version)} is not supported by this version of Pluralscope (it reads version ${RUN_RECORD_VERSION})`);
  }
  const deep = pathDeeperThan(value, MAX_DEPTH);
  if (deep) throw new RunRecordError(`invalid run record: ${deep} is nested more than ${MAX_DEPTH} levels deep`);
  const parsed = RunRecordSchema.safeParse(value, MISSING_IS_MISSING);
  if (!parsed.success) throw new RunRecordError(`invalid run record: ${describeIssues(parsed.error.issues, 5)}`);
  const record = parsed.data;
  const seen = new Set<string>();
  for (const item of record.items) {
    if (seen.has(item.id)) throw new RunRecordError(`invalid run record: item id "${item.id}" appears twice`);
    seen.add(item.id);
    if (item.distribution && item.distribution.length !== item.options.length) {
      throw new RunRecordError(`invalid run record: item "${item.id}" has ${item.options.length} options but a distribution of ${item.distribution.length}`);
    }
    if (item.distribution) {
      const sum = item.distribution.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6) throw new RunRecordError(`invalid run record: item "${item.id}"'s distribution sums to ${sum}, not 1`);
    }
  }
  return record;
}

/** Items in a stable order (by id) for comparisons and exports. */
export function sortedItems(items: ItemResult[]): ItemResult[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
