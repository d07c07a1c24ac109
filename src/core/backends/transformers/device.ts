/**
 * Which execution device to use, and why. WebGPU when an adapter exists and supports the
 * model's number format; WASM otherwise. The reason is always kept so the UI can say why
 * WebGPU was or was not used.
 */
import type { Device, Dtype } from './load-model.ts';

export interface GpuProbe {
  available: boolean;
  /** Why WebGPU is not available, when it is not. */
  reason?: string;
  adapter?: { vendor: string; architecture: string; description: string; isFallback: boolean };
  shaderF16: boolean;
}

interface MinimalAdapter {
  features: { has(name: string): boolean };
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/** Asks the runtime for a WebGPU adapter (page or Worker; Node has none). */
export async function probeWebGpu(): Promise<GpuProbe> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(o?: object): Promise<MinimalAdapter | null> } } | undefined)?.gpu;
  if (!gpu) return { available: false, reason: 'this browser exposes no WebGPU (navigator.gpu is missing)', shaderF16: false };
  let adapter: MinimalAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { available: false, reason: `requesting a WebGPU adapter failed: ${String(error)}`, shaderF16: false };
  }
  if (!adapter) return { available: false, reason: 'the browser offered no WebGPU adapter (GPU blocked or disabled)', shaderF16: false };
  const info = adapter.info ?? {};
  return {
    available: true,
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      description: info.description ?? '',
      isFallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    },
    shaderF16: adapter.features.has('shader-f16'),
  };
}

export type DeviceRequest = 'auto' | 'webgpu' | 'wasm';

export interface DeviceChoice {
  device: Device;
  reason: string;
}

const NEEDS_F16: ReadonlySet<Dtype> = new Set<Dtype>(['fp16', 'q4f16']);

export function chooseDevice(request: DeviceRequest, probe: GpuProbe, dtype: Dtype): DeviceChoice {
  if (request === 'wasm') return { device: 'wasm', reason: 'WASM was requested' };
  const problem = !probe.available
    ? probe.reason ?? 'no WebGPU adapter'
    : NEEDS_F16.has(dtype) && !probe.shaderF16
      ? `the WebGPU adapter lacks shader-f16, which ${dtype} weights need`
      : null;
  if (problem === null) {
    const software = probe.adapter?.isFallback ?? false;
    // A software adapter (SwiftShader) is correct but hundreds of times slower than WASM:
    // auto picks WASM; asking for WebGPU explicitly still gets it.
    if (software && request === 'auto') {
      return { device: 'wasm', reason: `WASM, because the only WebGPU adapter (${describeAdapter(probe)}) is a software fallback, far slower than WASM` };
    }
    return { device: 'webgpu', reason: `WebGPU adapter ${describeAdapter(probe)}${software ? ' (a software fallback adapter: correct but slow)' : ''}` };
  }
  if (request === 'webgpu') throw new Error(`WebGPU was requested but cannot be used: ${problem}`);
  return { device: 'wasm', reason: `WASM, because ${problem}` };
}

export function describeAdapter(probe: GpuProbe): string {
  const a = probe.adapter;
  if (!a) return 'none';
  return [a.vendor, a.architecture, a.description].filter(Boolean).join(' / ') || 'unnamed adapter';
}
