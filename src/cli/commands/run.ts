/** `pluralscope run`: benchmark a model on a suite, from the command line. */
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openModel } from '../../core/backends/open-model.ts';
import { LOADABLE_DTYPES, type Device, type Dtype } from '../../core/backends/transformers/load-model.ts';
import { DEFAULT_SCORING, type ScoringConfig } from '../../core/engine/score-items.ts';
import type { ParserId } from '../../core/engine/parse-answer.ts';
import { sampleSizeNote, type SampleStrategy } from '../../core/items/sample.ts';
import { formatModelRef, parseModelRef } from '../../core/models/model-ref.ts';
import { PLURALSCOPE_VERSION, validateRunRecord } from '../../core/record/build.ts';
import type { RunRecord } from '../../core/record/schema.ts';
import { executeRun, recordedSample } from '../../core/run/execute-run.ts';
import { nodeDataSource, userFileFromPath } from '../../node/data-source.ts';
import { userFileFromBytes, type UserFile } from '../../sources/source.ts';
import { nodeModelContext } from '../../node/model-context.ts';
import { getSuite, SUITES } from '../../suites/registry.ts';
import { resolveSuiteOptions, type Suite } from '../../suites/suite.ts';
import { formatHeadline } from '../format.ts';
import { fileArgumentPaths, keyValuePairs, MAX_RESAMPLES, requireFile, requireOutputFile, requireOutputNotInput } from '../args.ts';
import { UsageError } from '../usage-error.ts';

export function runHelp(): string {
  return `Usage: pluralscope run --suite <id> --model <ref> [options]

Benchmarks a model on a suite and writes a run record.

Suites:
${SUITES.map((s) => `  ${s.id.padEnd(18)} ${s.title}`).join('\n') || '  (none registered)'}

Model references:
  org/name[@revision]          a Hugging Face Hub model (set HF_TOKEN for gated models)
  folder:<path>                a folder of model files (transformers.js layout)
  synthetic:<preset>           the random-weight test model (tiny, small, qwen2.5-0.5b, ...)
  endpoint:<base url>#<model>  an OpenAI-compatible server (key in PLURALSCOPE_API_KEY or OPENAI_API_KEY)
  baseline:uniform             a null baseline (suites may define baseline:majority and others)

Options:
  --data <file|url>        the suite's data from a file or URL instead of its default source
  --opt key=value          a suite option (repeatable); see: pluralscope run --suite <id> --help
  --country ISO3           shorthand for --opt country=ISO3 (suites that take a country)
  --anchors <file>         an anchor pack to score against (FAIR-SP suites)
  --file role=path         another input a suite takes (e.g. train=, metadata=, codebook=)
  --device cpu|webgpu      Node execution provider (default cpu)
  --dtype <dtype>          fp32, q8, q4, q4f16, ... (default q4; fp32 for synthetic models)
  --mode likelihood|generate   scoring mode (default: the suite's)
  --order fixed|cyclic     cyclic averages over rotations of the options (default fixed)
  --limit N                score N items
  --sample stratified|first|all   how to choose them (default stratified)
  --seed S                 seed for sampling, generation and bootstrap (default 0)
  --samples N --temperature T --max-new-tokens N   generation settings
  --batch-size N           prompts per forward pass (default ${DEFAULT_SCORING.batchSize})
  --no-prefix-reuse        do not reuse the key/value cache of shared prefixes
  --resamples N            bootstrap resamples for intervals (default 1000; 0 = none)
  --out <file>             write the run record here (updated as items finish)
  --resume <file>          continue an interrupted run from its record
  --json                   print the metrics as JSON on stdout
`;
}

function suiteHelp(suite: Suite): string {
  const options = suite.options
    .map((o) => `  --opt ${o.key}=<${o.choices ? o.choices.join('|') : o.type}>  ${o.description}${o.default === '' ? '' : ` (default: ${String(o.default)})`}`)
    .join('\n');
  return `${suite.title} (${suite.id})\n\n${suite.description}\n\nLicence of its data: ${suite.licence}\n\nSuite options:\n${options || '  (none)'}\n`;
}

const int = (name: string, raw: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number => {
  if (raw === undefined) return fallback;
  // Number('') is 0: a blank value ("--seed=") is no integer.
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer of at least ${min}, got "${raw}"`);
  if (n > max) throw new UsageError(`--${name} must be at most ${max}, got "${raw}"`);
  return n;
};

function choice<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

export async function runRun(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string' },
      model: { type: 'string' },
      data: { type: 'string' },
      opt: { type: 'string', multiple: true, default: [] },
      file: { type: 'string', multiple: true, default: [] },
      anchors: { type: 'string' },
      country: { type: 'string' },
      device: { type: 'string' },
      dtype: { type: 'string' },
      mode: { type: 'string' },
      order: { type: 'string' },
      limit: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      samples: { type: 'string' },
      temperature: { type: 'string' },
      'max-new-tokens': { type: 'string' },
      'batch-size': { type: 'string' },
      'no-prefix-reuse': { type: 'boolean', default: false },
      resamples: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help && values.suite) {
    io.out(suiteHelp(getSuiteOrUsage(values.suite)));
    return 0;
  }
  if (values.help) {
    io.out(runHelp());
    return 0;
  }
  // A resumed run takes its suite, model, dtype, mode and suite options from its record.
  let resume: RunRecord | undefined;
  if (values.resume) {
    requireFile('--resume', values.resume);
    resume = validateRunRecord(readFileSync(values.resume, 'utf8'));
  }
  const suiteId = values.suite ?? resume?.suite.id;
  const modelText = values.model ?? resume?.model.ref;
  if (!suiteId) throw new UsageError(`--suite is required\n\n${runHelp()}`);
  if (!modelText) throw new UsageError('--model is required (e.g. --model synthetic:tiny or --model baseline:uniform)');
  const suite = getSuiteOrUsage(suiteId);
  if (resume && resume.suite.id !== suite.id) {
    throw new UsageError(`--resume: ${values.resume} is a run of suite ${resume.suite.id}, not ${suite.id}; leave --suite out to continue it`);
  }

  const given = keyValuePairs('--opt', values.opt ?? []);
  if (values.country) {
    if (!suite.options.some((o) => o.key === 'country')) throw new UsageError(`suite ${suite.id} takes no --country`);
    given.country = values.country;
  }
  const options = resolveSuiteOptions(suite, resume ? { ...resume.suite.options, ...given } : given);
  const ref = parseModelRef(modelText);
  const dtype = choice('dtype', values.dtype, LOADABLE_DTYPES, (resume?.model.dtype ?? (ref.kind === 'synthetic' ? 'fp32' : 'q4')) as Dtype);
  if (resume && values.resume) requireSameRun(values.resume, resume, { model: formatModelRef(ref), dtype: values.dtype, mode: values.mode, options, given, data: values.data });
  const defaults = suite.defaults(options);
  const mode = choice('mode', values.mode, ['likelihood', 'generate'] as const, ref.kind === 'baseline' ? 'likelihood' : defaults.mode);
  const temperature = values.temperature === undefined ? 0 : values.temperature.trim() === '' ? NaN : Number(values.temperature);
  if (!Number.isFinite(temperature) || temperature < 0) throw new UsageError(`--temperature must be a number >= 0, got "${values.temperature}"`);
  const seed = int('seed', values.seed, 0);
  const resamples = int('resamples', values.resamples, 1000, 0, MAX_RESAMPLES);
  const scoring: ScoringConfig = {
    ...DEFAULT_SCORING,
    mode,
    order: choice('order', values.order, ['fixed', 'cyclic'] as const, 'fixed'),
    template: suite.template(mode, options),
    seed,
    samples: int('samples', values.samples, 1, 1),
    temperature,
    maxNewTokens: int('max-new-tokens', values['max-new-tokens'], defaults.maxNewTokens, 1),
    parser: defaults.parser as ParserId,
    prefixReuse: !values['no-prefix-reuse'],
    batchSize: int('batch-size', values['batch-size'], DEFAULT_SCORING.batchSize, 1),
  };
  const device = choice('device', values.device, ['cpu', 'webgpu'] as const, 'cpu') as Device;
  const sampleStrategy = choice('sample', values.sample, ['stratified', 'first', 'all'] as const, values.limit ? 'stratified' : 'all') as SampleStrategy;
  const limit = values.limit === undefined ? undefined : int('limit', values.limit, 0, 1);

  if (values.out) {
    requireOutputFile('--out', values.out);
    requireOutputNotInput('--out', values.out, [['--data', values.data], ['--anchors', values.anchors], ...fileArgumentPaths(values.file ?? [])]);
  }

  const data = nodeDataSource({ log: (m) => io.err(`${m}\n`) });
  const fileArg = async (flag: string, value: string): Promise<UserFile> => {
    if (/^https?:\/\//.test(value)) return userFileFromBytes(basename(new URL(value).pathname) || 'data', await data.fetchBytes(value));
    requireFile(flag, value);
    return userFileFromPath(value);
  };
  // Roles the suite reads; any other would be silently ignored (a typo such as "codebok=").
  const roles = suite.inputs.map((i) => i.role).filter((r) => r !== 'data');
  const filePairs = keyValuePairs('--file', values.file ?? [], 'role=path');
  for (const role of Object.keys(filePairs)) {
    if (!roles.includes(role as (typeof roles)[number])) {
      const hint = role === 'data' ? ' (give the data with --data)' : '';
      throw new UsageError(`--file ${role}=: suite ${suite.id} takes ${roles.length > 0 ? roles.map((r) => `${r}=`).join(', ') : 'no other files'}${hint}`);
    }
  }
  const userFile = values.data ? await fileArg('--data', values.data) : undefined;
  const extraFiles = Object.create(null) as Record<string, UserFile>;
  if (values.anchors) extraFiles.anchors = await fileArg('--anchors', values.anchors);
  for (const [role, path] of Object.entries(filePairs)) extraFiles[role] = await fileArg('--file', path);
  io.err(`loading ${suite.id}…\n`);
  const loaded = await suite.load(options, { ...data, userFile, extraFiles, ...(ref.kind === 'baseline' ? { baseline: ref.name } : {}) });
  for (const note of loaded.notes) io.err(`note: ${note}\n`);
  const sizeNote = resume ? null : sampleSizeNote({ strategy: sampleStrategy, limit }, loaded.items.length);
  if (sizeNote) io.err(`note: ${sizeNote}\n`);

  io.err(`opening ${modelText}…\n`);
  const model = await openModel(ref, { ...nodeModelContext({ device, dtype }), baselines: loaded.baselines });
  const out = values.out ?? values.resume;
  let lastWrite = 0;
  const save = (record: RunRecord, force = false) => {
    if (!out) return;
    const now = Date.now();
    if (!force && now - lastWrite < 2000) return;
    lastWrite = now;
    writeFileSync(`${out}.part`, `${JSON.stringify(record)}\n`);
    renameSync(`${out}.part`, out);
  };
  let lastProgress = 0;
  // Ctrl-C or a kill: stop scoring, save every item scored so far, say how to go on.
  let latest = resume;
  const resumeCommand = ['pluralscope run --resume', out, ...(values.data ? ['--data', values.data] : []), ...(values.anchors ? ['--anchors', values.anchors] : []), ...(values.file ?? []).flatMap((f) => ['--file', f])].join(' ');
  const interrupt = onInterrupt((signal, again) => {
    if (again) {
      saveInterrupted(latest, out, resumeCommand, signal, io, save);
      process.exit(INTERRUPT_EXIT_CODES[signal]);
    }
    io.err(`${signal}: stopping after the items being scored…\n`);
  });
  try {
    const record = await executeRun(
      {
        id: resume?.id ?? randomUUID(),
        suite,
        options,
        loaded,
        scoring: resume ? { ...scoring, ...restoreScoring(resume, scoring) } : scoring,
        sample: resume ? recordedSample(resume) : { strategy: sampleStrategy, limit, seed },
        producer: { name: 'pluralscope-cli', version: PLURALSCOPE_VERSION },
        metrics: { seed, resamples },
        environment: `node ${process.version} ${process.platform}-${process.arch}`,
      },
      model,
      {
        resume,
        signal: interrupt.signal,
        onItem: (_, record) => {
          latest = record;
          save(record);
        },
        onProgress: (p) => {
          const now = Date.now();
          if (now - lastProgress < 1000 && p.done < p.total) return;
          lastProgress = now;
          const eta = p.etaSeconds === null ? '' : `, ${Math.ceil(p.etaSeconds)} s left`;
          io.err(`${p.done}/${p.total} items, ${p.itemsPerSecond.toFixed(2)} items/s${eta}\n`);
        },
      },
    );
    save(record, true);
    if (values.json) io.out(`${JSON.stringify(record.metrics, null, 2)}\n`);
    else io.out(formatHeadline(record));
    if (out) io.err(`wrote ${out}\n`);
    return 0;
  } catch (error) {
    const signal = interrupt.received();
    if (!signal) throw error;
    saveInterrupted(latest, out, resumeCommand, signal, io, save);
    return INTERRUPT_EXIT_CODES[signal];
  } finally {
    interrupt.dispose();
    await model.dispose();
  }
}

type StopSignal = 'SIGINT' | 'SIGTERM';
/** The shell's convention: 128 + the signal's number. */
const INTERRUPT_EXIT_CODES: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** Turns SIGINT/SIGTERM into an abort; a second one calls `handle` with again = true. */
function onInterrupt(handle: (signal: StopSignal, again: boolean) => void) {
  const controller = new AbortController();
  let first: StopSignal | undefined;
  const listener = (signal: StopSignal) => {
    const again = first !== undefined;
    first ??= signal;
    handle(signal, again);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    },
  };
}

/** Writes an interrupted run's record (still resumable) and says where it is and how to continue. */
function saveInterrupted(
  record: RunRecord | undefined,
  out: string | undefined,
  resumeCommand: string,
  signal: StopSignal,
  io: { err: (s: string) => void },
  save: (record: RunRecord, force: boolean) => void,
): void {
  const count = record?.items.length ?? 0;
  if (!record || !out) {
    io.err(`interrupted by ${signal} after ${count} items; nothing was saved (give --out <file> to keep a run's answers and resume it)\n`);
    return;
  }
  record.status = 'paused';
  record.updatedAt = new Date().toISOString();
  save(record, true);
  io.err(`interrupted by ${signal}: saved ${count} scored items to ${out}; continue with: ${resumeCommand}\n`);
}

function getSuiteOrUsage(id: string): Suite {
  try {
    return getSuite(id);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

interface RunRequest {
  /** The model reference as the record would write it. */
  model: string;
  dtype: string | undefined;
  mode: string | undefined;
  /** Every suite option, resolved; `given` holds those set on the command line. */
  options: Record<string, unknown>;
  given: Record<string, string>;
  data: string | undefined;
}

/**
 * A record continued with another model, dtype, scoring mode or suite option would mix two
 * runs' answers in one record: refused, naming what the record holds. A record whose data came
 * from a user's file needs that file again.
 */
function requireSameRun(path: string, record: RunRecord, request: RunRequest): void {
  const refuse = (what: string) => {
    throw new UsageError(`--resume: ${path} is ${what}; leave the option out to continue it, or start a new run with --out`);
  };
  if (record.model.ref !== request.model) refuse(`a run of model ${record.model.ref}, not ${request.model}`);
  if (request.dtype !== undefined && record.model.dtype !== undefined && record.model.dtype !== request.dtype) {
    refuse(`a run of ${record.model.ref} with dtype ${record.model.dtype}, not ${request.dtype}`);
  }
  if (request.mode !== undefined && record.scoring.mode !== request.mode) refuse(`scored in ${record.scoring.mode} mode, not ${request.mode}`);
  for (const key of Object.keys(request.given)) {
    if (request.options[key] !== record.suite.options[key]) refuse(`a run with suite option ${key}=${String(record.suite.options[key])}, not ${key}=${request.given[key]}`);
  }
  const source = record.suite.data.source;
  if (source.startsWith('file:') && request.data === undefined) {
    const name = source.slice('file:'.length);
    throw new UsageError(`--resume: the data of ${path} came from your file ${name}: give it again with --data <path to ${name}>`);
  }
}

/** A resumed run keeps the settings it started with. */
function restoreScoring(record: RunRecord, current: ScoringConfig): Partial<ScoringConfig> {
  const s = record.scoring;
  const { hash: _hash, ...template } = s.template;
  return {
    mode: s.mode,
    order: s.order,
    seed: s.seed,
    template,
    ...(s.samples ? { samples: s.samples } : {}),
    ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
    ...(s.maxNewTokens ? { maxNewTokens: s.maxNewTokens } : {}),
    parser: (s.parser?.split(':')[0] as ParserId | undefined) ?? current.parser,
  };
}
