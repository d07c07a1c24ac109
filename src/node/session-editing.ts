/**
 * Node's side of the logits edit (src/core/backends/transformers/logits-to-keep.ts). In Node,
 * transformers.js hands onnxruntime-node a model's file path; the hook reads the file, edits it
 * in memory and gives onnxruntime the bytes, with the model's own folder as the place of its
 * external weight files (onnxruntime's `session.model_external_initializers_file_folder_path`),
 * so nothing is written and external weights are read where they are.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import ort from 'onnxruntime-node';
import { addLogitsToKeep } from '../core/backends/transformers/logits-to-keep.ts';
import { installSessionEditing, summarize, type EditedModel } from '../core/backends/transformers/session-editing.ts';

export function editModelFile(path: string): EditedModel {
  const result = addLogitsToKeep(new Uint8Array(readFileSync(path)));
  const outcome = summarize(result);
  if (result.kind !== 'added') return { model: path, outcome };
  return {
    model: result.bytes,
    outcome,
    sessionOptions: { extra: { session: { model_external_initializers_file_folder_path: dirname(realpathSync(path)) } } },
  };
}

/** Installs the edit on onnxruntime-node's InferenceSession (the one transformers.js uses). */
export function installNodeSessionEditing(): void {
  installSessionEditing(ort.InferenceSession as unknown as Parameters<typeof installSessionEditing>[0], { editPath: async (path) => editModelFile(path) });
}
