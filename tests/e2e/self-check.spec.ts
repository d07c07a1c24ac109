import { expect, test } from '@playwright/test';
import { maxAbsDiff, nodeSelfCheck } from '../helpers/node-reference.ts';

/**
 * The synthetic model in a browser Worker: WASM always, WebGPU where the browser offers an
 * adapter (SwiftShader here). Each passes the cache and padding checks (1e-4), and its logits
 * equal the Node (onnxruntime-node) result: within 1e-4 on WASM, 1e-3 on WebGPU.
 */
test('the synthetic model runs in a Worker and matches Node', async ({ page }) => {
  const nodeFp32 = await nodeSelfCheck('fp32');
  const nodeQ4 = await nodeSelfCheck('q4');

  await page.goto('/#/check?auto=1');
  const json = page.getByTestId('check-json');
  await expect(json).toBeAttached({ timeout: 8 * 60_000 });
  const rows = JSON.parse((await json.textContent()) ?? '[]') as Array<{
    device: string;
    dtype: 'fp32' | 'q4';
    status: string;
    error?: string;
    result?: { logitsShape: number[]; kvCacheMaxAbsDiff: number; paddingMaxAbsDiff: number; referenceLogits: number[]; deviceReason: string; gpu: { available: boolean } };
  }>;

  const wasm = rows.filter((r) => r.device === 'wasm');
  expect(wasm.map((r) => [r.dtype, r.status, r.error])).toEqual([
    ['fp32', 'done', undefined],
    ['q4', 'done', undefined],
  ]);
  const gpuAvailable = rows.some((r) => r.result?.gpu.available);
  const webgpu = rows.filter((r) => r.device === 'webgpu');
  if (gpuAvailable) {
    expect(webgpu.map((r) => [r.dtype, r.status, r.error])).toEqual([
      ['fp32', 'done', undefined],
      ['q4', 'done', undefined],
    ]);
  } else {
    test.info().annotations.push({ type: 'webgpu', description: `no adapter: ${webgpu[0]?.error}` });
  }

  for (const row of rows.filter((r) => r.status === 'done')) {
    const r = row.result!;
    const reference = row.dtype === 'fp32' ? nodeFp32 : nodeQ4;
    test.info().annotations.push({
      type: `${row.device}/${row.dtype}`,
      description: `cache ${r.kvCacheMaxAbsDiff.toExponential(2)}, padding ${r.paddingMaxAbsDiff.toExponential(2)}, vs Node ${maxAbsDiff(r.referenceLogits, reference.referenceLogits).toExponential(2)}; ${r.deviceReason}`,
    });
    console.log(`${row.device}/${row.dtype}: vs Node ${maxAbsDiff(r.referenceLogits, reference.referenceLogits).toExponential(2)}, cache ${r.kvCacheMaxAbsDiff.toExponential(2)}, padding ${r.paddingMaxAbsDiff.toExponential(2)}`);
    expect(r.logitsShape).toEqual(reference.logitsShape);
    expect(r.kvCacheMaxAbsDiff).toBeLessThan(1e-4);
    expect(r.paddingMaxAbsDiff).toBeLessThan(1e-4);
    // WASM runs the same CPU kernels as Node: equal to 1e-4. WebGPU shaders reduce in another
    // order and use the GPU's sin/cos/exp (SwiftShader here): equal to 1e-3 on logits of size ~3.
    const tolerance = row.device === 'wasm' ? 1e-4 : 1e-3;
    expect(maxAbsDiff(r.referenceLogits, reference.referenceLogits)).toBeLessThan(tolerance);
  }
});
