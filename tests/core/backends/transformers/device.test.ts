import { describe, expect, it } from 'vitest';
import { chooseDevice, type GpuProbe } from '../../../../src/core/backends/transformers/device.ts';

const gpu = (overrides: Partial<GpuProbe> = {}): GpuProbe => ({
  available: true,
  adapter: { vendor: 'nvidia', architecture: 'hopper', description: '', isFallback: false },
  shaderF16: true,
  ...overrides,
});

describe('device choice', () => {
  it('auto takes a hardware WebGPU adapter', () => {
    expect(chooseDevice('auto', gpu(), 'q4f16').device).toBe('webgpu');
  });
  it('auto falls back to WASM, saying why', () => {
    expect(chooseDevice('auto', { available: false, reason: 'no adapter', shaderF16: false }, 'q4')).toEqual({ device: 'wasm', reason: 'WASM, because no adapter' });
    expect(chooseDevice('auto', gpu({ shaderF16: false }), 'q4f16').reason).toMatch(/lacks shader-f16/);
    expect(chooseDevice('auto', gpu({ shaderF16: false }), 'q4').device).toBe('webgpu');
  });
  it('auto prefers WASM to a software adapter, which an explicit request still gets', () => {
    const swiftshader = gpu({ adapter: { vendor: 'google', architecture: 'swiftshader', description: '', isFallback: true }, shaderF16: false });
    expect(chooseDevice('auto', swiftshader, 'q4')).toMatchObject({ device: 'wasm', reason: expect.stringMatching(/software fallback/) });
    expect(chooseDevice('webgpu', swiftshader, 'q4').device).toBe('webgpu');
  });
  it('an explicit WebGPU request that cannot be met is an error, WASM always works', () => {
    expect(() => chooseDevice('webgpu', { available: false, reason: 'blocked', shaderF16: false }, 'q4')).toThrow(/blocked/);
    expect(chooseDevice('wasm', gpu(), 'q4').device).toBe('wasm');
  });
});
