/** Writes a synthetic model folder to disk, streaming external weights tensor by tensor. */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ModelSink } from '../synth/model-files.ts';

const ALIGN = 64;

export function directorySink(root: string): ModelSink {
  const ensureDir = (path: string) => mkdirSync(dirname(path), { recursive: true });
  return {
    writeFile(relativePath, bytes) {
      const path = join(root, relativePath);
      ensureDir(path);
      writeFileSync(path, bytes);
    },
    openExternal(relativePath, fileName) {
      const path = join(root, relativePath);
      ensureDir(path);
      const fd = openSync(path, 'w');
      let offset = 0;
      return {
        fileName,
        append(bytes) {
          const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
          if (pad > 0) {
            writeSync(fd, new Uint8Array(pad));
            offset += pad;
          }
          const start = offset;
          let written = 0;
          while (written < bytes.byteLength) written += writeSync(fd, bytes, written, bytes.byteLength - written);
          offset += bytes.byteLength;
          return start;
        },
        close() {
          closeSync(fd);
        },
      };
    },
  };
}
