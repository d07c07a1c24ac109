/**
 * The engine as a service object: what the Worker exposes over comlink, and what Node code
 * calls directly. One model is held at a time.
 */
import { chooseDevice, probeWebGpu, type DeviceRequest, type GpuProbe } from '../backends/transformers/device.ts';
import { loadCausalLM, type Dtype, type LoadedModel, type LoadProgress, type ModelLocation } from '../backends/transformers/load-model.ts';
import { runSelfCheck, type SelfCheckReport } from '../backends/transformers/self-check.ts';

export interface SelfCheckRequest {
  location: ModelLocation;
  device: DeviceRequest;
  dtype: Dtype;
}

export interface SelfCheckResult extends SelfCheckReport {
  deviceReason: string;
  gpu: GpuProbe;
  crossOriginIsolated: boolean;
}

export interface EngineServiceOptions {
  wasmPaths?: { mjs: string; wasm: string };
}

export function createEngineService(options: EngineServiceOptions = {}) {
  let loaded: LoadedModel | null = null;

  const release = async () => {
    if (loaded) await loaded.dispose();
    loaded = null;
  };

  return {
    probeWebGpu,

    async selfCheck(request: SelfCheckRequest, onProgress?: (p: LoadProgress) => void): Promise<SelfCheckResult> {
      const gpu = await probeWebGpu();
      const choice = chooseDevice(request.device, gpu, request.dtype);
      await release();
      loaded = await loadCausalLM(request.location, {
        device: choice.device,
        dtype: request.dtype,
        wasmPaths: options.wasmPaths,
        onProgress,
      });
      const report = await runSelfCheck(loaded);
      return {
        ...report,
        deviceReason: choice.reason,
        gpu,
        crossOriginIsolated: Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
      };
    },

    release,
  };
}

export type EngineService = ReturnType<typeof createEngineService>;
