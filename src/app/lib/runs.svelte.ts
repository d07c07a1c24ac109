/**
 * The page's view of runs: the saved list (IndexedDB) and what the Worker reports live
 * (phase, downloads, progress, partial results). Runs themselves execute in the Worker,
 * which saves every item as it finishes; this module only starts, steers and watches them.
 */
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type { RunEvent, StartRunRequest } from '../../browser/run-service.ts';
import { runLockName } from '../../browser/run-lock.ts';
import type { RunHeader } from '../../browser/run-store.ts';
import type { Progress } from '../../core/engine/progress.ts';
import type { RunRecord } from '../../core/record/schema.ts';
import type { SuiteMetrics } from '../../suites/suite.ts';
import { Comlink, engine, onEngineLost, terminateEngine } from './engine-client.ts';
import { secrets } from './secrets.svelte.ts';
import { SITE_MODELS_ROOT } from './site.ts';
import { runStore } from './store.ts';

export interface LiveRun {
  phase: 'data' | 'model' | 'scoring' | 'metrics' | 'done';
  message: string;
  download: { file: string; loaded: number; total: number | null } | null;
  progress: Progress | null;
  partial: SuiteMetrics | null;
  notices: string[];
  status: RunHeader['status'];
  error?: string;
}

export type NewRunRequest = Omit<StartRunRequest, 'modelsRoot' | 'wasmPaths' | 'hubToken' | 'apiKey' | 'pageOrigin' | 'newRunId' | 'resumeRunId'>;

/** A run left 'running' whose process stopped writing (tab closed, crash), where Web Locks are missing. */
const STALE_MS = 30_000;

class Runs {
  constructor() {
    // A dead Worker ends its runs where they are: everything saved stays, and they can be resumed.
    onEngineLost((reason) => {
      const stopped: string[] = [];
      for (const [runId, live] of Object.entries(this.live)) {
        if (live.phase !== 'done') {
          live.phase = 'done';
          live.status = 'running';
          live.error = `${reason}; everything scored so far is saved: resume to continue`;
          stopped.push(runId);
        }
      }
      // The dead Worker's locks are released a moment later: until then these runs count as held
      // (not yet resumable), and each shows as interrupted once its lock is really free.
      if (navigator.locks && stopped.length > 0) {
        this.held = new Set([...this.held, ...stopped.map(runLockName)]);
        for (const runId of stopped) this.watchRelease(runId);
      } else {
        setTimeout(() => void this.refresh(), 100);
      }
    });
  }

  /** Files picked for the runs this page started or resumed (the WASM fallback resumes with them). */
  private files = new Map<string, Record<string, File>>();

  /** Lock names this page is waiting on (see `watchRelease`). */
  private watching = new Set<string>();

  /**
   * Waits for a run's lock to be free (its Worker, tab or window has ended), then refreshes, so
   * the run is offered for resuming at once instead of at the next refresh. The wait holds the
   * lock for no time: the callback returns at once.
   */
  private watchRelease(runId: string): void {
    const name = runLockName(runId);
    if (!navigator.locks || this.watching.has(name)) return;
    this.watching.add(name);
    void navigator.locks
      .request(name, () => undefined)
      .catch(() => undefined)
      .then(() => {
        this.watching.delete(name);
        void this.refresh();
      });
  }

  list = $state<RunHeader[]>([]);
  live = $state<Record<string, LiveRun>>({});
  loaded = $state(false);
  /** Runs some tab is executing right now (their Web Locks are held). */
  held = $state<Set<string>>(new Set());

  async refresh(): Promise<void> {
    const store = await runStore();
    const list = await store.listRuns();
    if (navigator.locks) {
      const state = await navigator.locks.query();
      this.held = new Set((state.held ?? []).map((l) => l.name ?? ''));
      // A run saved as running and held by another tab (or a Worker still shutting down): learn
      // when it is released. Runs this page is executing need no watching.
      for (const run of list) {
        const live = this.live[run.id];
        if (run.status === 'running' && this.held.has(runLockName(run.id)) && !(live && live.phase !== 'done')) this.watchRelease(run.id);
      }
    }
    this.list = list;
    this.loaded = true;
  }

  /** Saved as running, but nothing is running it: offer to resume. */
  isInterrupted(run: RunHeader): boolean {
    if (run.status !== 'running') return false;
    const live = this.live[run.id];
    if (live && live.phase !== 'done') return false;
    if (navigator.locks) return !this.held.has(runLockName(run.id));
    return Date.now() - run.heartbeat > STALE_MS;
  }

  private handler(runId: string) {
    return (event: RunEvent) => {
      const live = (this.live[runId] ??= blankLive());
      switch (event.kind) {
        case 'phase':
          live.phase = event.phase;
          live.message = event.message;
          break;
        case 'download':
          live.download = { file: event.file, loaded: event.loaded, total: event.total };
          break;
        case 'progress':
          live.progress = event.progress;
          break;
        case 'partial':
          live.partial = event.metrics;
          break;
        case 'notice':
          live.notices = [...live.notices, event.message];
          break;
        case 'done':
          if (event.fallback === 'wasm') {
            // The GPU failed: a fresh Worker resumes the run on WASM.
            void this.fallbackToWasm(runId);
            break;
          }
          live.phase = 'done';
          live.status = event.status;
          live.error = event.error;
          void this.refresh();
          break;
      }
    };
  }

  private common() {
    return {
      modelsRoot: SITE_MODELS_ROOT,
      wasmPaths: { wasm: new URL(ortWasm, location.href).href, mjs: new URL(ortMjs, location.href).href },
      hubToken: secrets.hubToken || undefined,
      apiKey: secrets.apiKey || undefined,
      pageOrigin: location.origin,
    };
  }

  /** Starts a run in the Worker; resolves with its id as soon as it is created. */
  start(request: NewRunRequest): string {
    const runId = crypto.randomUUID();
    this.live[runId] = blankLive();
    const full: StartRunRequest = { ...($state.snapshot(request) as NewRunRequest), ...this.common(), newRunId: runId };
    if (request.dataFile) full.dataFile = request.dataFile;
    if (request.extraFiles) full.extraFiles = request.extraFiles;
    this.files.set(runId, { ...(request.extraFiles ?? {}), ...(request.dataFile ? { data: request.dataFile } : {}) });
    engine()
      .startRun(full, Comlink.proxy(this.handler(runId)))
      .catch((error: unknown) => this.fail(runId, error));
    setTimeout(() => void this.refresh(), 300);
    return runId;
  }

  private async fallbackToWasm(runId: string): Promise<void> {
    terminateEngine('the GPU failed; restarting the engine on WASM');
    const header = await (await runStore()).getRun(runId);
    if (header) this.resume(header, 'wasm', this.files.get(runId));
  }

  /** `files`: the files a run started from picked files needs again, by role (see resume-files.ts). */
  resume(saved: RunHeader, device?: 'wasm' | 'webgpu', files: Record<string, File> = {}): void {
    // The list is reactive state (proxies); the Worker needs plain data.
    const header = $state.snapshot(saved) as RunHeader;
    this.live[header.id] = blankLive();
    const request: StartRunRequest = {
      resumeRunId: header.id,
      suiteId: header.suite.id,
      options: header.suite.options,
      model: header.model.ref,
      device: device ?? (header.runtime.device === 'webgpu' ? 'webgpu' : header.runtime.device === 'wasm' ? 'wasm' : 'auto'),
      dtype: (header.model.dtype ?? 'q4') as StartRunRequest['dtype'],
      scoring: {},
      sample: { strategy: header.sample.strategy, limit: header.sample.limit, seed: header.sample.seed },
      ...this.common(),
    };
    this.files.set(header.id, files);
    const { data, ...extra } = files;
    if (data) request.dataFile = data;
    if (Object.keys(extra).length > 0) request.extraFiles = extra;
    engine()
      .startRun(request, Comlink.proxy(this.handler(header.id)))
      .catch((error: unknown) => this.fail(header.id, error));
  }

  private fail(runId: string, error: unknown) {
    const live = (this.live[runId] ??= blankLive());
    live.phase = 'done';
    live.status = 'failed';
    live.error = error instanceof Error ? error.message : String(error);
    void this.refresh();
  }

  pause(runId: string): void {
    void engine().pauseRun(runId);
  }

  cancel(runId: string): void {
    void engine().cancelRun(runId);
  }

  /** Cancels a run that is not running (paused, failed or interrupted): its saved items stay. */
  async cancelStopped(runId: string): Promise<void> {
    await (await runStore()).updateRun(runId, { status: 'cancelled', updatedAt: new Date().toISOString() });
    const live = this.live[runId];
    if (live) live.status = 'cancelled';
    await this.refresh();
  }

  async remove(runId: string): Promise<void> {
    const store = await runStore();
    if (this.live[runId]?.phase !== 'done' && this.live[runId]) await engine().cancelRun(runId);
    await store.deleteRun(runId);
    delete this.live[runId];
    await this.refresh();
  }

  async record(runId: string): Promise<RunRecord | undefined> {
    return (await runStore()).getRecord(runId);
  }

  /** Imports a run record file; returns the run's id. Invalid files change nothing. */
  async importFile(file: File): Promise<string> {
    const text = await file.text();
    const { validateRunRecord } = await import('../../core/record/build.ts');
    const record = validateRunRecord(text);
    const store = await runStore();
    const existing = await store.getRun(record.id);
    if (existing) throw new Error(`a run with id ${record.id} is already saved here (${existing.suite.id}, ${existing.model.ref})`);
    const { notesOf } = await import('../../core/record/notes.ts');
    const notes = [...notesOf(record), `imported from ${file.name}`];
    if (!record.metrics && record.items.length > 0) {
      // Records from a training bundle's eval_server.py carry items only: the metrics are computed here.
      const { getSuite } = await import('../../suites/registry.ts');
      const { computeMetrics } = await import('../../core/run/execute-run.ts');
      record.metrics = computeMetrics(getSuite(record.suite.id), record, { seed: record.scoring.seed, resamples: 1000 });
      notes.push('metrics computed on import');
    }
    await store.importRecord({ ...record, status: record.status === 'running' ? 'paused' : record.status }, notes);
    await this.refresh();
    return record.id;
  }
}

function blankLive(): LiveRun {
  return { phase: 'data', message: 'starting…', download: null, progress: null, partial: null, notices: [], status: 'running' };
}

export const runs = new Runs();
