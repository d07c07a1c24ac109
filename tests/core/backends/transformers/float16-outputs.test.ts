/**
 * Models whose logits and KV cache are float16 (the interface of q4f16 and fp16 exports, which the
 * app picks on a GPU with shader-f16): onnxruntime returns their values as raw binary16 bits. The
 * synthetic q4f16 folder is the q4 graph with that interface (float32 inside), so its scores must be
 * the q4 model's, up to float16 rounding of the logits, with and without a reused prefix cache, and
 * its self-check must pass. Before tensor-values.ts, the bits were read as float32 numbers (scores
 * from garbage) and a reused float16 cache was fed back as float32 (refused by the session).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import type { LabelScoringRequest } from '../../../../src/core/backends/backend.ts';
import { loadCausalLM } from '../../../../src/core/backends/transformers/load-model.ts';
import { directorySink } from '../../../../src/node/fs-model-sink.ts';
import { writeSyntheticModel } from '../../../../src/synth/model-files.ts';
import { DEFAULT_SYNTH_SEED, SYNTH_PRESETS } from '../../../../src/synth/presets.ts';
import { nodeSelfCheck } from '../../../helpers/node-reference.ts';
import { syntheticBackend } from '../../../helpers/synthetic-backend.ts';

const root = mkdtempSync(join(tmpdir(), 'float16-outputs-'));
writeSyntheticModel(
  { shape: SYNTH_PRESETS.tiny!, seed: DEFAULT_SYNTH_SEED, precisions: ['q4', 'q4f16'], logitsToKeep: false, externalData: 'never', preset: 'tiny' },
  directorySink(join(root, 'tiny')),
);

const persona = 'You are answering as a 45-year-old nurse from Leeds who rents her home.';
const requests: LabelScoringRequest[] = [
  'Which should come first in housing policy?\nA. Lower rents\nB. More home ownership\nC. Neither',
  'Who should pay for social care?\nA. The state\nB. Families\nC. Both',
  'How should water be priced?\nA. By use\nB. A flat fee',
].map((user) => ({ prompt: { system: persona, user }, labels: user.includes('C.') ? ['A', 'B', 'C'] : ['A', 'B'] }));

describe('float16 logits and KV cache (synthetic q4f16, onnxruntime-node CPU)', () => {
  it('the session really returns float16', async () => {
    const loaded = await loadCausalLM({ kind: 'folder', root, name: 'tiny' }, { device: 'cpu', dtype: 'q4f16' });
    try {
      const ids = [5n, 6n, 7n];
      const out = (await loaded.model.forward({
        input_ids: new Tensor('int64', BigInt64Array.from(ids), [1, 3]),
        attention_mask: new Tensor('int64', BigInt64Array.from([1n, 1n, 1n]), [1, 3]),
      })) as Record<string, Tensor>;
      expect(out.logits!.type).toBe('float16');
      expect(out['present.0.key']!.type).toBe('float16');
    } finally {
      await loaded.dispose();
    }
  });

  it.each([false, true])('scores as the q4 model does (prefix reuse %s)', async (prefixReuse) => {
    const q4 = await syntheticBackend('q4', 'tiny', root);
    const q4f16 = await syntheticBackend('q4f16', 'tiny', root);
    const options = { prefixReuse, batchSize: 2 };
    const expected = await q4.scoreLabels(requests, options);
    const got = await q4f16.scoreLabels(requests, options);
    if (prefixReuse) expect(q4f16.stats.prefixComputations).toBeGreaterThan(0);
    got.forEach((score, i) => {
      expect(score.probs.length).toBe(expected[i]!.probs.length);
      score.probs.forEach((p, j) => expect(Math.abs(p - expected[i]!.probs[j]!)).toBeLessThan(2e-3));
      expect(Math.abs(score.labelMass - expected[i]!.labelMass)).toBeLessThan(2e-3);
    });
  });

  it('passes the self-check (cache and padding agree with full passes)', async () => {
    const report = await nodeSelfCheck('q4f16', 'tiny', root);
    // Two float16 steps at |logit| 8 to 16 (the check page's bound): the cache is float16 too.
    expect(report.kvCacheMaxAbsDiff).toBeLessThan(1.6e-2);
    expect(report.paddingMaxAbsDiff).toBeLessThan(1.6e-2);
    expect(report.prefixTokensReused).toBeGreaterThan(0);
    expect(report.prefixReuseMaxAbsDiff).toBeLessThan(1.6e-2);
  });
});
