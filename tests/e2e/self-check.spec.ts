import { expect, test } from '@playwright/test';
import { maxAbsDiff, nodeSelfCheck } from '../helpers/node-reference.ts';

/**
 * The synthetic model in a browser Worker: WASM always, WebGPU where the browser offers an
 * adapter (SwiftShader here). Each passes the cache, padding and engine prefix-reuse checks (1e-4), and its logits
 * equal the Node (onnxruntime-node) result: within 1e-4 on WASM, 1e-3 on WebGPU. WASM also runs the
 * q4 graph with float16 logits and KV cache (q4f16's interface; Chromium hands float16 over as a
 * Float16Array, Node as raw bits): cache, padding and prefix reuse within two float16 steps at the largest
 * logits (1.6e-2), as the page allows.
 */
test('the synthetic model runs in a Worker and matches Node', async ({ page }) => {
  const nodeFp32 = await nodeSelfCheck('fp32');
  const nodeQ4 = await nodeSelfCheck('q4');
  const nodeQ4f16 = await nodeSelfCheck('q4f16');

  await page.goto('/#/check?auto=1');
  const json = page.getByTestId('check-json');
  await expect(json).toBeAttached({ timeout: 8 * 60_000 });
  const rows = JSON.parse((await json.textContent()) ?? '[]') as Array<{
    device: string;
    dtype: 'fp32' | 'q4' | 'q4f16';
    status: string;
    error?: string;
    result?: { logitsShape: number[]; kvCacheMaxAbsDiff: number; paddingMaxAbsDiff: number; prefixReuseMaxAbsDiff: number; prefixTokensReused: number; referenceLogits: number[]; deviceReason: string; gpu: { available: boolean } };
  }>;

  const wasm = rows.filter((r) => r.device === 'wasm');
  expect(wasm.map((r) => [r.dtype, r.status, r.error])).toEqual([
    ['fp32', 'done', undefined],
    ['q4', 'done', undefined],
    ['q4f16', 'done', undefined],
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
    const reference = { fp32: nodeFp32, q4: nodeQ4, q4f16: nodeQ4f16 }[row.dtype];
    test.info().annotations.push({
      type: `${row.device}/${row.dtype}`,
      description: `cache ${r.kvCacheMaxAbsDiff.toExponential(2)}, padding ${r.paddingMaxAbsDiff.toExponential(2)}, prefix reuse ${r.prefixReuseMaxAbsDiff.toExponential(2)}, vs Node ${maxAbsDiff(r.referenceLogits, reference.referenceLogits).toExponential(2)}; ${r.deviceReason}`,
    });
    console.log(`${row.device}/${row.dtype}: vs Node ${maxAbsDiff(r.referenceLogits, reference.referenceLogits).toExponential(2)}, cache ${r.kvCacheMaxAbsDiff.toExponential(2)}, padding ${r.paddingMaxAbsDiff.toExponential(2)}, prefix reuse ${r.prefixReuseMaxAbsDiff.toExponential(2)} (${r.prefixTokensReused} tokens)`);
    expect(r.logitsShape).toEqual(reference.logitsShape);
    const checkTolerance = row.dtype === 'q4f16' ? 1.6e-2 : 1e-4;
    expect(r.kvCacheMaxAbsDiff).toBeLessThan(checkTolerance);
    expect(r.paddingMaxAbsDiff).toBeLessThan(checkTolerance);
    // The engine's scoring with a reused persona cache (a float16 cache fed back as float16).
    expect(r.prefixTokensReused).toBeGreaterThan(0);
    expect(r.prefixReuseMaxAbsDiff).toBeLessThan(checkTolerance);
    // WASM runs the same CPU kernels as Node: equal to 1e-4. WebGPU shaders reduce in another
    // order and use the GPU's sin/cos/exp (SwiftShader here): equal to 1e-3 on logits of size ~3.
    // float16 logits: a float16 step apart where the float32 values inside straddle a rounding
    // boundary (measured 1.2e-4); allowed two steps at |logit| 8 to 16, as the page does.
    const tolerance = row.dtype === 'q4f16' ? 1.6e-2 : row.device === 'wasm' ? 1e-4 : 1e-3;
    expect(maxAbsDiff(r.referenceLogits, reference.referenceLogits)).toBeLessThan(tolerance);
  }
});
