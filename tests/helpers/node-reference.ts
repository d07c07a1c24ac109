/** The Node (onnxruntime-node, CPU) self-check of the committed synthetic model (or of any model folder): the reference other runtimes must match. */
import { resolve } from 'node:path';
import { loadCausalLM, type Dtype } from '../../src/core/backends/transformers/load-model.ts';
import { runSelfCheck, type SelfCheckReport } from '../../src/core/backends/transformers/self-check.ts';

export const SYNTHETIC_ROOT = resolve(import.meta.dirname, '../../public/models');

export async function nodeSelfCheck(dtype: Dtype, name = 'synthetic-tiny', root = SYNTHETIC_ROOT): Promise<SelfCheckReport> {
  const loaded = await loadCausalLM({ kind: 'folder', root, name }, { device: 'cpu', dtype });
  try {
    return await runSelfCheck(loaded);
  } finally {
    await loaded.dispose();
  }
}

export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
}

/** Pearson correlation of two equally long series (logits of two precisions of one model). */
export function pearson(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  const mean = (x: readonly number[]) => x.reduce((p, q) => p + q, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  a.forEach((x, i) => {
    num += (x - ma) * (b[i]! - mb);
    da += (x - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}
