/**
 * A suite is one declarative definition (like a task in lm-evaluation-harness): where its data
 * comes from, how rows become items, which prompt templates it uses, which options it takes,
 * which baselines it defines, and how its metrics are computed from per-item results. Adding
 * a suite is adding one folder under src/suites/ and one line in the registry.
 */
import type { ParserId } from '../core/engine/parse-answer.ts';
import type { Item } from '../core/items/item.ts';
import type { PromptTemplate } from '../core/prompts/template.ts';
import type { ItemResult, RunRecord } from '../core/record/schema.ts';
import type { DataSourceContext } from '../sources/source.ts';

export type OptionValue = string | number | boolean;
export type SuiteOptionValues = Record<string, OptionValue>;

export interface SuiteOptionSpec {
  key: string;
  description: string;
  type: 'string' | 'number' | 'boolean';
  default: OptionValue;
  /** Allowed values, when the option is a choice. */
  choices?: readonly string[];
}

export interface LoadedSuite {
  items: Item[];
  data: RunRecord['suite']['data'];
  /** Suite-defined baselines (`baseline:<name>`): a distribution per item, or null where undefined. */
  baselines?: Record<string, (item: Item) => number[] | null>;
  /** Meta keys a stratified sample balances. */
  stratifyBy: string[];
  /** Notes to show the user (dropped rows, renamed columns). */
  notes: string[];
}

export interface MetricsOptions {
  seed: number;
  /** Bootstrap resamples for every interval (0 = none). */
  resamples: number;
  /** How the items were scored, so a suite can say which number is the official one. */
  run: RunContext;
}

/** The run settings a suite's "official" label depends on (absent in records that lack them). */
export interface RunContext {
  mode: 'likelihood' | 'generate';
  templateId: string;
  modelKind: string;
  /** Option order: fixed, or every cyclic rotation averaged. */
  order?: 'fixed' | 'cyclic';
  /** Generation: samples per question, new-token limit and answer parser. */
  samples?: number;
  maxNewTokens?: number;
  parser?: string;
}

/** A number the UI can show as a headline, with its interval and a note on what it is. */
export interface Headline {
  key: string;
  label: string;
  value: number | null;
  low?: number;
  high?: number;
  /** True for the number the source paper/release defines (as opposed to our breakdowns). */
  official?: boolean;
  note?: string;
}

export interface SuiteMetrics {
  suite: string;
  headline: Headline[];
  /** The suite's own tables and charts' data. */
  details: Record<string, unknown>;
}

/** A file a suite can take besides its default source. */
export interface SuiteInput {
  role: 'data' | 'anchors' | 'metadata' | 'codebook' | 'train';
  label: string;
  /** File types for the picker, e.g. ".parquet,.csv,.jsonl". */
  accept: string;
  required: boolean;
}

/**
 * What the app needs to offer a suite before loading any of its code: names, options, inputs,
 * licence. Each suite folder keeps it in `meta.ts`; `definition.ts` spreads it into the Suite.
 */
export interface SuiteMeta {
  id: string;
  /** Which question family: FAIR-SP equity questions or World Values Survey questions. */
  family: 'fair-sp' | 'wvs';
  title: string;
  description: string;
  version: string;
  licence: string;
  citation: string;
  options: readonly SuiteOptionSpec[];
  inputs: readonly SuiteInput[];
  /** Defaults for the run: mode, parser and generation length. */
  defaults(options: SuiteOptionValues): { mode: 'likelihood' | 'generate'; parser: ParserId; maxNewTokens: number };
  /** Baselines the suite defines besides uniform (for the model picker). */
  baselines: readonly string[];
}

export interface Suite extends SuiteMeta {
  /** Templates by scoring mode, chosen from the options. */
  template(mode: 'likelihood' | 'generate', options: SuiteOptionValues): PromptTemplate;
  load(options: SuiteOptionValues, context: DataSourceContext): Promise<LoadedSuite>;
  /** Pure: every metric from per-item results (what `pluralscope score` recomputes). */
  score(items: ItemResult[], options: SuiteOptionValues, metrics: MetricsOptions): SuiteMetrics;
  /**
   * Fast statistics of the headline numbers as functions of item indices, for paired bootstrap
   * comparisons of two runs on the same items (keys match `Headline.key`).
   */
  statistics?(items: ItemResult[], options: SuiteOptionValues): Record<string, { label: string; of: (indices: ArrayLike<number>) => number }>;
}

export class SuiteOptionError extends Error {
  override name = 'SuiteOptionError';
}

/** Validates `key=value` strings (or app form values) against a suite's declared options. */
export function resolveSuiteOptions(suite: Pick<SuiteMeta, 'id' | 'options'>, given: Record<string, string | OptionValue>): SuiteOptionValues {
  const out: SuiteOptionValues = {};
  const known = new Map(suite.options.map((o) => [o.key, o]));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      throw new SuiteOptionError(
        `suite ${suite.id} has no option "${key}"; its options are: ${suite.options.map((o) => o.key).join(', ') || '(none)'}`,
      );
    }
  }
  for (const spec of suite.options) {
    const raw = given[spec.key];
    if (raw === undefined) {
      out[spec.key] = spec.default;
      continue;
    }
    let value: OptionValue;
    if (spec.type === 'number') {
      // Number('') is 0: a blank value ("--opt minCount=") is no number.
      value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(value)) throw new SuiteOptionError(`option ${spec.key} must be a number, got "${raw}"`);
    } else if (spec.type === 'boolean') {
      if (typeof raw === 'boolean') value = raw;
      else if (raw === 'true' || raw === '1' || raw === 'yes') value = true;
      else if (raw === 'false' || raw === '0' || raw === 'no') value = false;
      else throw new SuiteOptionError(`option ${spec.key} must be true or false, got "${raw}"`);
    } else {
      value = String(raw);
    }
    if (spec.choices && !spec.choices.includes(String(value))) {
      throw new SuiteOptionError(`option ${spec.key} must be one of ${spec.choices.join(', ')}; got "${value}"`);
    }
    out[spec.key] = value;
  }
  return out;
}
