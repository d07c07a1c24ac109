/** The committed synthetic model as an engine backend (Node, onnxruntime-node CPU). */
import { TransformersBackend } from '../../src/core/backends/transformers/backend.ts';
import { loadCausalLM, type Dtype } from '../../src/core/backends/transformers/load-model.ts';
import { SYNTHETIC_ROOT } from './node-reference.ts';

export async function syntheticBackend(dtype: Dtype = 'fp32', name = 'synthetic-tiny', root = SYNTHETIC_ROOT): Promise<TransformersBackend> {
  const loaded = await loadCausalLM({ kind: 'folder', root, name }, { device: 'cpu', dtype });
  return new TransformersBackend(loaded, {
    info: { kind: 'synthetic', ref: `synthetic:${name}`, id: name, dtype, device: 'cpu', libraries: {} },
  });
}
