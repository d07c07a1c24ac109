/**
 * The engine's Worker shell: loads models and runs the engine off the page's main thread.
 * Thin by design: every computation lives in src/core and src/browser; this file wires them to
 * comlink and supplies the browser-only pieces (self-hosted ONNX Runtime WASM files).
 */
import '../src/core/zod-setup.ts';
import * as Comlink from 'comlink';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import * as ort from 'onnxruntime-web/webgpu';
import { installSessionEditing } from '../src/core/backends/transformers/session-editing.ts';
import { createEngineService } from '../src/core/engine/service.ts';
import { createRunService } from '../src/browser/run-service.ts';
import { storageFaults } from '../src/browser/run-store.ts';
import { buildBundleInWorker, type BundleBuildRequest } from '../src/browser/bundle-service.ts';
import { runBrowserBenchmark, type BrowserBenchmarkRequest } from '../src/browser/benchmark-service.ts';

const wasmPaths = { wasm: ortWasm, mjs: ortMjs };
// The onnxruntime-web that transformers.js uses (one copy): every decoder it opens gets
// last-position logits where its graph allows (src/core/backends/transformers/logits-to-keep.ts).
installSessionEditing(ort.InferenceSession as unknown as Parameters<typeof installSessionEditing>[0]);
const engine = createEngineService({ wasmPaths });
const runs = createRunService({ wasmPaths });

export const workerApi = {
  probeWebGpu: engine.probeWebGpu,
  selfCheck: engine.selfCheck,
  release: engine.release,
  startRun: runs.start,
  pauseRun: runs.pause,
  cancelRun: runs.cancel,
  runningRuns: runs.running,
  benchmark: (request: BrowserBenchmarkRequest) => runBrowserBenchmark({ ...request, wasmPaths }),
  /**
   * Diagnostics: destroys ONNX Runtime's WebGPU device, as a driver reset or a lost GPU would,
   * so the fallback to WASM can be exercised (the app's reliability tests use it).
   */
  async debugLoseGpuDevice(): Promise<boolean> {
    const { env } = await import('@huggingface/transformers');
    const webgpu = env.backends.onnx.webgpu as { device?: Promise<{ destroy(): void }> | { destroy(): void } } | undefined;
    const device = await Promise.resolve(webgpu?.device).catch(() => undefined);
    if (!device) return false;
    device.destroy();
    return true;
  },
  /** Diagnostics: make every write of this Worker fail as on a full disk (true), or stop (false). */
  debugStorageFull(full: boolean): void {
    storageFaults.full = full;
  },
  async buildBundle(request: BundleBuildRequest, log?: (message: string) => void) {
    const result = await buildBundleInWorker(request, log);
    return Comlink.transfer(result, [result.zip.buffer]);
  },
};

export type WorkerApi = typeof workerApi;

Comlink.expose(workerApi);
