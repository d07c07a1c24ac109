/**
 * Node's side of the logits edit (src/core/backends/transformers/logits-to-keep.ts). In Node,
 * transformers.js hands onnxruntime-node a model's file path; the hook reads the file, edits it
 * in memory and gives onnxruntime the bytes, with the model's own folder as the place of its
 * external weight files (onnxruntime's `session.model_external_initializers_file_folder_path`),
 * so nothing is written and external weights are read where they are.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import ort from 'onnxruntime-node';
import { addLogitsToKeep } from '../core/backends/transformers/logits-to-keep.ts';
import { installSessionEditing, summarize, type EditedModel } from '../core/backends/transformers/session-editing.ts';

/** Room after a model file's bytes for the graph the edit appends (a few hundred bytes). */
const EDIT_ROOM = 64 * 1024;

/**
 * The file's bytes, in memory with room after them, so the edit appends in place: a model of
 * hundreds of megabytes is read once and not copied (fresh memory costs its page faults too).
 */
function readWithRoom(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(size + EDIT_ROOM);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, Math.min(size - read, 1 << 30), read);
      if (n === 0) throw new Error(`${path}: the file ended after ${read} of ${size} bytes`);
      read += n;
    }
    return buffer.subarray(0, size);
  } finally {
    closeSync(fd);
  }
}

export function editModelFile(path: string): EditedModel {
  // In place: if onnxruntime refuses the edit, the model is reopened from its path.
  const result = addLogitsToKeep(readWithRoom(path), { inPlace: true });
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
