import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { loadCausalLM } from '../../../../src/core/backends/transformers/load-model.ts';
import { runSelfCheck } from '../../../../src/core/backends/transformers/self-check.ts';
import { startFixtureServer, type FixtureServer } from '../../../helpers/fixture-server.ts';
import { SYNTHETIC_ROOT, maxAbsDiff, nodeSelfCheck, pearson } from '../../../helpers/node-reference.ts';

const softmax = (x: number[]) => {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('transformers.js on the synthetic model (Node, onnxruntime-node CPU)', () => {
  it('fp32: logits [batch, seq, vocab]; cached decoding, left padding and the engine\'s prefix reuse match full passes', async () => {
    const r = await nodeSelfCheck('fp32');
    expect(r.logitsShape).toHaveLength(3);
    expect(r.logitsShape[0]).toBe(1);
    expect(r.logitsShape[2]).toBe(1024);
    expect(r.kvCacheMaxAbsDiff).toBeLessThan(1e-4);
    expect(r.paddingMaxAbsDiff).toBeLessThan(1e-4);
    expect(r.prefixTokensReused).toBeGreaterThan(0);
    expect(r.prefixReuseMaxAbsDiff).toBeLessThan(1e-4);
  });

  it('q4 passes the same checks and agrees with fp32 within the stated tolerance', async () => {
    const fp32 = await nodeSelfCheck('fp32');
    const q4 = await nodeSelfCheck('q4');
    expect(q4.kvCacheMaxAbsDiff).toBeLessThan(1e-4);
    expect(q4.paddingMaxAbsDiff).toBeLessThan(1e-4);
    expect(q4.prefixReuseMaxAbsDiff).toBeLessThan(1e-4);
    expect(maxAbsDiff(q4.referenceLogits, fp32.referenceLogits)).toBeGreaterThan(0); // really another file
    // Tolerance for 4-bit weights (block 32): logits correlate at r >= 0.98 and the next-token
    // distributions differ by at most 0.15 in total variation (measured: r = 0.992, TV = 0.097).
    expect(pearson(q4.referenceLogits, fp32.referenceLogits)).toBeGreaterThan(0.98);
    const p = softmax(fp32.referenceLogits);
    const q = softmax(q4.referenceLogits);
    expect(p.reduce((s, x, i) => s + Math.abs(x - q[i]!), 0) / 2).toBeLessThan(0.15);
  });

  it('is deterministic across loads', async () => {
    const a = await nodeSelfCheck('fp32');
    const b = await nodeSelfCheck('fp32');
    expect(a.referenceLogits).toEqual(b.referenceLogits);
  });
});

describe('the Hub path: loading by id from a host with the Hub URL layout', () => {
  let server: FixtureServer;
  const cacheDir = mkdtempSync(join(tmpdir(), 'tfjs-cache-'));
  beforeAll(async () => {
    server = await startFixtureServer({
      models: {
        'pluralscope-test/synthetic-tiny': join(SYNTHETIC_ROOT, 'synthetic-tiny'),
        'pluralscope-test/gated-tiny': join(SYNTHETIC_ROOT, 'synthetic-tiny'),
      },
      gated: { repos: ['pluralscope-test/gated-tiny'], token: 'hf_test_token' },
    });
    env.cacheDir = cacheDir;
  });
  afterAll(async () => {
    await server.close();
  });

  it('loads an id through the configurable remote host and gives the local folder\'s logits', async () => {
    const loaded = await loadCausalLM(
      { kind: 'hub', id: 'pluralscope-test/synthetic-tiny', revision: 'main', host: server.url },
      { device: 'cpu', dtype: 'fp32' },
    );
    const remote = await runSelfCheck(loaded);
    await loaded.dispose();
    const local = await nodeSelfCheck('fp32');
    expect(remote.referenceLogits).toEqual(local.referenceLogits);
    const paths = server.requests.map((r) => r.path);
    expect(paths).toContain('/pluralscope-test/synthetic-tiny/resolve/main/config.json');
    expect(paths).toContain('/pluralscope-test/synthetic-tiny/resolve/main/onnx/model.onnx');
  });

  it('asks a gated model for the token, and sends it only when given', async () => {
    await expect(
      loadCausalLM({ kind: 'hub', id: 'pluralscope-test/gated-tiny', host: server.url }, { device: 'cpu', dtype: 'q4' }),
    ).rejects.toThrow();
    const loaded = await loadCausalLM(
      { kind: 'hub', id: 'pluralscope-test/gated-tiny', host: server.url },
      { device: 'cpu', dtype: 'q4', token: 'hf_test_token' },
    );
    await loaded.dispose();
    const gated = server.requests.filter((r) => r.path.startsWith('/pluralscope-test/gated-tiny/'));
    expect(gated.some((r) => r.authorized)).toBe(true);
    // The token is not left behind for later requests.
    const after = await loadCausalLM(
      { kind: 'hub', id: 'pluralscope-test/synthetic-tiny', host: server.url },
      { device: 'cpu', dtype: 'q4' },
    );
    await after.dispose();
    expect(server.requests.filter((r) => r.path.startsWith('/pluralscope-test/synthetic-tiny/')).every((r) => !r.authorized)).toBe(true);
  });
});
