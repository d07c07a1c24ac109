/**
 * Runs in the engine Worker: load a suite, open a model, score items and save each one to
 * IndexedDB as it finishes; pause, resume and cancel; fall back from WebGPU to WASM when the
 * GPU fails mid-run. The page only watches (progress callbacks) and reads the store.
 */
import { openModel, type OpenModelContext } from '../core/backends/open-model.ts';
import type { ItemPredictor, ModelBackend } from '../core/backends/backend.ts';
import { chooseDevice, describeAdapter, probeWebGpu, type DeviceRequest } from '../core/backends/transformers/device.ts';
import type { Dtype, LoadProgress } from '../core/backends/transformers/load-model.ts';
import { DEFAULT_SCORING, scoreItems, type ScoringConfig } from '../core/engine/score-items.ts';
import type { Progress } from '../core/engine/progress.ts';
import { sampleItems, sampleSizeNote, type SampleStrategy } from '../core/items/sample.ts';
import { parseModelRef } from '../core/models/model-ref.ts';
import { newRunRecord, PLURALSCOPE_VERSION, systemPromptTable } from '../core/record/build.ts';
import type { ItemResult } from '../core/record/schema.ts';
import { assertResumable, computeMetrics, newSampleFields, recordedSample, runContext } from '../core/run/execute-run.ts';
import { assertDataFileGiven } from '../core/run/same-files.ts';
import { userFileFromBlob } from '../sources/source.ts';
import { getSuite } from '../suites/registry.ts';
import { resolveSuiteOptions, type OptionValue, type SuiteMetrics } from '../suites/suite.ts';
import { browserDataSource } from './data-source.ts';
import { RunStore, StorageFullError, type RunHeader } from './run-store.ts';
import { runLockName } from './run-lock.ts';

export interface StartRunRequest {
  /** Continue this run (its settings are kept); otherwise a new run with `newRunId`. */
  resumeRunId?: string;
  newRunId?: string;
  suiteId: string;
  options: Record<string, OptionValue>;
  model: string;
  device: DeviceRequest;
  dtype: Dtype;
  scoring: Partial<Omit<ScoringConfig, 'template'>>;
  sample: { strategy: SampleStrategy; limit?: number; seed: number };
  /** Files picked in the page (File objects cross into the Worker; they are read lazily here). */
  dataFile?: File;
  extraFiles?: Record<string, File>;
  /** Secrets: used for this run, never stored. */
  hubToken?: string;
  apiKey?: string;
  templateKwargs?: Record<string, unknown>;
  systemRole?: 'system' | 'merged-into-user';
  /** Where the site's models live (a path, e.g. /models/). */
  modelsRoot: string;
  hubHost?: string;
  githubRawHost?: string;
  wasmPaths?: { mjs: string; wasm: string };
  pageOrigin?: string;
  resamples?: number;
}

export type RunEvent =
  | { kind: 'phase'; runId: string; phase: 'data' | 'model' | 'scoring' | 'metrics'; message: string }
  | { kind: 'download'; runId: string; file: string; loaded: number; total: number | null }
  | { kind: 'progress'; runId: string; progress: Progress }
  | { kind: 'partial'; runId: string; metrics: SuiteMetrics }
  | { kind: 'notice'; runId: string; message: string }
  | { kind: 'done'; runId: string; status: RunHeader['status']; error?: string; fallback?: 'wasm' };

type Emit = (event: RunEvent) => void;

const PARTIAL_EVERY_MS = 2000;
/** How long a resume waits for the run's lock (see `start`). */
const LOCK_WAIT_MS = 5000;

export function createRunService(serviceDefaults: { wasmPaths?: { mjs: string; wasm: string } } = {}) {
  let storePromise: Promise<RunStore> | null = null;
  const store = () => (storePromise ??= RunStore.open());
  const controllers = new Map<string, { controller: AbortController; reason: 'pause' | 'cancel' | null }>();

  /**
   * Runs hold a Web Lock named `pluralscope-run:<id>` while they execute, so any tab can tell
   * a run that is really going on from one whose tab was closed (see `runLockName`).
   */
  async function start(request: StartRunRequest, emit: Emit): Promise<string> {
    const id = request.resumeRunId ?? request.newRunId ?? crypto.randomUUID();
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks) return execute({ ...request, newRunId: id }, emit);
    // A Worker that was just terminated releases its locks a moment later, so a resume waits a
    // little for the lock instead of failing at once; a run still going on elsewhere keeps it.
    const busy = () => new Error('this run is already running in another tab (or window); resume it there, or close that tab first');
    const wait = request.resumeRunId ? AbortSignal.timeout(LOCK_WAIT_MS) : null;
    try {
      return await locks.request(runLockName(id), wait ? { signal: wait } : { ifAvailable: true }, (lock) => {
        if (!lock) throw busy();
        return execute({ ...request, newRunId: id }, emit);
      });
    } catch (error) {
      if (wait?.aborted && error === wait.reason) throw busy();
      throw error;
    }
  }

  async function execute(request: StartRunRequest, emit: Emit): Promise<string> {
    const db = await store();
    const suite = getSuite(request.suiteId);
    const resume = request.resumeRunId ? await db.getRun(request.resumeRunId) : undefined;
    if (request.resumeRunId && !resume) throw new Error(`no saved run ${request.resumeRunId} to resume`);
    if (resume) assertDataFileGiven(resume.suite.data.source, Boolean(request.dataFile));
    const runId = resume?.id ?? request.newRunId ?? crypto.randomUUID();
    const control = { controller: new AbortController(), reason: null as 'pause' | 'cancel' | null };
    controllers.set(runId, control);
    const signal = control.controller.signal;

    const options = resume ? resume.suite.options : resolveSuiteOptions(suite, request.options);
    emit({ kind: 'phase', runId, phase: 'data', message: `loading ${suite.title}` });
    const data = browserDataSource({
      store: db,
      userFile: request.dataFile ? userFileFromBlob(request.dataFile, request.dataFile.name) : undefined,
      extraFiles: request.extraFiles
        ? Object.fromEntries(Object.entries(request.extraFiles).map(([role, f]) => [role, userFileFromBlob(f, f.name)]))
        : undefined,
      hubHost: request.hubHost,
      githubRawHost: request.githubRawHost,
      hubToken: request.hubToken,
      signal,
      log: (message) => emit({ kind: 'notice', runId, message }),
      onProgress: (p) => emit({ kind: 'download', runId, file: p.url, loaded: p.loaded, total: p.total }),
    });
    const modelText = resume?.model.ref ?? request.model;
    const ref = parseModelRef(modelText);
    const loaded = await suite.load(options, { ...data, ...(ref.kind === 'baseline' ? { baseline: ref.name } : {}) });
    for (const note of loaded.notes) emit({ kind: 'notice', runId, message: note });

    const defaults = suite.defaults(options);
    const mode = resume?.scoring.mode ?? request.scoring.mode ?? (ref.kind === 'baseline' ? 'likelihood' : defaults.mode);
    const scoring: ScoringConfig = resume
      ? restoredScoring(resume)
      : {
          ...DEFAULT_SCORING,
          parser: defaults.parser,
          maxNewTokens: defaults.maxNewTokens,
          ...request.scoring,
          mode,
          template: suite.template(mode, options),
        };
    const sample = resume ? recordedSample(resume) : request.sample;
    const items = sampleItems(loaded.items, { ...sample, stratifyBy: loaded.stratifyBy });
    if (items.length === 0) throw new Error('this selection has no items to score');
    const sizeNote = resume ? null : sampleSizeNote(sample, loaded.items.length);
    if (sizeNote) emit({ kind: 'notice', runId, message: sizeNote });
    if (resume) assertResumable(resume, loaded.data.files, items);

    emit({ kind: 'phase', runId, phase: 'model', message: `opening ${modelText}` });
    const gpu = await probeWebGpu();
    const dtype = (resume?.model.dtype as Dtype | undefined) ?? request.dtype;
    let choice: { device: 'wasm' | 'webgpu'; reason: string } =
      ref.kind === 'baseline' || ref.kind === 'endpoint'
        ? { device: 'wasm', reason: 'no local model' }
        : (chooseDevice(request.device, gpu, dtype) as { device: 'wasm' | 'webgpu'; reason: string });
    const context = (device: 'wasm' | 'webgpu', reason: string): OpenModelContext => ({
      device,
      deviceReason: reason,
      adapter: gpu.available ? describeAdapter(gpu) : undefined,
      dtype,
      hubHost: request.hubHost,
      hubToken: request.hubToken,
      apiKey: request.apiKey,
      endpointOrigin: request.pageOrigin,
      wasmPaths: request.wasmPaths ?? serviceDefaults.wasmPaths,
      libraries: { pluralscope: PLURALSCOPE_VERSION },
      baselines: loaded.baselines,
      templateKwargs: request.templateKwargs,
      systemRole: request.systemRole,
      onProgress: (p: LoadProgress) => emit({ kind: 'download', runId, file: p.file, loaded: p.loaded ?? 0, total: p.total ?? null }),
      resolveLocal: async (local) => ({
        kind: 'folder',
        root: request.modelsRoot,
        name: local.kind === 'synthetic' ? `synthetic-${local.preset}` : local.path.replace(/^\/+|\/+$/g, ''),
      }),
    });
    let model: ModelBackend | ItemPredictor = await openModel(ref, context(choice.device, choice.reason));

    let header: RunHeader;
    if (resume) {
      header = await db.updateRun(runId, { status: 'running', heartbeat: Date.now(), error: undefined });
    } else {
      const record = newRunRecord({
        id: runId,
        producer: { name: 'pluralscope-web', version: PLURALSCOPE_VERSION },
        suite: { id: suite.id, version: suite.version, options, data: loaded.data },
        model: model.info,
        scoring,
        sample: newSampleFields(sample, items),
        systemPrompts: systemPromptTable(items),
        environment: typeof navigator !== 'undefined' ? navigator.userAgent : undefined,
      });
      const { items: _none, ...rest } = record;
      const inputFiles = {
        ...(request.dataFile ? { data: request.dataFile.name } : {}),
        ...Object.fromEntries(Object.entries(request.extraFiles ?? {}).map(([role, f]) => [role, f.name])),
      };
      header = {
        ...rest,
        progress: { done: 0, total: items.length },
        heartbeat: Date.now(),
        notes: [...loaded.notes, ...(sizeNote ? [sizeNote] : [])],
        ...(Object.keys(inputFiles).length > 0 ? { inputFiles } : {}),
      };
      await db.putRun(header);
    }

    const done = await db.itemIds(runId);
    emit({ kind: 'phase', runId, phase: 'scoring', message: `${items.length - done.size} items to score` });
    let buffer: ItemResult[] = [];
    let lastPartial = 0;
    const flush = async (progress?: Progress) => {
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      await db.putItems(runId, batch, progress ? { done: progress.done, total: progress.total } : undefined);
    };

    const scoreRemaining = async () => {
      const skip = await db.itemIds(runId);
      await scoreItems(items, model, scoring, {
        skip,
        signal,
        onResult: (r) => {
          buffer.push(r);
        },
        onProgress: async (progress) => {
          await flush(progress);
          emit({ kind: 'progress', runId, progress });
          const now = Date.now();
          if (now - lastPartial > PARTIAL_EVERY_MS) {
            lastPartial = now;
            const partialItems = await db.getItems(runId);
            const current = await db.getRun(runId);
            if (current) {
              emit({
                kind: 'partial',
                runId,
                metrics: suite.score(partialItems, options, { seed: scoring.seed, resamples: 0, run: runContext({ ...current, items: [] }) }),
              });
            }
          }
        },
      });
      await flush();
    };

    try {
      try {
        await scoreRemaining();
      } catch (error) {
        // A GPU that fails mid-run (device lost, out of memory): the run continues on WASM. The
        // model runtime in this Worker cannot recover from a failed GPU call (transformers.js
        // chains every later run after the failed one), so the page restarts the Worker and
        // resumes the run there on WASM; everything saved so far is kept.
        if (!signal.aborted && choice.device === 'webgpu' && !(error instanceof StorageFullError)) {
          buffer = [];
          const reason = `WebGPU failed mid-run (${error instanceof Error ? error.message.slice(0, 200) : String(error)}); continuing on WASM`;
          const events = [...((await db.getRun(runId))?.events ?? []), { at: new Date().toISOString(), kind: 'fallback', message: reason }];
          await db.updateRun(runId, { status: 'paused', events, runtime: { ...header.runtime, device: 'wasm', deviceReason: reason }, heartbeat: Date.now() });
          emit({ kind: 'notice', runId, message: reason });
          emit({ kind: 'done', runId, status: 'paused', fallback: 'wasm' });
          return runId;
        }
        throw error;
      }
      emit({ kind: 'phase', runId, phase: 'metrics', message: 'computing metrics and intervals' });
      const record = (await db.getRecord(runId))!;
      const metrics = computeMetrics(suite, record, { seed: scoring.seed, resamples: request.resamples ?? 1000 });
      const now = new Date().toISOString();
      await db.updateRun(runId, { status: 'complete', metrics, finishedAt: now, updatedAt: now, heartbeat: Date.now(), progress: { done: record.items.length, total: items.length } });
      emit({ kind: 'done', runId, status: 'complete' });
    } catch (error) {
      await flush().catch(() => {});
      const reason = control.reason;
      const status: RunHeader['status'] = reason === 'cancel' ? 'cancelled' : reason === 'pause' || error instanceof StorageFullError ? 'paused' : 'failed';
      const message = reason ? undefined : error instanceof Error ? error.message : String(error);
      await db.updateRun(runId, { status, heartbeat: Date.now(), ...(message ? { error: message } : {}) }).catch(() => {});
      emit({ kind: 'done', runId, status, ...(message ? { error: message } : {}) });
    } finally {
      controllers.delete(runId);
      await model.dispose().catch(() => {});
    }
    return runId;
  }

  return {
    start,
    pause(runId: string) {
      const c = controllers.get(runId);
      if (c) {
        c.reason = 'pause';
        c.controller.abort();
      }
    },
    cancel(runId: string) {
      const c = controllers.get(runId);
      if (c) {
        c.reason = 'cancel';
        c.controller.abort();
      }
    },
    running(): string[] {
      return [...controllers.keys()];
    },
  };
}

function restoredScoring(header: RunHeader): ScoringConfig {
  const s = header.scoring;
  const { hash: _hash, ...template } = s.template;
  return {
    ...DEFAULT_SCORING,
    mode: s.mode,
    order: s.order,
    seed: s.seed,
    template,
    samples: s.samples ?? 1,
    temperature: s.temperature ?? 0,
    maxNewTokens: s.maxNewTokens ?? DEFAULT_SCORING.maxNewTokens,
    parser: (s.parser?.split(':')[0] as ScoringConfig['parser'] | undefined) ?? DEFAULT_SCORING.parser,
    prefixReuse: s.prefixReuse ?? true,
    batchSize: s.batchSize ?? DEFAULT_SCORING.batchSize,
  };
}

export type RunService = ReturnType<typeof createRunService>;
