/** Gzip sizes of what the built site loads first, and of the widget script. */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface PageSizes {
  initialJsBytes: number;
  initialJsGzip: number;
  initialFiles: string[];
  widgetBytes: number;
  widgetGzip: number;
}

/** The scripts index.html loads before anything runs (entry + modulepreloads). */
export function pageSizes(dist = 'dist'): PageSizes {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.map((f) => readFileSync(join(dist, f)));
  const widget = existsSync(join(dist, 'embed.js')) ? readFileSync(join(dist, 'embed.js')) : Buffer.alloc(0);
  return {
    initialFiles: files,
    initialJsBytes: bytes.reduce((s, b) => s + b.byteLength, 0),
    initialJsGzip: bytes.reduce((s, b) => s + gzipSync(b, { level: 9 }).byteLength, 0),
    widgetBytes: widget.byteLength,
    widgetGzip: gzipSync(widget, { level: 9 }).byteLength,
  };
}
