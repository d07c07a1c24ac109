/** The Node (onnxruntime-node, CPU) self-check of the committed synthetic model: the reference other runtimes must match. */
import { resolve } from 'node:path';
import { loadCausalLM, type Dtype } from '../../src/core/backends/transformers/load-model.ts';
import { runSelfCheck, type SelfCheckReport } from '../../src/core/backends/transformers/self-check.ts';

export const SYNTHETIC_ROOT = resolve(import.meta.dirname, '../../public/models');

export async function nodeSelfCheck(dtype: Dtype, name = 'synthetic-tiny'): Promise<SelfCheckReport> {
  const loaded = await loadCausalLM({ kind: 'folder', root: SYNTHETIC_ROOT, name }, { device: 'cpu', dtype });
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
