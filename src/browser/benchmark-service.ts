/** "Measure speed": the engine benchmark in this browser's Worker (see src/core/engine/benchmark.ts). */
import { chooseDevice, probeWebGpu, type DeviceRequest } from '../core/backends/transformers/device.ts';
import { TransformersBackend } from '../core/backends/transformers/backend.ts';
import { loadCausalLM, type Dtype, type ModelLocation } from '../core/backends/transformers/load-model.ts';
import { benchStrategies, type StrategyResult } from '../core/engine/benchmark.ts';
import { benchItems, BENCHMARK_TEMPLATE } from '../suites/fair-pp-local/benchmark-items.ts';
import { sessionEditingEnabled, setSessionEditing } from '../core/backends/transformers/session-editing.ts';

export interface BrowserBenchmarkRequest {
  location: ModelLocation;
  device: DeviceRequest;
  dtype: Dtype;
  items: number;
  wasmPaths?: { mjs: string; wasm: string };
  /** false: load the model as exported, without adding num_logits_to_keep (for comparison). */
  editLogits?: boolean;
  /** WASM threads (takes effect only before onnxruntime's first session in this Worker). */
  threads?: number;
}

export interface BrowserBenchmarkResult {
  device: string;
  deviceReason: string;
  crossOriginIsolated: boolean;
  threads: number | null;
  loadMs: number;
  /** Which positions' logits the model computed (see logits-to-keep.ts). */
  logits: string;
  strategies: StrategyResult[];
}

export async function runBrowserBenchmark(request: BrowserBenchmarkRequest): Promise<BrowserBenchmarkResult> {
  const gpu = await probeWebGpu();
  const choice = chooseDevice(request.device, gpu, request.dtype);
  if (request.threads) {
    const { env } = await import('@huggingface/transformers');
    if (env.backends.onnx.wasm) env.backends.onnx.wasm.numThreads = request.threads;
  }
  const editing = sessionEditingEnabled();
  setSessionEditing(request.editLogits ?? true);
  const started = performance.now();
  const loaded = await loadCausalLM(request.location, { device: choice.device, dtype: request.dtype, wasmPaths: request.wasmPaths }).finally(() =>
    setSessionEditing(editing),
  );
  const loadMs = performance.now() - started;
  const backend = new TransformersBackend(loaded, {
    info: { kind: 'folder', ref: 'benchmark', id: 'benchmark', dtype: request.dtype, device: choice.device, libraries: {} },
  });
  try {
    const strategies = await benchStrategies(backend, benchItems(request.items), BENCHMARK_TEMPLATE);
    const { env } = await import('@huggingface/transformers');
    return {
      device: choice.device,
      deviceReason: choice.reason,
      crossOriginIsolated: Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
      threads: env.backends.onnx.wasm?.numThreads ?? null,
      loadMs,
      logits: backend.info.logits ?? '',
      strategies,
    };
  } finally {
    await backend.dispose();
  }
}
